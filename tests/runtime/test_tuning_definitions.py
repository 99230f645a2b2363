"""tuner(): hyper-parameter definitions merged from source, files and flags (C15)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from spockc import OptunaTunerConfig
from spockc.runtime import ConfigError, Problem
from tests.runtime.conftest import Compile, problems_of

Write = Callable[[str, str], str]

C15 = """
@spockTuner
class Enc:
    lr: RangeHyperParameter

@spockTuner
class Dec:
    lr: RangeHyperParameter
    units: RangeHyperParameter

@spock
class Basic:
    trials: int = 3
"""

TUNE = """\
Enc:
  lr: {type: float, bounds: [0.0001, 0.1], log_scale: true}
Dec:
  lr: {type: float, bounds: [0.5, 0.9], log_scale: false}
  units: {type: int, bounds: [0, 512], log_scale: true}
"""

IRISH = """
@spock
class Basic:
    trials: int = 3

@spockTuner
class HP:
    c: RangeHyperParameter[float]
    solver: ChoiceHyperParameter = ChoiceHyperParameter(type="str", choices=["lbfgs", "saga"])
    units: RangeHyperParameter[int] = RangeHyperParameter(type="int", bounds=[1, 8])
"""


def config() -> OptunaTunerConfig:
    return OptunaTunerConfig(direction="maximize")


@pytest.fixture
def c15(compiled: Compile) -> ModuleType:
    return compiled(C15)


@pytest.fixture
def hp(compiled: Compile) -> ModuleType:
    return compiled(IRISH)


def test_c15_log_int_with_zero_bound_is_rejected_before_any_trial(
    c15: ModuleType, write: Write
) -> None:
    path = write("tune.yaml", TUNE)
    builder = c15.ConfigArgBuilder(c15.Enc, c15.Dec, args=["-c", path])

    found = problems_of(lambda: builder.tuner(config()))

    message = "log_scale int needs lower bound >= 1 (got 0)"
    assert found == [Problem(f"{path}:5", "Dec.units", message)]


def test_c15_same_field_name_in_two_classes_samples_each_within_its_bounds(
    c15: ModuleType, write: Write
) -> None:
    path = write("tune.yaml", TUNE.replace("[0, 512]", "[1, 512]"))
    builder = c15.ConfigArgBuilder(c15.Enc, c15.Dec, args=["-c", path]).tuner(config())

    for _ in range(5):
        sample = builder.sample()
        builder.tuner_status["study"].tell(builder.tuner_status["trial"], 1.0)
        assert 0.0001 <= sample.Enc.lr <= 0.1
        assert 0.5 <= sample.Dec.lr <= 0.9
    names = set(builder.tuner_status["trial"].params)
    assert {"Enc.lr", "Dec.lr", "Dec.units"} == names


def test_c15_reversed_bounds_name_the_field(c15: ModuleType, write: Write) -> None:
    text = TUNE.replace("[0.5, 0.9]", "[0.9, 0.5]").replace("[0, 512]", "[1, 512]")
    path = write("tune.yaml", text)
    builder = c15.ConfigArgBuilder(c15.Enc, c15.Dec, args=["-c", path])

    found = problems_of(lambda: builder.tuner(config()))

    message = "lower bound 0.9 is greater than upper bound 0.5"
    assert found == [Problem(f"{path}:4", "Dec.lr", message)]


def test_c15_float_log_with_zero_bound_is_rejected(
    c15: ModuleType, write: Write
) -> None:
    text = TUNE.replace("[0.0001, 0.1]", "[0, 0.1]").replace("[0, 512]", "[1, 512]")
    path = write("tune.yaml", text)
    builder = c15.ConfigArgBuilder(c15.Enc, c15.Dec, args=["-c", path])

    found = problems_of(lambda: builder.tuner(config()))

    message = "log_scale float needs lower bound > 0 (got 0.0)"
    assert found == [Problem(f"{path}:2", "Enc.lr", message)]


@pytest.mark.parametrize(
    ("definition", "message"),
    [
        (
            "{type: float, bounds: [0, .inf]}",
            "bounds must be finite numbers, got [0.0, inf]",
        ),
        (
            "{type: float, bounds: [.nan, 1]}",
            "bounds must be finite numbers, got [nan, 1.0]",
        ),
        (
            "{type: float, bounds: [0, 1], step: .inf}",
            "step must be a finite number greater than 0 (got inf)",
        ),
        (
            "{type: int, bounds: [0, 1" + "0" * 400 + "]}",
            "bounds must be finite numbers, got [0, 1" + "0" * 400 + "]",
        ),
    ],
    ids=["infinite-bound", "nan-bound", "infinite-step", "int-beyond-float"],
)
def test_bounds_and_steps_that_are_not_finite_are_rejected(
    c15: ModuleType, write: Write, definition: str, message: str
) -> None:
    path = write("tune.yaml", f"Enc:\n  lr: {definition}\n")
    builder = c15.ConfigArgBuilder(c15.Enc, args=["-c", path])

    found = problems_of(lambda: builder.tuner(config()))

    assert found == [Problem(f"{path}:2", "Enc.lr", message)]


def test_steps_of_a_very_wide_range_are_counted_not_crashed_on(
    c15: ModuleType, write: Write
) -> None:
    path = write(
        "tune.yaml", "Enc:\n  lr: {type: float, bounds: [0, 1e308], step: 3e-300}\n"
    )
    builder = c15.ConfigArgBuilder(c15.Enc, args=["-c", path])

    found = problems_of(lambda: builder.tuner(config()))

    assert [(p.where, p.key) for p in found] == [(f"{path}:2", "Enc.lr")]
    assert "not a whole number of steps of 3e-300 apart" in found[0].message


def test_all_definition_problems_are_reported_together(
    c15: ModuleType, write: Write
) -> None:
    text = TUNE.replace("[0.0001, 0.1]", "[0, 0.1]").replace("[0.5, 0.9]", "[0.9, 0.5]")
    path = write("tune.yaml", text)
    builder = c15.ConfigArgBuilder(c15.Enc, c15.Dec, args=["-c", path])

    found = problems_of(lambda: builder.tuner(config()))

    assert [p.key for p in found] == ["Enc.lr", "Dec.lr", "Dec.units"]


@pytest.mark.parametrize(
    ("definition", "key", "message"),
    [
        (
            "{type: float, bounds: [0.1, 1], log_scale: maybe}",
            "Enc.lr.log_scale",
            "expected bool (true/false, yes/no, on/off, 1/0), got 'maybe'",
        ),
        (
            "{type: float, bounds: [0.1, 1], step: abc}",
            "Enc.lr.step",
            "expected float, got 'abc'",
        ),
        ("{type: int, bounds: [1, x]}", "Enc.lr.bounds[1]", "expected int, got 'x'"),
    ],
    ids=["log_scale", "step", "bound"],
)
def test_value_of_a_definition_part_that_does_not_decode_names_the_part(
    c15: ModuleType, write: Write, definition: str, key: str, message: str
) -> None:
    path = write("tune.yaml", f"Enc:\n  lr: {definition}\n")
    builder = c15.ConfigArgBuilder(c15.Enc, args=["-c", path])

    found = problems_of(lambda: builder.tuner(config()))

    assert found == [Problem(f"{path}:2", key, message)]


def test_choice_that_does_not_decode_names_its_index(compiled: Compile) -> None:
    module = compiled("@spockTuner\nclass HP:\n    act: ChoiceHyperParameter\n")
    args = ["--HP.act.type", "int", "--HP.act.choices", "[1, two]"]
    builder = module.ConfigArgBuilder(module.HP, args=args)

    found = problems_of(lambda: builder.tuner(config()))

    message = "expected int, got 'two'"
    assert found == [Problem("--HP.act.choices", "HP.act.choices[1]", message)]


def test_missing_bounds_say_how_to_give_them(c15: ModuleType) -> None:
    builder = c15.ConfigArgBuilder(c15.Enc, args=["--Enc.lr.type", "float"])

    found = problems_of(lambda: builder.tuner(config()))

    message = (
        "no bounds; give bounds: [low, high], "
        "under Enc in a config file or as --Enc.lr.bounds"
    )
    assert found == [Problem("--Enc.lr.type", "Enc.lr", message)]


def test_flags_complete_a_definition(c15: ModuleType) -> None:
    args = ["--Enc.lr.type", "int", "--Enc.lr.bounds", "[2, 4]", "--Enc.lr.log_scale"]
    builder = c15.ConfigArgBuilder(c15.Enc, args=args).tuner(config())

    sample = builder.sample()

    assert sample.Enc.lr in (2, 3, 4)
    assert type(sample.Enc.lr) is int


def test_flag_bounds_replace_file_bounds(hp: ModuleType, write: Write) -> None:
    path = write(
        "t.yaml", "HP:\n  c: {type: float, bounds: [1e-07, 10.0], log_scale: true}\n"
    )
    args = ["-c", path, "--HP.c.bounds", "[0.1, 0.2]", "--HP.c.log_scale", "false"]
    builder = hp.ConfigArgBuilder(hp.HP, args=args).tuner(config())

    assert 0.1 <= builder.sample().HP.c <= 0.2


def test_declared_type_conflicting_with_file_type_is_an_error(
    hp: ModuleType, write: Write
) -> None:
    path = write("t.yaml", "HP:\n  c: {type: int, bounds: [1, 10]}\n")
    builder = hp.ConfigArgBuilder(hp.HP, args=["-c", path])

    found = problems_of(lambda: builder.tuner(config()))

    message = "type int does not match RangeHyperParameter[float] in the source"
    assert found == [Problem(f"{path}:2", "HP.c", message)]


def test_choice_outside_the_declared_choices_is_an_error(
    hp: ModuleType, write: Write
) -> None:
    path = write(
        "t.yaml", "HP:\n  c: {bounds: [1, 2]}\n  solver: {choices: [lbfgs, adam]}\n"
    )
    builder = hp.ConfigArgBuilder(hp.HP, args=["-c", path])

    found = problems_of(lambda: builder.tuner(config()))

    message = (
        "choices ['adam'] are not among those the source declares, ['lbfgs', 'saga']"
    )
    assert found == [Problem(f"{path}:3", "HP.solver", message)]


def test_choices_may_narrow_the_declared_choices(hp: ModuleType, write: Write) -> None:
    path = write("t.yaml", "HP:\n  c: {bounds: [1, 2]}\n  solver: {choices: [saga]}\n")
    builder = hp.ConfigArgBuilder(hp.HP, args=["-c", path]).tuner(config())

    assert builder.sample().HP.solver == "saga"


def test_empty_choices_are_an_error(hp: ModuleType, write: Write) -> None:
    path = write("t.yaml", "HP:\n  c: {bounds: [1, 2]}\n  solver: {choices: []}\n")
    builder = hp.ConfigArgBuilder(hp.HP, args=["-c", path])

    found = problems_of(lambda: builder.tuner(config()))

    assert found == [Problem(f"{path}:3", "HP.solver", "choices must not be empty")]


def test_bool_choices_read_yaml_booleans_never_truthiness(
    compiled: Compile, write: Write
) -> None:
    module = compiled("@spockTuner\nclass HP:\n    flag: ChoiceHyperParameter\n")
    path = write("t.yaml", "HP:\n  flag: {type: bool, choices: [false, 'False']}\n")
    builder = module.ConfigArgBuilder(module.HP, args=["-c", path])

    found = problems_of(lambda: builder.tuner(config()))

    assert found == [
        Problem(f"{path}:2", "HP.flag", "choices repeat a value: [False, False]")
    ]


def test_unknown_definition_key_suggests_the_closest(
    hp: ModuleType, write: Write
) -> None:
    path = write("t.yaml", "HP:\n  c: {bounds: [1, 2], log_sacle: true}\n")

    found = problems_of(lambda: hp.ConfigArgBuilder(hp.HP, args=["-c", path]))

    message = "unknown definition key 'log_sacle'; did you mean 'log_scale'? (expected type, bounds, log_scale, step)"
    assert found == [Problem(f"{path}:2", "HP.c", message)]


def test_step_with_log_scale_is_an_error(hp: ModuleType) -> None:
    args = ["--HP.c.bounds", "[1, 2]", "--HP.c.log_scale", "true", "--HP.c.step", "0.1"]
    builder = hp.ConfigArgBuilder(hp.HP, args=args)

    found = problems_of(lambda: builder.tuner(config()))

    assert found == [
        Problem("--HP.c.step", "HP.c", "step cannot be combined with log_scale")
    ]


@pytest.mark.parametrize(
    ("field", "bounds", "step", "message"),
    [
        (
            "units",
            "[1, 10]",
            "4",
            "bounds [1, 10] are not a whole number of steps of 4 apart; make the upper bound 9 or 13",
        ),
        (
            "units",
            "[-5, 0]",
            "7",
            "bounds [-5, 0] are not a whole number of steps of 7 apart; make the upper bound 2",
        ),
        (
            "c",
            "[0, 1]",
            "0.3",
            "bounds [0.0, 1.0] are not a whole number of steps of 0.3 apart; make the upper bound 0.9 or 1.2",
        ),
    ],
)
def test_step_that_does_not_divide_the_bounds_is_an_error(
    hp: ModuleType, field: str, bounds: str, step: str, message: str
) -> None:
    args = [] if field == "c" else ["--HP.c.bounds", "[0, 1]"]  # c needs bounds
    args += [f"--HP.{field}.bounds", bounds, f"--HP.{field}.step", step]
    builder = hp.ConfigArgBuilder(hp.HP, args=args)

    found = problems_of(lambda: builder.tuner(config()))

    assert found == [Problem(f"--HP.{field}.step", f"HP.{field}", message)]


def test_step_that_divides_float_bounds_exactly_is_accepted(hp: ModuleType) -> None:
    args = ["--HP.c.bounds", "[0, 0.5]", "--HP.c.step", "0.1"]

    builder = hp.ConfigArgBuilder(hp.HP, args=args).tuner(config())

    drawn = {round(builder.sample().HP.c, 9) for _ in range(30)}
    assert drawn <= {0.0, 0.1, 0.2, 0.3, 0.4, 0.5}


def test_tuner_with_a_plain_value_says_it_needs_a_definition(hp: ModuleType) -> None:
    builder = hp.ConfigArgBuilder(hp.HP, args=["--HP.c", "0.5"])

    found = problems_of(lambda: builder.tuner(config()))

    assert [(p.where, p.key) for p in found] == [("--HP.c", "HP.c")]
    assert found[0].message.startswith(
        "has the fixed value 0.5; tuner() needs a definition"
    )


def test_sample_without_tuner_replays_plain_values(
    hp: ModuleType, write: Write
) -> None:
    path = write(
        "best.yaml", "Basic: {trials: 2}\nHP: {c: 0.25, solver: saga, units: 3}\n"
    )
    builder = hp.ConfigArgBuilder(hp.HP, hp.Basic, args=["-c", path])

    sample = builder.sample()

    assert sample.HP.c == 0.25
    assert (sample.HP.solver, sample.HP.units) == ("saga", 3)
    assert type(sample.HP) is hp.HP
    assert sample.Basic.trials == 2


def test_sample_before_tuner_without_plain_values_is_an_error(hp: ModuleType) -> None:
    builder = hp.ConfigArgBuilder(hp.HP, args=[])

    found = problems_of(builder.sample)

    message = "call tuner() before sample(), or give every tuned field a plain value"
    assert found == [Problem("", "", message)]


def test_tuner_without_tuner_classes_is_an_error(hp: ModuleType) -> None:
    builder = hp.ConfigArgBuilder(hp.Basic, args=[])

    found = problems_of(lambda: builder.tuner(config()))

    message = "tuner() needs at least one @spockTuner class given to the builder"
    assert found == [Problem("", "", message)]


def test_tuner_with_a_wrong_config_type_is_a_type_error(hp: ModuleType) -> None:
    builder = hp.ConfigArgBuilder(hp.HP, args=[])

    with pytest.raises(
        TypeError, match="tuner\\(\\) takes an OptunaTunerConfig, got dict"
    ):
        builder.tuner({"direction": "maximize"})  # type: ignore[arg-type]


def test_save_after_tuner_writes_reloadable_definitions(
    hp: ModuleType, write: Write, tmp_path: Path
) -> None:
    path = write("t.yaml", "HP:\n  c: {bounds: [1e-07, 10.0], log_scale: true}\n")
    builder = hp.ConfigArgBuilder(hp.HP, hp.Basic, args=["-c", path]).tuner(config())

    builder.save(user_specified_path=tmp_path / "out", extra_info=False)
    (saved,) = (tmp_path / "out").iterdir()
    again = hp.ConfigArgBuilder(hp.HP, hp.Basic, args=["-c", str(saved)]).tuner(
        config()
    )

    assert 1e-07 <= again.sample().HP.c <= 10.0
    assert (
        'c: {"type": "float", "bounds": [1e-07, 10.0], "log_scale": true}'
        in saved.read_text()
    )


def test_save_with_tuner_sample_saves_what_sample_returns(
    hp: ModuleType, write: Write, tmp_path: Path
) -> None:
    path = write("t.yaml", "HP:\n  c: {bounds: [1, 2]}\n")
    builder = hp.ConfigArgBuilder(hp.HP, hp.Basic, args=["-c", path]).tuner(config())

    sample = builder.save(add_tuner_sample=True, user_specified_path=tmp_path).sample()
    (saved,) = tmp_path.glob("hp.sample.1.*.spock.cfg.yaml")
    replayed = hp.ConfigArgBuilder(hp.HP, hp.Basic, args=["-c", str(saved)]).sample()

    assert replayed == sample


def test_save_best_rewrites_one_file_with_the_best_values(
    hp: ModuleType, write: Write, tmp_path: Path
) -> None:
    path = write("t.yaml", "HP:\n  c: {bounds: [1, 2]}\n")
    builder = hp.ConfigArgBuilder(hp.HP, hp.Basic, args=["-c", path]).tuner(config())

    for score in (0.1, 0.9, 0.5):
        sample = builder.sample()
        builder.tuner_status["study"].tell(builder.tuner_status["trial"], score)
        if score == 0.9:
            best = sample
        builder.save_best(file_name="run", user_specified_path=tmp_path)
    (saved,) = tmp_path.glob("run.hp.best.*.spock.cfg.yaml")
    replayed = hp.ConfigArgBuilder(hp.HP, hp.Basic, args=["-c", str(saved)]).sample()

    assert replayed == best
    assert builder.best == (best, 0.9)


def test_save_best_without_completed_trial_writes_nothing(
    hp: ModuleType, write: Write, tmp_path: Path
) -> None:
    path = write("t.yaml", "HP:\n  c: {bounds: [1, 2]}\n")
    builder = hp.ConfigArgBuilder(hp.HP, hp.Basic, args=["-c", path]).tuner(config())

    with pytest.raises(ConfigError):
        builder.save_best(user_specified_path=tmp_path / "out")

    assert not (tmp_path / "out").exists()


def test_tuner_problems_from_sys_argv_print_usage_and_exit_2(
    c15: ModuleType,
    write: Write,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = write("tune.yaml", TUNE)
    monkeypatch.setattr("sys.argv", ["tune.py", "-c", path])
    builder = c15.ConfigArgBuilder(c15.Enc, c15.Dec)

    with pytest.raises(SystemExit) as caught:
        builder.tuner(config())

    err = capsys.readouterr().err
    assert caught.value.code == 2
    assert err.startswith("usage: tune.py")
    assert f"{path}:5: Dec.units: log_scale int needs lower bound >= 1 (got 0)" in err


@pytest.mark.parametrize("extension", [".toml", ".json"])
def test_saved_definitions_reload_from_toml_and_json(
    hp: ModuleType, write: Write, tmp_path: Path, extension: str
) -> None:
    path = write(
        "t.yaml", "HP:\n  c: {bounds: [0.5, 0.75]}\n  solver: {choices: [saga]}\n"
    )
    builder = hp.ConfigArgBuilder(hp.HP, args=["-c", path]).tuner(config())

    builder.save(user_specified_path=tmp_path / "out", file_extension=extension)
    (saved,) = (tmp_path / "out").iterdir()
    sample = (
        hp.ConfigArgBuilder(hp.HP, args=["-c", str(saved)]).tuner(config()).sample()
    )

    assert 0.5 <= sample.HP.c <= 0.75
    assert sample.HP.solver == "saga"


def test_save_before_tuner_keeps_the_definitions(
    hp: ModuleType, write: Write, tmp_path: Path
) -> None:
    path = write("t.yaml", "HP:\n  c: {bounds: [2, 3]}\n")
    builder = hp.ConfigArgBuilder(hp.HP, args=["-c", path])

    builder.save(user_specified_path=tmp_path / "out", extra_info=False)
    (saved,) = (tmp_path / "out").iterdir()

    assert saved.read_text() == (
        "HP:\n"
        '  c: {"type": "float", "bounds": [2.0, 3.0], "log_scale": false}\n'
        '  solver: {"type": "str", "choices": ["lbfgs", "saga"]}\n'
        '  units: {"type": "int", "bounds": [1, 8], "log_scale": false}\n'
    )


def test_each_saved_sample_gets_the_next_number(
    hp: ModuleType, write: Write, tmp_path: Path
) -> None:
    path = write("t.yaml", "HP:\n  c: {bounds: [1, 2]}\n")
    builder = hp.ConfigArgBuilder(hp.HP, args=["-c", path]).tuner(config())

    for _ in range(2):
        builder.save(
            add_tuner_sample=True, user_specified_path=tmp_path / "out"
        ).sample()
        builder.tuner_status["study"].tell(builder.tuner_status["trial"], 1.0)

    numbers = sorted(p.name.split(".")[2] for p in (tmp_path / "out").iterdir())
    assert numbers == ["1", "2"]


def test_help_shows_definitions_and_their_sub_flags(
    hp: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        hp.ConfigArgBuilder(hp.HP, args=["--help"])

    out = capsys.readouterr().out
    rows = {line.split()[0]: line for line in out.splitlines() if "--HP." in line}
    assert "range[float]  from config" in rows["--HP.c"]
    assert "choice[str]   choices=['lbfgs', 'saga']" in rows["--HP.solver"]
    assert "range[int]    bounds=[1, 8]" in rows["--HP.units"]
    assert "--Class.field.type/.bounds/.log_scale/.step for a range" in out


@pytest.mark.parametrize(
    ("use", "what"),
    [
        (lambda b: b.tuner_status, "reading tuner_status"),
        (lambda b: b.best, "reading best"),
        (lambda b: b.save_best(user_specified_path="unused"), "save_best()"),
        (
            lambda b: b.save(add_tuner_sample=True, user_specified_path="unused"),
            "save(add_tuner_sample=True)",
        ),
    ],
)
def test_tuning_calls_before_tuner_say_to_call_it_first(
    hp: ModuleType, use: Callable[[Any], object], what: str
) -> None:
    builder = hp.ConfigArgBuilder(hp.HP, args=[])

    found = problems_of(lambda: use(builder))

    assert found == [Problem("", "", f"call tuner() before {what}")]
