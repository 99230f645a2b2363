"""Errors of a build: all reported at once, in order, each naming its element."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from spockc import OptunaTunerConfig
from spockc.runtime import Problem
from tests.runtime.conftest import Compile, problems_of

Write = Callable[[str, str], str]

SOURCE = """
@spock
class Data:
    n: int = 1

@spock
class Model:
    layers: int = 2
    color: str = "red"
    weights: Dict[str, float] = {}
    data: Data = Data()
    shuffle: bool = False

@spock
class Outer:
    grid: List[List[int]] = []
    pair: Tuple[int, int] = (1, 2)
    models: List[Model] = []

@spockTuner
class HP:
    lr: RangeHyperParameter
    depth: RangeHyperParameter
    act: ChoiceHyperParameter
"""

DEFINITIONS = """\
HP:
  lr: {type: float, bounds: [0.1, 1], log_scal: true}
  depth: {type: int, bounds: [9, 1]}
  act: {type: str, choices: []}
"""


@pytest.fixture
def module(compiled: Compile) -> ModuleType:
    return compiled(SOURCE)


# --- every problem at once, in order ----------------------------------------------


def test_unknown_definition_key_does_not_hide_other_definitions_problems(
    module: ModuleType, write: Write
) -> None:
    path = write("hp.yaml", DEFINITIONS)

    found = problems_of(lambda: module.ConfigArgBuilder(module.HP, args=["-c", path]))

    unknown = "unknown definition key 'log_scal'; did you mean 'log_scale'? (expected type, bounds, log_scale, step)"
    assert found == [
        Problem(f"{path}:2", "HP.lr", unknown),
        Problem(f"{path}:3", "HP.depth", "lower bound 9 is greater than upper bound 1"),
        Problem(f"{path}:4", "HP.act", "choices must not be empty"),
    ]


def test_unknown_field_does_not_hide_a_definition_problem(
    module: ModuleType, write: Write
) -> None:
    text = "Model:\n  colr: blue\nHP:\n  depth: {type: int, bounds: [9, 1]}\n"
    path = write("m.yaml", text)

    found = problems_of(
        lambda: module.ConfigArgBuilder(module.Model, module.HP, args=["-c", path])
    )

    assert found == [
        Problem(
            f"{path}:2", "Model.colr", "unknown field of Model; did you mean 'color'?"
        ),
        Problem(f"{path}:4", "HP.depth", "lower bound 9 is greater than upper bound 1"),
    ]


def test_definition_given_nowhere_is_left_to_tuner_when_reading_fails(
    module: ModuleType, write: Write
) -> None:
    path = write("m.yaml", "Model:\n  colr: blue\n")

    found = problems_of(
        lambda: module.ConfigArgBuilder(module.Model, module.HP, args=["-c", path])
    )

    assert [problem.key for problem in found] == ["Model.colr"]


def test_problems_are_ordered_by_file_and_line_then_by_flag_order(
    module: ModuleType, write: Write
) -> None:
    first = write("a.yaml", "Model:\n  layers: 1\n  colr: blue\n")
    second = write("b.yaml", "Model:\n  layers: x\n")
    args = ["--Model.layers", "y", "-c", first, second, "--Bogus.n", "1"]

    found = problems_of(lambda: module.ConfigArgBuilder(module.Model, args=args))

    assert [(problem.where, problem.key) for problem in found] == [
        (f"{first}:3", "Model.colr"),
        (f"{second}:2", "Model.layers"),
        ("--Model.layers", "Model.layers"),
        ("--Bogus.n", ""),
    ]


def test_command_line_problems_keep_command_line_order_with_short_config_flag(
    module: ModuleType, write: Write
) -> None:
    args = ["--Model.layers", "y", "stray", "-c", "missing.yaml", "--Bogus.n", "1"]

    found = problems_of(lambda: module.ConfigArgBuilder(module.Model, args=args))

    assert [problem.where for problem in found] == [
        "--Model.layers",
        "stray",
        "--config",
        "--Bogus.n",
    ]


def test_tuner_problems_are_ordered_by_line(module: ModuleType, write: Write) -> None:
    path = write("t.yaml", "HP:\n  depth: {type: int, bounds: [9, 1]}\n  lr: 0.5\n")
    builder = module.ConfigArgBuilder(module.HP, args=["-c", path])

    found = problems_of(lambda: builder.tuner(OptunaTunerConfig(direction="maximize")))

    assert [(problem.where, problem.key) for problem in found] == [
        (f"{path}:2", "HP.depth"),
        (f"{path}:3", "HP.lr"),
        (module.__name__.removesuffix("_spock") + ".py", "HP.act"),
    ]


# --- a flag given twice -----------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "layers", "shuffle"),
    [
        (["--Model.layers", "3", "--Model.layers", "4"], 4, False),
        (["--Model.layers=3", "--Model.layers", "4"], 4, False),
        (["--Model.shuffle", "--Model.shuffle", "false"], 2, False),
        (["--Model.shuffle", "false", "--Model.shuffle"], 2, True),
    ],
)
def test_flag_given_twice_takes_the_last_value(
    module: ModuleType, args: list[str], layers: int, shuffle: bool
) -> None:
    built = module.ConfigArgBuilder(module.Model, args=args).generate()

    assert (built.Model.layers, built.Model.shuffle) == (layers, shuffle)


def test_wrong_value_of_a_flag_given_again_is_not_reported(module: ModuleType) -> None:
    args = ["--Model.layers", "x", "--Model.layers", "4"]

    built = module.ConfigArgBuilder(module.Model, args=args).generate()

    assert built.Model.layers == 4


def test_bare_bool_flag_given_twice_leaves_the_next_flag_alone(
    module: ModuleType, write: Write
) -> None:
    path = write("m.yaml", "Model:\n  colr: blue\n")
    args = ["--Model.shuffle", "--Model.shuffle", "-c", path]

    found = problems_of(lambda: module.ConfigArgBuilder(module.Model, args=args))

    assert [(problem.where, problem.key) for problem in found] == [
        (f"{path}:2", "Model.colr"),
    ]


# --- elements of lists, tuples, dicts and nested mappings ---------------------------


def test_wrong_dict_value_names_its_key(module: ModuleType, write: Write) -> None:
    path = write("wrong.yaml", "Model:\n  layers: 3\n  weights:\n    a: 1\n    x: hi\n")

    found = problems_of(
        lambda: module.ConfigArgBuilder(module.Model, args=["-c", path])
    )

    message = "expected float, got 'hi'"
    assert found == [Problem(f"{path}:5", "Model.weights['x']", message)]


def test_wrong_list_item_names_its_index(module: ModuleType, write: Write) -> None:
    path = write("g.yaml", "Outer:\n  grid:\n    - [1]\n    - [2, b]\n")

    found = problems_of(
        lambda: module.ConfigArgBuilder(module.Outer, args=["-c", path])
    )

    assert found == [Problem(f"{path}:4", "Outer.grid[1][1]", "expected int, got 'b'")]


def test_wrong_outer_list_item_names_its_index(
    module: ModuleType, write: Write
) -> None:
    path = write("g.yaml", "Outer:\n  grid: [[1], 2]\n")

    found = problems_of(
        lambda: module.ConfigArgBuilder(module.Outer, args=["-c", path])
    )

    message = "expected list[int], got 2 (int)"
    assert found == [Problem(f"{path}:2", "Outer.grid[1]", message)]


def test_wrong_tuple_item_names_its_index(module: ModuleType) -> None:
    args = ["--Outer.pair", "[1, x]"]

    found = problems_of(lambda: module.ConfigArgBuilder(module.Outer, args=args))

    assert found == [Problem("--Outer.pair", "Outer.pair[1]", "expected int, got 'x'")]


def test_wrong_dict_value_of_a_flag_names_its_key(module: ModuleType) -> None:
    args = ["--Model.weights", "{x: hi}"]

    found = problems_of(lambda: module.ConfigArgBuilder(module.Model, args=args))

    message = "expected float, got 'hi'"
    assert found == [Problem("--Model.weights", "Model.weights['x']", message)]


def test_unknown_field_of_a_nested_mapping_names_the_path_written(
    module: ModuleType, write: Write
) -> None:
    path = write("nb.yaml", "Model:\n  layers: 1\n  data: {bogus: 1}\n")

    found = problems_of(
        lambda: module.ConfigArgBuilder(module.Model, args=["-c", path])
    )

    message = "unknown field of Data"
    assert found == [Problem(f"{path}:3", "Model.data.bogus", message)]


def test_wrong_value_in_a_list_of_nested_mappings_names_the_path_written(
    module: ModuleType, write: Write
) -> None:
    text = "Outer:\n  models:\n    - {layers: 1}\n    - {data: {n: x}}\n"
    path = write("lm.yaml", text)

    found = problems_of(
        lambda: module.ConfigArgBuilder(module.Outer, args=["-c", path])
    )

    message = "expected int, got 'x'"
    assert found == [Problem(f"{path}:4", "Outer.models[1].data.n", message)]


# --- the builder's own flags ------------------------------------------------------


def test_misspelled_config_flag_suggests_it(module: ModuleType, write: Write) -> None:
    path = write("m.yaml", "Model:\n  layers: 3\n")

    found = problems_of(
        lambda: module.ConfigArgBuilder(module.Model, args=["--confg", path])
    )

    message = "unknown flag; did you mean --config (or -c)?"
    assert found == [Problem("--confg", "", message)]


def test_folder_given_as_config_file_says_it_is_a_folder(
    module: ModuleType, tmp_path: Path
) -> None:
    folder = str(tmp_path)

    found = problems_of(
        lambda: module.ConfigArgBuilder(module.Model, args=["-c", folder])
    )

    message = f"config file {folder!r} is a folder, not a file"
    assert found == [Problem("--config", "", message)]


def test_folder_included_as_config_file_says_it_is_a_folder(
    module: ModuleType, write: Write
) -> None:
    path = write("m.yaml", "config: [sub]\n")
    (Path(path).parent / "sub").mkdir()

    found = problems_of(
        lambda: module.ConfigArgBuilder(module.Model, args=["-c", path])
    )

    resolved = str(Path(path).parent / "sub")
    message = f"included file 'sub' is a folder, not a file (resolved to {resolved})"
    assert found == [Problem(f"{path}:1", "", message)]


# --- the help of a tuning program -------------------------------------------------


def test_help_says_what_a_plain_value_of_a_tuned_field_does(
    module: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        module.ConfigArgBuilder(module.HP, args=["--help"])

    out = " ".join(capsys.readouterr().out.split())
    assert "takes a plain value, which fixes it" not in out
    assert (
        "A plain value (--Class.field VALUE) replays a saved sample: sample() without"
        " tuner() returns it when every tuned field has one; tuner() rejects it."
    ) in out
