"""config_2_dict, spockspace_2_dict, obj_2_dict and evolve, as in spock."""

from __future__ import annotations

from types import ModuleType

import pytest

from tests.runtime.conftest import Compile

SOURCE = """
class Act(Enum):
    relu = "relu"
    gelu = "gelu"

@spock
class Opt:
    lr: float = 0.1
    betas: Tuple[float, float] = (0.9, 0.99)

@spock
class Train:
    epochs: int = 2
    act: Act = Act.relu
    opt: Opt = Opt()
    tuned: Opt = Opt(lr=0.5)
"""


@pytest.fixture
def module(compiled: Compile) -> ModuleType:
    return compiled(SOURCE)


def test_config_2_dict_gives_plain_values_by_class(module: ModuleType) -> None:
    builder = module.ConfigArgBuilder(module.Train, args=[])

    result = builder.config_2_dict()

    assert result == {
        "Opt": {"lr": 0.1, "betas": [0.9, 0.99]},
        "Train": {
            "epochs": 2,
            "act": "relu",
            "opt": "Opt",
            "tuned": {"lr": 0.5, "betas": [0.9, 0.99]},
        },
    }


def test_obj_2_dict_takes_one_instance_or_a_list(module: ModuleType) -> None:
    builder = module.ConfigArgBuilder(module.Train, args=[])
    opt = module.Opt(lr=0.3, betas=(0.1, 0.2))

    assert builder.obj_2_dict(opt) == {"Opt": {"lr": 0.3, "betas": [0.1, 0.2]}}
    assert list(builder.obj_2_dict([opt, builder.generate().Train])) == ["Opt", "Train"]


def test_evolve_replaces_a_class_and_the_fields_that_held_it(
    module: ModuleType,
) -> None:
    builder = module.ConfigArgBuilder(module.Train, args=[])
    new_opt = module.Opt(lr=0.7, betas=(0.9, 0.99))

    evolved = builder.evolve(new_opt)

    assert evolved.Opt == new_opt
    assert evolved.Train.opt == new_opt
    assert evolved.Train.tuned.lr == 0.5
    assert builder.generate().Opt.lr == 0.1


def test_evolve_rejects_instances_of_classes_not_built(module: ModuleType) -> None:
    builder = module.ConfigArgBuilder(module.Opt, args=[])

    with pytest.raises(
        TypeError, match="evolve\\(\\) takes instances of the built classes"
    ):
        builder.evolve(
            module.Train(epochs=1, act=module.Act.relu, opt=None, tuned=None)
        )


def test_spockspace_2_dict_round_trips_through_a_config(
    module: ModuleType, tmp_path: object
) -> None:
    builder = module.ConfigArgBuilder(module.Train, args=["--Train.act", "gelu"])

    result = builder.spockspace_2_dict(builder.generate())

    assert result["Train"]["act"] == "gelu"
