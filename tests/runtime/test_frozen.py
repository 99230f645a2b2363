"""Generated config classes behave as frozen, slotted, keyword-only value classes.

They derive from `ConfigClass` instead of being dataclasses (import time); these
tests hold them to what the dataclasses gave: construction by keyword only,
no assignment, equality and hashing by value, a readable repr, copying.
"""

from __future__ import annotations

import copy
import pickle
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from spockc import runtime as rt
from spockc.compiler.emit import slots_literal
from spockc.runtime.frozen import fields_of
from tests.runtime.conftest import Compile

ROOT = Path(__file__).resolve().parents[2]
IRIS = ROOT / "examples" / "iris"

SOURCE = """
@spock
class Train:
    lr: float = 0.1
    epochs: int = 3
    tags: List[str] = ['a']
"""


@pytest.fixture
def module(compiled: Compile) -> ModuleType:
    return compiled(SOURCE)


def test_fields_keep_the_source_order_though_slots_are_sorted(
    module: ModuleType,
) -> None:
    assert module.Train.__slots__ == ("epochs", "lr", "tags")
    assert fields_of(module.Train) == ("lr", "epochs", "tags")


def test_config_class_has_no_instance_dict(module: ModuleType) -> None:
    train = module.Train(lr=0.5, epochs=1, tags=[])

    assert not hasattr(train, "__dict__")


def test_missing_field_is_a_type_error_naming_it(module: ModuleType) -> None:
    with pytest.raises(TypeError, match=r"Train\(\) missing .* 'epochs', 'tags'"):
        module.Train(lr=0.5)


def test_unknown_field_is_a_type_error_naming_it(module: ModuleType) -> None:
    with pytest.raises(TypeError, match=r"Train\(\) got unexpected .* 'lrr'"):
        module.Train(lr=0.5, epochs=1, tags=[], lrr=1)


def test_positional_arguments_are_refused(module: ModuleType) -> None:
    with pytest.raises(TypeError):
        module.Train(0.5, 1, [])


def test_assigning_or_deleting_a_field_raises(module: ModuleType) -> None:
    train = module.Train(lr=0.5, epochs=1, tags=[])

    with pytest.raises(AttributeError, match="cannot assign to field 'lr'"):
        train.lr = 1.0
    with pytest.raises(AttributeError, match="cannot delete field 'lr'"):
        del train.lr
    assert train.lr == 0.5


def test_equality_and_hash_are_by_value(module: ModuleType) -> None:
    one = module.Train(lr=0.5, epochs=1, tags=("x",))
    same = module.Train(lr=0.5, epochs=1, tags=("x",))
    other = module.Train(lr=0.5, epochs=2, tags=("x",))

    assert one == same
    assert hash(one) == hash(same)
    assert one != other
    assert one != ("x",)


def test_hash_fails_when_a_value_is_unhashable(module: ModuleType) -> None:
    with pytest.raises(TypeError, match="unhashable"):
        hash(module.Train(lr=0.5, epochs=1, tags=["x"]))


def test_repr_names_every_field_in_order(module: ModuleType) -> None:
    train = module.Train(lr=0.5, epochs=1, tags=["x"])

    assert repr(train) == "Train(lr=0.5, epochs=1, tags=['x'])"


def test_replace_returns_a_changed_copy(module: ModuleType) -> None:
    train = module.Train(lr=0.5, epochs=1, tags=["x"])

    changed = train.__replace__(epochs=7)

    assert changed == module.Train(lr=0.5, epochs=7, tags=["x"])
    assert train.epochs == 1


def test_replace_of_an_unknown_field_is_a_type_error(module: ModuleType) -> None:
    train = module.Train(lr=0.5, epochs=1, tags=["x"])

    with pytest.raises(TypeError, match="Train has no field 'epoch'"):
        train.__replace__(epoch=7)


def test_pickle_and_copies_give_equal_instances(module: ModuleType) -> None:
    train = module.Train(lr=0.5, epochs=1, tags=["x"])

    deep = copy.deepcopy(train)

    assert pickle.loads(pickle.dumps(train)) == train
    assert copy.copy(train) == train
    assert deep == train
    assert deep.tags is not train.tags


def test_space_equality_repr_and_absent_classes(compiled: Compile) -> None:
    module = compiled(SOURCE + "\n@spock\nclass Other:\n    x: int = 1\n")
    train = module.Train(lr=0.5, epochs=1, tags=())

    space = rt.make_space(module.Spockspace, {"Train": train})

    assert space == module.Spockspace(Train=train)
    assert hash(space) == hash(module.Spockspace(Train=train))
    assert repr(space) == "Spockspace(Train=Train(lr=0.5, epochs=1, tags=()))"
    with pytest.raises(AttributeError, match="'Other' was not given"):
        _ = space.Other
    with pytest.raises(AttributeError, match="a Spockspace is read-only"):
        space.Train = train


def test_space_refuses_an_unknown_class(module: ModuleType) -> None:
    with pytest.raises(TypeError, match="got unexpected keyword argument 'Trian'"):
        module.Spockspace(Trian=None)


def test_runtime_values_compare_print_and_copy_like_dataclasses() -> None:
    spec = rt.FieldSpec("lr", rt.FLOAT, default=0.1)

    assert spec == rt.FieldSpec("lr", rt.FLOAT, 0.1, "")
    assert repr(rt.IntRange(1, 4)) == "IntRange(low=1, high=4, log=False, step=1)"
    assert str(rt.Problem("a.yaml:3", "Train.lr", "expected a float")) == (
        "a.yaml:3: Train.lr: expected a float"
    )
    assert spec.__replace__(help="rate").help == "rate"
    assert pickle.loads(pickle.dumps(rt.INT)) == rt.INT


def test_tuner_config_replace_checks_the_new_values_again() -> None:
    config = rt.OptunaTunerConfig(direction="minimize", study_name="s")

    assert config.__replace__(direction="maximize").study_name == "s"
    with pytest.raises(ValueError, match="direction must be one of"):
        config.__replace__(direction="up")


def test_tuner_configs_get_fresh_study_names() -> None:
    first, second = rt.OptunaTunerConfig(), rt.OptunaTunerConfig()

    assert first.study_name.startswith("spockc-")
    assert first.study_name != second.study_name


def test_slots_are_sorted_as_ruff_sorts_them() -> None:
    names = ["lr", "b10", "b2", "B", "_x", "a_b", "aB", "a1b"]

    assert slots_literal(names) == "('B', '_x', 'a1b', 'aB', 'a_b', 'b2', 'b10', 'lr')"
    assert slots_literal(["x"]) == "('x',)"
    assert slots_literal([]) == "()"


def test_importing_a_generated_module_loads_no_dataclasses_uuid_or_inspect() -> None:
    script = (
        f"import sys; sys.path.insert(0, {str(IRIS)!r}); import config_spock\n"
        "print(sorted({'dataclasses', 'uuid', 'inspect', 'optuna', 'yaml'}"
        " & set(sys.modules)))"
    )

    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == "[]"
