"""The command line: flags, -c/--config, -h/--help, and exit status 2 on errors."""

from __future__ import annotations

from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spockc.runtime import Problem
from tests.runtime.conftest import Compile, problems_of

SOURCE = '''
class Act(Enum):
    relu = "relu"
    gelu = "gelu"

@spock
class Optimizer:
    """How the weights are updated.

    Attributes:
        lr: learning rate
    """

    lr: float = 0.001

@spock
class Train:
    """One training run.

    Attributes:
        epochs: passes over the data
        act: activation
        optimizer: optimiser settings
    """

    epochs: int
    act: Act = Act.relu
    weights: Dict[str, float] = {}
    optimizer: Optimizer = Optimizer(lr=0.01)
    note: Optional[str] = None

@spock
class Unused:
    x: int = 1
'''


@pytest.fixture
def module(compiled: Compile) -> ModuleType:
    return compiled(SOURCE)


def test_unknown_flag_suggests_the_closest(module: ModuleType) -> None:
    found = problems_of(
        lambda: module.ConfigArgBuilder(module.Train, args=["--Train.epoch", "1"])
    )

    message = "unknown flag; did you mean --Train.epochs?"
    assert Problem("--Train.epoch", "", message) in found


def test_unknown_field_flag_suggests_nothing_when_no_field_is_close(
    module: ModuleType,
) -> None:
    args = ["--Train.epochs", "1", "--Train.dropout", "0.1"]

    found = problems_of(lambda: module.ConfigArgBuilder(module.Train, args=args))

    assert found == [Problem("--Train.dropout", "", "unknown flag")]


def test_flag_of_a_misspelled_class_suggests_the_closest_flag(
    module: ModuleType,
) -> None:
    args = ["--Train.epochs", "1", "--Trian.epochs", "2"]

    found = problems_of(lambda: module.ConfigArgBuilder(module.Train, args=args))

    message = "unknown flag; did you mean --Train.epochs?"
    assert found == [Problem("--Trian.epochs", "", message)]


def test_flag_of_a_class_not_given_says_so(module: ModuleType) -> None:
    args = ["--Train.epochs", "1", "--Unused.x", "2"]

    found = problems_of(lambda: module.ConfigArgBuilder(module.Train, args=args))

    message = "unknown flag: class Unused was not given to the builder"
    assert found == [Problem("--Unused.x", "", message)]


def test_flag_without_value_is_an_error(module: ModuleType) -> None:
    found = problems_of(
        lambda: module.ConfigArgBuilder(module.Train, args=["--Train.epochs"])
    )

    assert Problem("--Train.epochs", "", "expected a value") in found


def test_stray_argument_is_an_error(module: ModuleType) -> None:
    args = ["--Train.epochs", "1", "extra"]

    found = problems_of(lambda: module.ConfigArgBuilder(module.Train, args=args))

    message = "unexpected argument; values follow a --Class.field flag"
    assert found == [Problem("extra", "", message)]


def test_nested_class_flag_reaches_nested_instance(module: ModuleType) -> None:
    args = ["--Train.epochs", "1", "--Optimizer.lr", "0.5"]

    built = module.ConfigArgBuilder(module.Train, args=args).generate()

    assert built.Train.optimizer.lr == 0.5
    assert built.Optimizer.lr == 0.5


def test_dict_flag_takes_a_flow_mapping(module: ModuleType) -> None:
    args = ["--Train.epochs", "1", "--Train.weights", "{a: 1, on: 2.5}"]

    built = module.ConfigArgBuilder(module.Train, args=args).generate()

    assert built.Train.weights == {"a": 1.0, "on": 2.5}


def test_dict_flag_takes_a_python_literal(module: ModuleType) -> None:
    args = ["--Train.epochs", "1", "--Train.weights", "{'a': 1}"]

    built = module.ConfigArgBuilder(module.Train, args=args).generate()

    assert built.Train.weights == {"a": 1.0}


def test_negative_number_is_a_flag_value(module: ModuleType) -> None:
    args = ["--Train.epochs", "-3"]

    built = module.ConfigArgBuilder(module.Train, args=args).generate()

    assert built.Train.epochs == -3


def test_optional_str_flag_none_means_none_but_quoted_text_stays(
    module: ModuleType,
) -> None:
    args = ["--Train.epochs", "1", "--Train.note", "None"]

    built = module.ConfigArgBuilder(module.Train, args=args).generate()

    assert built.Train.note is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("null", "null"), ("None", "None"), ("~", "~"), ("", "")],
)
def test_str_flag_takes_its_text_as_given(
    compiled: Compile, text: str, expected: str
) -> None:
    module = compiled(
        "@spock\nclass T:\n    name: str = 'x'\n    note: Optional[str] = 'a'\n"
    )

    built = module.ConfigArgBuilder(module.T, args=["--T.name", text]).generate()

    assert built.T.name == expected


@pytest.mark.parametrize(("text", "expected"), [("null", None), ("", "")])
def test_optional_str_flag_takes_null_for_none_and_empty_text_as_text(
    compiled: Compile, text: str, expected: str | None
) -> None:
    module = compiled("@spock\nclass T:\n    note: Optional[str] = 'a'\n")

    built = module.ConfigArgBuilder(module.T, args=["--T.note", text]).generate()

    assert built.T.note == expected


def test_empty_flag_value_for_a_list_is_an_error_naming_it(compiled: Compile) -> None:
    module = compiled("@spock\nclass T:\n    names: Optional[List[str]] = None\n")

    found = problems_of(lambda: module.ConfigArgBuilder(module.T, args=["--T.names="]))

    assert found == [
        Problem("--T.names", "T.names", "expected list[str], got '' (str)")
    ]


def test_empty_flag_value_for_a_number_is_an_error_naming_it(compiled: Compile) -> None:
    module = compiled("@spock\nclass T:\n    n: int = 1\n    on: bool = True\n")

    found = problems_of(
        lambda: module.ConfigArgBuilder(module.T, args=["--T.n", "", "--T.on", ""])
    )

    assert found == [
        Problem("--T.n", "T.n", "expected int, got '' (str)"),
        Problem(
            "--T.on",
            "T.on",
            "expected bool (true/false, yes/no, on/off, 1/0), got '' (str)",
        ),
    ]


def test_equals_form_takes_the_value(module: ModuleType) -> None:
    built = module.ConfigArgBuilder(module.Train, args=["--Train.epochs=7"]).generate()

    assert built.Train.epochs == 7


def test_errors_from_sys_argv_print_usage_and_exit_2(
    module: ModuleType,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("sys.argv", ["train.py", "--Train.epochs", "x"])

    with pytest.raises(SystemExit) as caught:
        module.ConfigArgBuilder(module.Train)

    err = capsys.readouterr().err
    assert caught.value.code == 2
    assert err.splitlines()[0].startswith("usage: train.py [-h] [-c CONFIG")
    assert "train.py: error: --Train.epochs: expected int, got 'x'" in err


def test_help_prints_a_table_per_class_and_exits_0(
    module: ModuleType,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("sys.argv", ["train.py", "-h"])

    with pytest.raises(SystemExit) as caught:
        module.ConfigArgBuilder(module.Train, desc="Train a model")

    out = capsys.readouterr().out
    assert caught.value.code == 0
    assert out.startswith("usage: train.py [-h]")
    assert "Train a model" in out
    assert "Train: One training run." in out
    assert "Optimizer: How the weights are updated." in out
    rows = {
        line.split()[0]: line.split() for line in out.splitlines() if "--Train." in line
    }
    assert rows["--Train.epochs"][1:3] == ["int", "required"]
    assert rows["--Train.act"][1:3] == ["Act", "'relu'"]
    assert rows["--Train.act"][-5:] == ["activation", "(one", "of", "relu,", "gelu)"]
    assert rows["--Train.optimizer"][1:3] == ["Optimizer", "Optimizer(lr=0.01)"]
    assert " ".join(rows["--Train.epochs"][3:]) == "passes over the data"
    assert "Unused" not in out


SEQUENCES = """
@spock
class Seq:
    ints: List[int] = []
    words: List[str] = []
    pair: Tuple[float, str] = (0.0, "")
"""


@pytest.fixture(scope="module")
def seq(_compile_cache: Compile) -> ModuleType:
    return _compile_cache(SEQUENCES)


@settings(max_examples=80, deadline=None)
@given(
    ints=st.lists(st.integers(), max_size=4),
    words=st.lists(
        st.text(st.characters(codec="utf-8", exclude_categories=["Cs"])), max_size=4
    ),
    pair=st.tuples(
        st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=5)
    ),
)
def test_python_literal_sequence_flags_give_back_the_values(
    seq: ModuleType, ints: list[int], words: list[str], pair: tuple[float, str]
) -> None:
    args = [
        "--Seq.ints",
        repr(ints),
        "--Seq.words",
        repr(words),
        "--Seq.pair",
        repr(pair),
    ]

    built = seq.ConfigArgBuilder(seq.Seq, args=args).generate()

    assert (built.Seq.ints, built.Seq.words, built.Seq.pair) == (ints, words, pair)


@pytest.mark.parametrize(
    "text", ["[no, off, '1.10']", "['no', 'off', '1.10']", '["no","off","1.10"]']
)
def test_str_list_flag_keeps_words_in_yaml_and_python_style(
    seq: ModuleType, text: str
) -> None:
    built = seq.ConfigArgBuilder(seq.Seq, args=["--Seq.words", text]).generate()

    assert built.Seq.words == ["no", "off", "1.10"]
