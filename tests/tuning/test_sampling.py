"""What sample() draws, over many draws: ranges, log scale, steps, types, choices."""

from __future__ import annotations

import importlib
import math
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import optuna
import pytest

from spockc.compiler import compile_source
from spockc.runtime import (
    Choices,
    Definitions,
    FloatRange,
    IntRange,
    OptunaTunerConfig,
    make_space,
)
from spockc.runtime.tuning import Tuner

from .conftest import forget_generated

optuna.logging.set_verbosity(optuna.logging.WARNING)

DRAWS = 400

SPACE_SOURCE = """
from spockc import ChoiceHyperParameter, RangeHyperParameter, spock, spockTuner


@spock
class Fixed:
    seed: int = 0


@spockTuner
class Space:
    lr: RangeHyperParameter[float] = RangeHyperParameter(
        type="float", bounds=[1e-4, 1e-1], log_scale=True
    )
    drop: RangeHyperParameter[float] = RangeHyperParameter(
        type="float", bounds=[0.0, 0.5], step=0.1
    )
    units: RangeHyperParameter[int] = RangeHyperParameter(
        type="int", bounds=[8, 64], step=8
    )
    depth: RangeHyperParameter[int] = RangeHyperParameter(
        type="int", bounds=[1, 1024], log_scale=True
    )
    flag: ChoiceHyperParameter = ChoiceHyperParameter(type="bool", choices=[True, False])
    width: ChoiceHyperParameter = ChoiceHyperParameter(type="int", choices=[16, 32, 64])
    ratio: ChoiceHyperParameter = ChoiceHyperParameter(type="float", choices=[0.25, 0.5])
    act: ChoiceHyperParameter = ChoiceHyperParameter(type="str", choices=["relu", "gelu"])
"""

SPACE_DEFINITIONS = Definitions(
    {
        "Space.lr": FloatRange(1e-4, 1e-1, log=True),
        "Space.drop": FloatRange(0.0, 0.5, step=0.1),
        "Space.units": IntRange(8, 64, step=8),
        "Space.depth": IntRange(1, 1024, log=True),
        "Space.flag": Choices((True, False)),
        "Space.width": Choices((16, 32, 64)),
        "Space.ratio": Choices((0.25, 0.5)),
        "Space.act": Choices(("relu", "gelu")),
    }
)

C15_SOURCE = """
from spockc import RangeHyperParameter, spock, spockTuner


@spock
class Fixed:
    seed: int = 0


@spockTuner
class Enc:
    lr: RangeHyperParameter


@spockTuner
class Dec:
    lr: RangeHyperParameter
    units: RangeHyperParameter
"""

C15_DEFINITIONS = Definitions(
    {
        "Enc.lr": FloatRange(0.0001, 0.1, log=True),
        "Dec.lr": FloatRange(0.5, 0.9),
        "Dec.units": IntRange(1, 512, log=True),
    }
)


def compile_to(folder: Path, source: str) -> ModuleType:
    """Compile `source` into `folder` and import its namespace from there."""
    generated = compile_source(textwrap.dedent(source), "config.py")
    (folder / "config_spock.py").write_text(generated.namespace)
    (folder / "config_spock_sampler.py").write_text(generated.sampler)
    sys.path.insert(0, str(folder))
    try:
        return importlib.import_module("config_spock")
    finally:
        sys.path.remove(str(folder))


def tuner_for(
    module: ModuleType, classes: tuple[str, ...], definitions: Definitions
) -> Tuner[Any]:
    """Return a random-sampling tuner whose sampler is the one beside `module`."""
    config = OptunaTunerConfig(sampler=optuna.samplers.RandomSampler(seed=3))
    forget_generated()
    sys.modules["config_spock"] = module
    sys.path.insert(0, str(Path(module.__file__).parent))
    try:
        return Tuner(module._SCHEMA, classes, definitions, config)
    finally:
        sys.path.pop(0)


def draw(
    module: ModuleType, definitions: Definitions, classes: tuple[str, ...]
) -> list[Any]:
    """Return DRAWS samples of `classes`, told to a random-sampling study."""
    tuner = tuner_for(module, classes, definitions)
    fixed = make_space(module.Spockspace, {"Fixed": module.Fixed(seed=0)})
    spaces = []
    for _ in range(DRAWS):
        spaces.append(tuner.sample(fixed))
        tuner.status["study"].tell(tuner.status["trial"], 0.0)
    return spaces


@pytest.fixture(scope="module")
def space_module(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    forget_generated()
    yield compile_to(tmp_path_factory.mktemp("space"), SPACE_SOURCE)
    forget_generated()


@pytest.fixture(scope="module")
def c15_module(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    forget_generated()
    yield compile_to(tmp_path_factory.mktemp("c15"), C15_SOURCE)
    forget_generated()


@pytest.fixture(scope="module")
def space(space_module: ModuleType) -> list[Any]:
    samples = draw(space_module, SPACE_DEFINITIONS, ("Space",))
    return [sample.Space for sample in samples]


@pytest.fixture(scope="module")
def c15(c15_module: ModuleType) -> list[Any]:
    return draw(c15_module, C15_DEFINITIONS, ("Enc", "Dec"))


def test_log_float_stays_in_bounds_and_spreads_over_decades(space):
    values = [sample.lr for sample in space]

    assert {type(value) for value in values} == {float}
    assert all(1e-4 <= value <= 1e-1 for value in values)
    below_geometric_middle = sum(value < math.sqrt(1e-4 * 1e-1) for value in values)
    assert 0.4 < below_geometric_middle / DRAWS < 0.6


def test_float_with_step_takes_every_step_and_nothing_else(space):
    values = {round(sample.drop, 9) for sample in space}

    assert {type(sample.drop) for sample in space} == {float}
    assert values == {0.0, 0.1, 0.2, 0.3, 0.4, 0.5}


def test_int_with_step_takes_every_step_and_nothing_else(space):
    values = {sample.units for sample in space}

    assert {type(sample.units) for sample in space} == {int}
    assert values == {8, 16, 24, 32, 40, 48, 56, 64}


def test_log_int_stays_in_bounds_and_favours_small_values(space):
    values = [sample.depth for sample in space]

    assert {type(value) for value in values} == {int}
    assert all(1 <= value <= 1024 for value in values)
    assert 0.35 < sum(value <= 32 for value in values) / DRAWS < 0.65


@pytest.mark.parametrize(
    ("field", "kind", "choices"),
    [
        ("flag", bool, {True, False}),
        ("width", int, {16, 32, 64}),
        ("ratio", float, {0.25, 0.5}),
        ("act", str, {"relu", "gelu"}),
    ],
)
def test_choices_come_back_as_their_declared_type(space, field, kind, choices):
    values = [getattr(sample, field) for sample in space]

    assert {type(value) for value in values} == {kind}
    assert set(values) == choices


def test_same_field_in_two_classes_is_two_parameters_in_their_own_bounds(c15):
    enc = [sample.Enc.lr for sample in c15]
    dec = [sample.Dec.lr for sample in c15]

    assert all(0.0001 <= value <= 0.1 for value in enc)
    assert all(0.5 <= value <= 0.9 for value in dec)
    assert all(type(sample.Dec.units) is int for sample in c15)


def test_same_field_in_two_classes_is_sampled_independently(c15):
    pairs = [(sample.Enc.lr, sample.Dec.lr) for sample in c15]
    enc_low = [dec for enc, dec in pairs if enc < math.sqrt(0.0001 * 0.1)]
    enc_high = [dec for enc, dec in pairs if enc >= math.sqrt(0.0001 * 0.1)]

    mean_low = sum(enc_low) / len(enc_low)
    mean_high = sum(enc_high) / len(enc_high)

    assert abs(mean_low - mean_high) < 0.04


def test_tuning_a_subset_of_classes_samples_only_those(c15_module):
    tuner = tuner_for(c15_module, ("Enc",), C15_DEFINITIONS)
    fixed = make_space(c15_module.Spockspace, {"Fixed": c15_module.Fixed(seed=0)})

    sample = tuner.sample(fixed)

    assert set(tuner.status["trial"].params) == {"Enc.lr"}
    assert 0.0001 <= sample.Enc.lr <= 0.1
    with pytest.raises(AttributeError, match="'Dec' was not given"):
        sample.Dec  # noqa: B018 - reading raises
