"""Where values come from: class sections, top-level keys, formats, and their errors."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable
from types import ModuleType

import pytest

from spockc.runtime import ConfigError, Problem
from tests.runtime.conftest import Compile, problems_of

Write = Callable[[str, str], str]

SOURCE = """
@spock
class Train:
    lr: float = 0.5
    epochs: int
    name: str = "run"

@spock
class Data:
    batch: int = 4
    name: str = "iris"
"""


@pytest.fixture
def module(compiled: Compile) -> ModuleType:
    return compiled(SOURCE)


def test_section_value_beats_top_level_key_in_one_file(
    module: ModuleType, write: Write
) -> None:
    path = write("c.yaml", "lr: 0.1\nTrain:\n  lr: 0.2\n  epochs: 1\n")

    built = module.ConfigArgBuilder(module.Train, args=["-c", path]).generate()

    assert built.Train.lr == 0.2


def test_top_level_key_of_one_class_sets_that_field(
    module: ModuleType, write: Write
) -> None:
    path = write("c.yaml", "lr: 0.1\nepochs: 2\n")

    built = module.ConfigArgBuilder(module.Train, args=["-c", path]).generate()

    assert (built.Train.lr, built.Train.epochs) == (0.1, 2)


def test_ambiguous_top_level_key_names_the_classes(
    module: ModuleType, write: Write
) -> None:
    path = write("c.yaml", "epochs: 1\nname: x\n")

    found = problems_of(
        lambda: module.ConfigArgBuilder(module.Train, module.Data, args=["-c", path])
    )

    message = "top-level key is a field of Train, Data; put it in one class section"
    assert found == [Problem(f"{path}:2", "name", message)]


def test_top_level_key_is_not_ambiguous_when_one_owner_is_not_built(
    module: ModuleType, write: Write
) -> None:
    path = write("c.yaml", "epochs: 1\nname: x\n")

    built = module.ConfigArgBuilder(module.Train, args=["-c", path]).generate()

    assert built.Train.name == "x"


def test_later_file_beats_earlier_file(module: ModuleType, write: Write) -> None:
    first = write("a.yaml", "Train: {epochs: 1, lr: 0.1}\n")
    second = write("b.yaml", "Train: {epochs: 2}\n")

    built = module.ConfigArgBuilder(module.Train, args=["-c", first, second]).generate()

    assert (built.Train.epochs, built.Train.lr) == (2, 0.1)


def test_configs_argument_comes_before_command_line_files(
    module: ModuleType, write: Write
) -> None:
    first = write("a.yaml", "Train: {epochs: 1}\n")
    second = write("b.yaml", "Train: {epochs: 2}\n")

    built = module.ConfigArgBuilder(module.Train, configs=[first], args=["-c", second])

    assert built.generate().Train.epochs == 2


def test_flag_beats_config_file(module: ModuleType, write: Write) -> None:
    path = write("a.yaml", "Train: {epochs: 1}\n")

    built = module.ConfigArgBuilder(
        module.Train, args=["-c", path, "--Train.epochs", "5"]
    ).generate()

    assert built.Train.epochs == 5


def test_unknown_field_suggests_the_closest(module: ModuleType, write: Write) -> None:
    path = write("a.yaml", "Train:\n  epochs: 1\n  epoch: 2\n")

    found = problems_of(
        lambda: module.ConfigArgBuilder(module.Train, args=["-c", path])
    )

    message = "unknown field of Train; did you mean 'epochs'?"
    assert found == [Problem(f"{path}:3", "Train.epoch", message)]


def test_unknown_class_suggests_the_closest(module: ModuleType, write: Write) -> None:
    path = write("a.yaml", "Trian:\n  epochs: 1\n")

    found = problems_of(
        lambda: module.ConfigArgBuilder(module.Train, args=["-c", path])
    )

    message = "unknown class or field; did you mean 'Train'?"
    assert Problem(f"{path}:1", "Trian", message) in found


def test_section_of_a_class_not_given_is_ignored(
    module: ModuleType, write: Write
) -> None:
    path = write("a.yaml", "Train: {epochs: 1}\nData: {batch: nonsense}\n")

    built = module.ConfigArgBuilder(module.Train, args=["-c", path]).generate()

    assert built.Train.epochs == 1


def test_missing_required_value_names_the_flag(module: ModuleType) -> None:
    found = problems_of(lambda: module.ConfigArgBuilder(module.Train, args=[]))

    message = "required value missing; give it in a config file or with --Train.epochs"
    assert found == [Problem("", "Train.epochs", message)]


def test_every_problem_is_reported_together(module: ModuleType, write: Write) -> None:
    path = write("a.yaml", "Train:\n  lr: fast\n  epochs: many\nData:\n  batch: 1.5\n")

    found = problems_of(
        lambda: module.ConfigArgBuilder(module.Train, module.Data, args=["-c", path])
    )

    assert [(p.where, p.key) for p in found] == [
        (f"{path}:2", "Train.lr"),
        (f"{path}:3", "Train.epochs"),
        (f"{path}:5", "Data.batch"),
    ]


def test_missing_config_file_names_the_flag(
    module: ModuleType, tmp_path: object
) -> None:
    found = problems_of(
        lambda: module.ConfigArgBuilder(module.Train, args=["-c", "nowhere.yaml"])
    )

    assert found[0] == Problem("--config", "", "config file 'nowhere.yaml' not found")


def test_yaml_syntax_error_names_the_line(module: ModuleType, write: Write) -> None:
    path = write("a.yaml", "Train:\n  epochs: [1, 2\n  lr: 3\n")

    found = problems_of(
        lambda: module.ConfigArgBuilder(module.Train, args=["-c", path])
    )

    assert len(found) == 1
    assert found[0].where.startswith(f"{path}:")
    assert found[0].message.startswith("invalid YAML")


def test_unknown_file_type_is_an_error(module: ModuleType, write: Write) -> None:
    path = write("a.ini", "[Train]\n")

    found = problems_of(
        lambda: module.ConfigArgBuilder(module.Train, args=["-c", path])
    )

    assert found[0].where == "--config"
    assert "must end in one of .yaml, .yml, .toml, .json" in found[0].message


def test_toml_values_are_read_by_declared_type(
    module: ModuleType, write: Write
) -> None:
    path = write("a.toml", '[Train]\nlr = 1\nepochs = 3\nname = "0755"\n')

    built = module.ConfigArgBuilder(module.Train, args=["-c", path]).generate()

    assert built.Train == module.Train(lr=1.0, epochs=3, name="0755")
    assert type(built.Train.lr) is float


def test_json_values_are_read_by_declared_type(
    module: ModuleType, write: Write
) -> None:
    path = write("a.json", '{"Train": {"lr": 1, "epochs": 3, "name": "1.10"}}')

    built = module.ConfigArgBuilder(module.Train, args=["-c", path]).generate()

    assert built.Train == module.Train(lr=1.0, epochs=3, name="1.10")


def test_json_float_for_int_field_names_the_line(
    module: ModuleType, write: Write
) -> None:
    path = write(
        "a.json", '{\n  "Train": {\n    "name": "x",\n    "epochs": 3.0\n  }\n}\n'
    )

    found = problems_of(
        lambda: module.ConfigArgBuilder(module.Train, args=["-c", path])
    )

    assert found == [
        Problem(f"{path}:4", "Train.epochs", "expected int, got 3.0 (float)")
    ]


def test_json_key_lines_stay_right_after_a_duplicate_holding_keys(
    module: ModuleType, write: Write
) -> None:
    text = '{"Train": {\n"lr": 0.1,\n"lr": {"a": 1,\n"b": 2},\n"epochs": 3.5}}'
    path = write("t.json", text)

    found = problems_of(
        lambda: module.ConfigArgBuilder(module.Train, args=["-c", path])
    )

    assert [(p.where, p.key) for p in found] == [
        (f"{path}:3", ""),
        (f"{path}:5", "Train.epochs"),
    ]


def test_json_key_lines_skip_strings_that_look_like_keys(
    module: ModuleType, write: Write
) -> None:
    text = '{"Train": {"name": "a\\": b",\n "epochs": "x"}}'
    path = write("a.json", text)

    found = problems_of(
        lambda: module.ConfigArgBuilder(module.Train, args=["-c", path])
    )

    assert [(p.where, p.key) for p in found] == [(f"{path}:2", "Train.epochs")]


def test_toml_value_error_names_the_line_of_its_key(
    module: ModuleType, write: Write
) -> None:
    path = write("a.toml", '# run\n[Train]\nname = "x"\nepochs = 1.5\n')

    found = problems_of(
        lambda: module.ConfigArgBuilder(module.Train, args=["-c", path])
    )

    assert found == [
        Problem(f"{path}:4", "Train.epochs", "expected int, got 1.5 (float)")
    ]


def test_toml_syntax_error_names_its_line(module: ModuleType, write: Write) -> None:
    path = write("a.toml", "[Train]\nepochs = \n")

    found = problems_of(
        lambda: module.ConfigArgBuilder(module.Train, args=["-c", path])
    )

    assert found == [Problem(f"{path}:2", "", "invalid TOML: Invalid value")]


def test_quoted_null_is_text_for_a_str_field(module: ModuleType, write: Write) -> None:
    path = write("a.yaml", "Train: {epochs: 1, name: 'null'}\n")

    built = module.ConfigArgBuilder(module.Train, args=["-c", path]).generate()

    assert built.Train.name == "null"


def test_plain_null_for_a_non_optional_field_is_an_error(
    module: ModuleType, write: Write
) -> None:
    path = write("a.yaml", "Train:\n  epochs: 1\n  name: null\n")

    found = problems_of(
        lambda: module.ConfigArgBuilder(module.Train, args=["-c", path])
    )

    assert found == [Problem(f"{path}:3", "Train.name", "expected str, got null")]


def test_no_cmd_line_ignores_sys_argv(
    module: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.argv", ["prog", "--Train.epochs", "nonsense"])

    found = problems_of(lambda: module.ConfigArgBuilder(module.Train, no_cmd_line=True))

    assert [p.key for p in found] == ["Train.epochs"]


def test_passing_a_foreign_class_is_a_type_error(module: ModuleType) -> None:
    class Other:
        pass

    with pytest.raises(TypeError, match="is not a class of cfg_"):
        module.ConfigArgBuilder(Other, args=[])


def test_built_instances_are_frozen_and_compare_by_value(module: ModuleType) -> None:
    built = module.ConfigArgBuilder(
        module.Train, args=["--Train.epochs", "1"]
    ).generate()

    with pytest.raises(AttributeError):
        built.Train.epochs = 2  # type: ignore[misc]
    assert built.Train == module.Train(lr=0.5, epochs=1, name="run")


def test_problems_of_a_file_are_sorted_by_line(
    module: ModuleType, write: Write
) -> None:
    path = write("a.yaml", "Train:\n  epochs: x\nlr: fast\nTrain:\n  lr: 1\n")

    found = problems_of(
        lambda: module.ConfigArgBuilder(module.Train, args=["-c", path])
    )

    assert [p.where for p in found] == [f"{path}:2", f"{path}:3", f"{path}:4"]


def test_int_with_a_leading_zero_is_an_error_not_octal(
    module: ModuleType, write: Write
) -> None:
    path = write("a.yaml", "Train:\n  epochs: 010\n")

    found = problems_of(
        lambda: module.ConfigArgBuilder(module.Train, args=["-c", path])
    )

    hint = "a leading zero is ambiguous (octal in YAML 1.1); write it without"
    assert found == [
        Problem(f"{path}:2", "Train.epochs", f"expected int, got 010: {hint}")
    ]


@pytest.mark.parametrize(
    ("text", "value"), [("1_000", 1000), ("0x1F", 31), ("-0b11", -3)]
)
def test_int_spellings_of_yaml_and_toml_are_read(
    module: ModuleType, write: Write, text: str, value: int
) -> None:
    path = write("a.yaml", f"Train:\n  epochs: {text}\n")

    built = module.ConfigArgBuilder(module.Train, args=["-c", path]).generate()

    assert built.Train.epochs == value


@pytest.mark.parametrize(("text", "value"), [("1_", 1), ("1__0", 10), ("0x1F_", 31)])
def test_int_with_loose_underscores_reads_as_yaml_1_1_does(
    module: ModuleType, write: Write, text: str, value: int
) -> None:
    path = write("a.yaml", f"Train:\n  epochs: {text}\n  lr: {text}\n")

    built = module.ConfigArgBuilder(module.Train, args=["-c", path]).generate()

    assert (built.Train.epochs, built.Train.lr) == (value, float(value))


def test_base_prefix_without_digits_is_an_error_naming_the_line(
    module: ModuleType, write: Write
) -> None:
    path = write("a.yaml", "Train:\n  epochs: 0x_\n")

    found = problems_of(
        lambda: module.ConfigArgBuilder(module.Train, args=["-c", path])
    )

    assert found == [Problem(f"{path}:2", "Train.epochs", "expected int, got '0x_'")]


def test_builder_without_classes_is_a_type_error(module: ModuleType) -> None:
    with pytest.raises(TypeError, match="needs at least one config class"):
        module.ConfigArgBuilder(args=[])


def test_spock_builder_is_the_same_builder(module: ModuleType) -> None:
    assert module.SpockBuilder is module.ConfigArgBuilder


@pytest.mark.parametrize("loader", ["SafeLoader", "CSafeLoader"])
def test_pure_python_and_libyaml_composers_read_alike(
    compiled: Compile, write: Write, monkeypatch: pytest.MonkeyPatch, loader: str
) -> None:
    import yaml

    from spockc.runtime import config_files

    if not hasattr(yaml, loader):
        pytest.skip(f"PyYAML was built without {loader}")
    monkeypatch.setattr(config_files, "_loader", lambda: getattr(yaml, loader))
    module = compiled("@spock\nclass Geo:\n    country: str = 'se'\n    n: int = 1\n")
    good = write("good.yaml", "Geo:\n  country: no\n  n: 0x10\n")
    bad = write("bad.yaml", "Geo:\n  n: 1\n  n: 2\n")

    built = module.ConfigArgBuilder(module.Geo, args=["-c", good]).generate()
    found = problems_of(lambda: module.ConfigArgBuilder(module.Geo, args=["-c", bad]))

    assert (built.Geo.country, built.Geo.n) == ("no", 16)
    assert found == [
        Problem(f"{bad}:3", "", "duplicate key 'Geo.n' (first set at line 2)")
    ]


def test_configs_may_name_a_single_file(module: ModuleType, write: Write) -> None:
    path = write("a.yaml", "Train: {epochs: 4}\n")

    built = module.ConfigArgBuilder(module.Train, configs=path, args=[]).generate()

    assert built.Train.epochs == 4


def test_args_as_one_string_is_a_type_error(module: ModuleType) -> None:
    with pytest.raises(TypeError, match="args= takes a list of strings"):
        module.ConfigArgBuilder(module.Train, args="--Train.epochs 1")


_STALE_SOURCE = """
@spock
class Stale:
    batch: int = 32
"""


def _touch_source(module: ModuleType, seconds: float) -> str:
    source = os.path.join(os.path.dirname(str(module.__file__)), module._SCHEMA.source)
    when = os.path.getmtime(str(module.__file__)) + seconds
    os.utime(source, (when, when))
    return source


def test_unknown_flag_after_editing_the_source_says_to_recompile(
    compiled: Compile,
) -> None:
    module = compiled(_STALE_SOURCE)
    source = _touch_source(module, 60)
    try:
        with pytest.raises(ConfigError) as info:
            module.ConfigArgBuilder(module.Stale, args=["--Stale.epochs", "3"])
    finally:
        _touch_source(module, -60)

    [unknown, stale] = info.value.problems
    assert unknown.where == "--Stale.epochs"
    assert stale.where == source
    assert "run `spockc compile" in stale.message


def test_unknown_flag_with_an_up_to_date_module_names_only_the_flag(
    compiled: Compile,
) -> None:
    module = compiled(_STALE_SOURCE)
    _touch_source(module, -60)

    with pytest.raises(ConfigError) as info:
        module.ConfigArgBuilder(module.Stale, args=["--Stale.epochs", "3"])

    assert [problem.where for problem in info.value.problems] == ["--Stale.epochs"]


def test_recursive_yaml_alias_names_its_line(compiled: Compile, write: Write) -> None:
    module = compiled("@spock\nclass Net:\n    dims: List[int] = [1]\n")
    path = write("net.yaml", "Net:\n  dims: &a [1, *a]\n")

    found = problems_of(lambda: module.ConfigArgBuilder(module.Net, args=["-c", path]))

    assert Problem(f"{path}:2", "Net.dims", "recursive alias") in found


def test_duplicate_key_in_a_section_names_both_lines(
    module: ModuleType, write: Write
) -> None:
    path = write("a.yaml", "Train:\n  epochs: 1\n  lr: 0.1\n  epochs: 2\n")

    found = problems_of(
        lambda: module.ConfigArgBuilder(module.Train, args=["-c", path])
    )

    message = "duplicate key 'Train.epochs' (first set at line 2)"
    assert found == [Problem(f"{path}:4", "", message)]


def test_yaml_value_on_the_line_after_its_key_is_placed_on_its_own_line(
    module: ModuleType, write: Write
) -> None:
    path = write("a.yaml", "Train:\n  epochs:\n    x1\n")

    found = problems_of(
        lambda: module.ConfigArgBuilder(module.Train, args=["-c", path])
    )

    assert found == [Problem(f"{path}:3", "Train.epochs", "expected int, got 'x1'")]


@pytest.mark.parametrize("enabled", [True, False])
def test_building_leaves_the_garbage_collector_as_it_was(
    module: ModuleType, write: Write, enabled: bool
) -> None:
    good = write("good.yaml", "Train: {epochs: 3}\n")
    bad = write("bad.yaml", "Train: {epochs: x}\n")
    was_enabled = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        module.ConfigArgBuilder(module.Train, args=["-c", good])
        after_build = gc.isenabled()
        problems_of(lambda: module.ConfigArgBuilder(module.Train, args=["-c", bad]))
        after_error = gc.isenabled()
    finally:
        (gc.enable if was_enabled else gc.disable)()

    assert (after_build, after_error) == (enabled, enabled)
