"""The field failure cases of ../shared/cases.md that the runtime owns, with values."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from spockc.runtime import Problem
from tests.runtime.conftest import Compile, problems_of

Write = Callable[[str, str], str]


# --- C01 yaml-number-literals ---------------------------------------------------------

OPTIM = """
@spock
class Optim:
    lr: float = 0.1
    wd: float = 0.0
    steps: int = 10
"""


@pytest.fixture
def optim(compiled: Compile) -> ModuleType:
    return compiled(OPTIM)


def test_c01_yaml_exponent_without_dot_loads_as_float(
    optim: ModuleType, write: Write
) -> None:
    path = write("a.yaml", "Optim:\n  lr: 1e-5\n  wd: 1\n")

    built = optim.ConfigArgBuilder(optim.Optim, args=["-c", path]).generate()

    assert built.Optim.lr == 1e-05
    assert type(built.Optim.lr) is float


def test_c01_int_literal_for_float_field_widens_to_float(
    optim: ModuleType, write: Write
) -> None:
    path = write("a.yaml", "Optim:\n  wd: 1\n")

    built = optim.ConfigArgBuilder(optim.Optim, args=["-c", path]).generate()

    assert built.Optim.wd == 1.0
    assert type(built.Optim.wd) is float


def test_c01_cli_exponent_loads_as_float(optim: ModuleType) -> None:
    built = optim.ConfigArgBuilder(optim.Optim, args=["--Optim.lr", "1e-5"]).generate()

    assert built.Optim.lr == 1e-05


@pytest.mark.parametrize(
    ("text", "value"), [("5.", 5.0), (".5", 0.5), ("-1E3", -1000.0)]
)
def test_c01_other_float_spellings_load_as_floats(
    optim: ModuleType, write: Write, text: str, value: float
) -> None:
    path = write("a.yaml", f"Optim:\n  lr: {text}\n")

    built = optim.ConfigArgBuilder(optim.Optim, args=["-c", path]).generate()

    assert built.Optim.lr == value


def test_c01_float_for_int_field_is_an_error_naming_file_line_and_key(
    optim: ModuleType, write: Write
) -> None:
    path = write("b.yaml", "Optim:\n  steps: 3.7\n")

    found = problems_of(lambda: optim.ConfigArgBuilder(optim.Optim, args=["-c", path]))

    assert found == [
        Problem(f"{path}:2", "Optim.steps", "expected int, got 3.7 (float)")
    ]


# --- C02 yaml-norway-bool-words ---------------------------------------------------------

GEO = """
@spock
class Geo:
    country: str = "se"
    power: str = "auto"
    weights: Dict[str, int] = {}
"""


def test_c02_str_field_keeps_no_and_off_as_text(
    compiled: Compile, write: Write
) -> None:
    geo = compiled(GEO)
    path = write("geo.yaml", "Geo:\n  country: no\n  power: off\n")

    built = geo.ConfigArgBuilder(geo.Geo, args=["-c", path]).generate()

    assert (built.Geo.country, built.Geo.power) == ("no", "off")


def test_c02_dict_keys_on_off_no_keep_their_text(
    compiled: Compile, write: Write
) -> None:
    geo = compiled(GEO)
    path = write("geo.yaml", "Geo:\n  weights:\n    on: 1\n    off: 2\n    no: 3\n")

    built = geo.ConfigArgBuilder(geo.Geo, args=["-c", path]).generate()

    assert built.Geo.weights == {"on": 1, "off": 2, "no": 3}


@pytest.mark.parametrize("text", ["1.10", "0755", "1e-5", "true", "null_ish"])
def test_c02_str_field_keeps_number_like_text_as_written(
    compiled: Compile, write: Write, text: str
) -> None:
    geo = compiled(GEO)
    path = write("geo.yaml", f"Geo:\n  country: {text}\n")

    built = geo.ConfigArgBuilder(geo.Geo, args=["-c", path]).generate()

    assert built.Geo.country == text


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("c.yaml", "Flags:\n  on: yes\n"),
        ("c.toml", '[Flags]\non = "yes"\n'),
        ("c.json", '{"Flags": {"on": "yes"}}'),
    ],
)
def test_c02_bool_field_reads_yes_the_same_in_every_format(
    compiled: Compile, write: Write, name: str, text: str
) -> None:
    module = compiled("@spock\nclass Flags:\n    on: bool = False\n")
    path = write(name, text)

    built = module.ConfigArgBuilder(module.Flags, args=["-c", path]).generate()

    assert built.Flags.on is True


def test_c02_bool_flag_reads_yes_like_config_files(compiled: Compile) -> None:
    module = compiled("@spock\nclass Flags:\n    on: bool = False\n")

    built = module.ConfigArgBuilder(module.Flags, args=["--Flags.on", "yes"]).generate()

    assert built.Flags.on is True


# --- C03 yaml-duplicate-key --------------------------------------------------------------

TRAIN = """
@spock
class Train:
    lr: float = 0.5
    epochs: int = 1
"""


def test_c03_duplicate_key_names_both_lines(compiled: Compile, write: Write) -> None:
    module = compiled(TRAIN)
    path = write("train.yaml", "Train:\n  lr: 0.1\n  epochs: 5\n  lr: 0.01\n")

    found = problems_of(
        lambda: module.ConfigArgBuilder(module.Train, args=["-c", path])
    )

    message = "duplicate key 'Train.lr' (first set at line 2)"
    assert found == [Problem(f"{path}:4", "", message)]


def test_c03_duplicate_class_section_names_both_lines(
    compiled: Compile, write: Write
) -> None:
    module = compiled(TRAIN)
    path = write("train.yaml", "Train:\n  lr: 0.1\nTrain:\n  epochs: 5\n")

    found = problems_of(
        lambda: module.ConfigArgBuilder(module.Train, args=["-c", path])
    )

    assert found == [
        Problem(f"{path}:3", "", "duplicate key 'Train' (first set at line 1)")
    ]


def test_c03_merge_key_is_not_a_duplicate(compiled: Compile, write: Write) -> None:
    module = compiled(TRAIN)
    path = write("train.yaml", "Train:\n  <<: {lr: 0.1, epochs: 5}\n  lr: 0.01\n")

    built = module.ConfigArgBuilder(module.Train, args=["-c", path]).generate()

    assert (built.Train.lr, built.Train.epochs) == (0.01, 5)


def test_c03_duplicate_json_key_is_an_error(compiled: Compile, write: Write) -> None:
    module = compiled(TRAIN)
    path = write(
        "train.json", '{"Train": {\n  "lr": 0.1,\n  "epochs": 2,\n  "lr": 0.2}}'
    )

    found = problems_of(
        lambda: module.ConfigArgBuilder(module.Train, args=["-c", path])
    )

    message = "duplicate key 'Train.lr' (first set at line 2)"
    assert found == [Problem(f"{path}:4", "", message)]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            "[Train]\nlr = 0.1\nepochs = 2\nlr = 0.2\n",
            4,
            "duplicate key 'Train.lr' (first set at line 2)",
        ),
        (
            "[Train]\nlr = 0.1\n\n[Train]\nepochs = 2\n",
            4,
            "duplicate key 'Train' (first set at line 1)",
        ),
        (
            "Train.lr = 0.1\nTrain.lr = 0.2\n",
            2,
            "duplicate key 'Train.lr' (first set at line 1)",
        ),
        (
            "[Train]\nlr = 0.1\nlr.x = 2\n",
            3,
            "'Train.lr.x' cannot be set: 'Train.lr' holds a value (line 2)",
        ),
        (
            '[Train]\nnote = """\n[Data]\nlr = 5\n"""\nlr = 0.1\nlr = 0.3\n',
            7,
            "duplicate key 'Train.lr' (first set at line 6)",
        ),
    ],
    ids=[
        "key",
        "section",
        "dotted-key",
        "key-under-a-value",
        "after-a-multi-line-string",
    ],
)
def test_c03_duplicate_toml_key_names_both_lines(
    compiled: Compile, write: Write, text: str, line: int, message: str
) -> None:
    module = compiled(TRAIN)
    path = write("train.toml", text)

    found = problems_of(
        lambda: module.ConfigArgBuilder(module.Train, args=["-c", path])
    )

    assert found == [Problem(f"{path}:{line}", "", message)]


def test_c03_duplicate_key_of_an_inline_toml_table_is_named(
    compiled: Compile, write: Write
) -> None:
    module = compiled("@spock\nclass Data:\n    w: Dict[str, int] = {}\n")
    path = write("data.toml", "[Data]\nw = {a = 1, a = 2}\n")

    found = problems_of(lambda: module.ConfigArgBuilder(module.Data, args=["-c", path]))

    message = "duplicate key 'a' in an inline table of 'Data.w'"
    assert found == [Problem(f"{path}:2", "", message)]


# --- C04 yaml-anchor-alias-leak ----------------------------------------------------------

NET = """
@spock
class Enc:
    dims: List[int] = [1]

@spock
class Dec:
    dims: List[int] = [1]
"""


def test_c04_alias_with_flag_override_changes_only_that_class(
    compiled: Compile, write: Write
) -> None:
    module = compiled(NET)
    path = write("net.yaml", "Enc: &layer\n  dims: [64, 32]\nDec: *layer\n")

    built = module.ConfigArgBuilder(
        module.Enc, module.Dec, args=["-c", path, "--Dec.dims", "[8]"]
    ).generate()

    assert (built.Enc.dims, built.Dec.dims) == ([64, 32], [8])


def test_c04_aliased_lists_are_independent_copies(
    compiled: Compile, write: Write
) -> None:
    module = compiled(NET)
    path = write("net.yaml", "Enc: &layer\n  dims: [64, 32]\nDec: *layer\n")
    built = module.ConfigArgBuilder(
        module.Enc, module.Dec, args=["-c", path]
    ).generate()

    built.Enc.dims.append(1)

    assert built.Dec.dims == [64, 32]


def test_c04_merged_anchor_gives_independent_copies(
    compiled: Compile, write: Write
) -> None:
    module = compiled(NET)
    text = "Enc: &layer\n  dims: [64, 32]\nDec:\n  <<: *layer\n"
    path = write("net.yaml", text)
    built = module.ConfigArgBuilder(
        module.Enc, module.Dec, args=["-c", path]
    ).generate()

    built.Enc.dims.append(1)

    assert built.Dec.dims == [64, 32]


def test_c04_default_lists_are_not_shared_between_builds(compiled: Compile) -> None:
    module = compiled(NET)
    first = module.ConfigArgBuilder(module.Enc, args=[]).generate()

    first.Enc.dims.append(2)
    second = module.ConfigArgBuilder(module.Enc, args=[]).generate()

    assert second.Enc.dims == [1]


SHARED = """
@spock
class Inner:
    dims: List[int] = [1]

@spock
class Outer:
    a: Inner = Inner()
    b: Inner = Inner()
    many: List[Inner] = []
"""


def test_c04_each_use_of_a_nested_class_holds_its_own_lists(
    compiled: Compile, write: Write
) -> None:
    module = compiled(SHARED)
    path = write("o.yaml", "Inner: {dims: [4]}\nOuter: {many: [Inner, Inner]}\n")
    built = module.ConfigArgBuilder(module.Outer, args=["-c", path]).generate()

    built.Outer.a.dims.append(5)
    built.Outer.many[0].dims.append(6)

    assert built.Outer.a.dims == [4, 5]
    assert built.Outer.many[0].dims == [4, 6]
    assert built.Outer.b.dims == built.Outer.many[1].dims == built.Inner.dims == [4]


def test_c04_a_class_holding_lists_two_levels_down_is_not_shared(
    compiled: Compile,
) -> None:
    module = compiled(
        SHARED
        + """
@spock
class Holder:
    inner: Inner = Inner()

@spock
class Top:
    h1: Holder = Holder()
    h2: Holder = Holder()
"""
    )
    built = module.ConfigArgBuilder(module.Top, args=[]).generate()

    built.Top.h1.inner.dims.append(2)

    assert (built.Top.h2.inner.dims, built.Inner.dims) == ([1], [1])


# --- C05 nested-section-reaches-instance -------------------------------------------------

SCHED = """
@spock
class Sched:
    epochs: int = 100

@spock
class Train:
    sched: Sched = Sched()
"""


@pytest.mark.parametrize(
    ("text", "args", "epochs"),
    [
        ("epochs: 1\n", [], 1),
        ("Sched: {epochs: 1}\n", [], 1),
        ("{}\n", ["--Sched.epochs", "3"], 3),
    ],
)
def test_c05_nested_instance_takes_values_from_its_class(
    compiled: Compile, write: Write, text: str, args: list[str], epochs: int
) -> None:
    module = compiled(SCHED)
    path = write("s.yaml", text)

    built = module.ConfigArgBuilder(module.Train, args=["-c", path, *args]).generate()

    assert built.Train.sched.epochs == epochs
    assert built.Sched == built.Train.sched


# --- C06 nested-default-instance-kept ------------------------------------------------------

LAYERS = """
@spock
class Layer:
    width: int = 8
    depth: int = 2

@spock
class Net:
    enc: Layer = Layer(width=64)
    dec: Layer = Layer(width=32)
"""


def test_c06_nested_default_instances_keep_their_arguments(compiled: Compile) -> None:
    module = compiled(LAYERS)

    built = module.ConfigArgBuilder(module.Net, args=[]).generate()

    assert built.Net.enc == module.Layer(width=64, depth=2)
    assert built.Net.dec == module.Layer(width=32, depth=2)


def test_c06_flag_on_nested_class_keeps_each_width(compiled: Compile) -> None:
    module = compiled(LAYERS)

    built = module.ConfigArgBuilder(module.Net, args=["--Layer.depth", "4"]).generate()

    assert built.Net.enc == module.Layer(width=64, depth=4)
    assert built.Net.dec == module.Layer(width=32, depth=4)


def test_c06_section_of_nested_class_keeps_each_width(
    compiled: Compile, write: Write
) -> None:
    module = compiled(LAYERS)
    path = write("l.yaml", "Layer: {depth: 3}\n")

    built = module.ConfigArgBuilder(module.Net, args=["-c", path]).generate()

    assert built.Net.enc == module.Layer(width=64, depth=3)
    assert built.Net.dec == module.Layer(width=32, depth=3)


@pytest.mark.parametrize(
    "text",
    [
        "Net:\n  enc: {depth: 9}\n",
        "Net:\n  enc:\n    depth: 9\n",
        '{"Net": {"enc": {"depth": 9}}}\n',
    ],
    ids=["yaml-flow", "yaml-block", "json"],
)
def test_c06_inline_fields_of_one_instance_keep_its_other_arguments(
    compiled: Compile, write: Write, text: str
) -> None:
    module = compiled(LAYERS)
    path = write("l.json" if text.startswith("{") else "l.yaml", text)

    built = module.ConfigArgBuilder(module.Net, args=["-c", path]).generate()

    assert built.Net.enc == module.Layer(width=64, depth=9)
    assert built.Net.dec == module.Layer(width=32, depth=2)


def test_c06_inline_flag_for_one_instance_keeps_its_other_arguments(
    compiled: Compile,
) -> None:
    module = compiled(LAYERS)

    args = ["--Net.enc", "{depth: 9}", "--Layer.depth", "4"]
    built = module.ConfigArgBuilder(module.Net, args=args).generate()

    assert built.Net.enc == module.Layer(width=64, depth=9)
    assert built.Net.dec == module.Layer(width=32, depth=4)


def test_c06_inline_fields_beat_the_section_and_keep_the_arguments(
    compiled: Compile, write: Write
) -> None:
    module = compiled(LAYERS)
    text = "Layer: {depth: 3}\nNet:\n  dec: {width: 16}\n"
    path = write("l.yaml", text)

    built = module.ConfigArgBuilder(module.Net, args=["-c", path]).generate()

    assert built.Net.enc == module.Layer(width=64, depth=3)
    assert built.Net.dec == module.Layer(width=16, depth=3)


def test_c06_inline_fields_two_levels_down_keep_the_arguments(
    compiled: Compile, write: Write
) -> None:
    module = compiled(
        LAYERS
        + """
@spock
class Outer:
    net: Net = Net(enc=Layer(width=128, depth=5))
"""
    )
    path = write("o.yaml", "Outer:\n  net:\n    enc: {depth: 1}\n")

    built = module.ConfigArgBuilder(module.Outer, args=["-c", path]).generate()

    assert built.Outer.net.enc == module.Layer(width=128, depth=1)
    assert built.Outer.net.dec == module.Layer(width=32, depth=2)


def test_c06_naming_the_class_builds_it_from_its_section(
    compiled: Compile, write: Write
) -> None:
    module = compiled(LAYERS)
    path = write("l.yaml", "Net: {enc: Layer}\n")

    built = module.ConfigArgBuilder(module.Net, args=["-c", path]).generate()

    assert built.Net.enc == module.Layer(width=8, depth=2)


# --- C07 cli-bool-cannot-be-false ----------------------------------------------------------

SHUFFLE = """
@spock
class Train:
    shuffle: bool = True
    epochs: int = 1
"""


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--Train.shuffle", "false"], False),
        (["--Train.shuffle", "False"], False),
        (["--Train.shuffle"], True),
        (["--Train.shuffle", "0"], False),
        (["--Train.shuffle", "1"], True),
        (["--Train.shuffle", "--Train.epochs", "2"], True),
        (["--Train.shuffle=false"], False),
    ],
)
def test_c07_bool_flag_value_overrides_config_file(
    compiled: Compile, write: Write, args: list[str], expected: bool
) -> None:
    module = compiled(SHUFFLE)
    path = write("t.yaml", "Train: {shuffle: true}\n")

    built = module.ConfigArgBuilder(module.Train, args=["-c", path, *args]).generate()

    assert built.Train.shuffle is expected


def test_c07_bool_flag_with_a_word_lists_the_accepted_spellings(
    compiled: Compile,
) -> None:
    module = compiled(SHUFFLE)

    found = problems_of(
        lambda: module.ConfigArgBuilder(module.Train, args=["--Train.shuffle", "nope"])
    )

    assert [(p.where, p.key) for p in found] == [("--Train.shuffle", "Train.shuffle")]
    assert "true/false" in found[0].message


# --- C08 cli-sequences-and-tuple-arity ------------------------------------------------------

MODEL = """
@spock
class Model:
    sizes: Tuple[int, int, int] = (32, 32, 16)
    crop: Optional[Tuple[int, int]] = None
    drop: List[float] = [0.1]
    one: Tuple[int] = (1,)
    many: Tuple[int, ...] = (1,)
"""


@pytest.mark.parametrize(
    ("args", "field", "expected"),
    [
        (["--Model.sizes", "[64, 64, 32]"], "sizes", (64, 64, 32)),
        (["--Model.sizes", "(64,64,32)"], "sizes", (64, 64, 32)),
        (["--Model.sizes", "[64,64,32]"], "sizes", (64, 64, 32)),
        (["--Model.crop", "[3, 4]"], "crop", (3, 4)),
        (["--Model.drop", "[0.2, 0.3]"], "drop", [0.2, 0.3]),
        (["--Model.many", "[1, 2, 3]"], "many", (1, 2, 3)),
        (["--Model.one", "(5,)"], "one", (5,)),
        (["--Model.crop", "None"], "crop", None),
    ],
)
def test_c08_sequence_flags_give_the_declared_type(
    compiled: Compile, args: list[str], field: str, expected: object
) -> None:
    module = compiled(MODEL)

    built = module.ConfigArgBuilder(module.Model, args=args).generate()

    assert getattr(built.Model, field) == expected
    assert type(getattr(built.Model, field)) is type(expected)


def test_c08_short_tuple_flag_is_an_error_naming_the_flag(compiled: Compile) -> None:
    module = compiled(MODEL)

    found = problems_of(
        lambda: module.ConfigArgBuilder(module.Model, args=["--Model.sizes", "(64,64)"])
    )

    assert found == [Problem("--Model.sizes", "Model.sizes", "expected 3 items, got 2")]


def test_c08_one_item_tuple_rejects_two_items(compiled: Compile) -> None:
    module = compiled(MODEL)

    found = problems_of(
        lambda: module.ConfigArgBuilder(module.Model, args=["--Model.one", "[1, 2]"])
    )

    assert found == [Problem("--Model.one", "Model.one", "expected 1 item, got 2")]


def test_c08_yaml_tuple_length_is_checked_with_its_line(
    compiled: Compile, write: Write
) -> None:
    module = compiled(MODEL)
    path = write("m.yaml", "Model:\n  drop: [0.5]\n  sizes: [1, 2]\n")

    found = problems_of(
        lambda: module.ConfigArgBuilder(module.Model, args=["-c", path])
    )

    assert found == [Problem(f"{path}:3", "Model.sizes", "expected 3 items, got 2")]


# --- C09 optional-semantics --------------------------------------------------------------

RUN = """
@spock
class Aug:
    p: float = 0.5

@spock
class Run:
    aug: Optional[Aug] = None
    clip: Optional[float] = 1.0

@spock
class Base:
    seed: Optional[int]

@spock
class Child(Base):
    extra: int = 1
"""


def test_c09_optionals_default_to_none_and_inherit(compiled: Compile) -> None:
    module = compiled(RUN)

    built = module.ConfigArgBuilder(module.Run, module.Child, args=[]).generate()

    assert built.Run.aug is None
    assert built.Run.clip == 1.0
    assert built.Child.seed is None


def test_c09_explicit_null_beats_default_and_class_name_selects_nested(
    compiled: Compile, write: Write
) -> None:
    module = compiled(RUN)
    path = write("r.yaml", "Run: {aug: Aug, clip: null}\nAug: {p: 0.9}\n")

    built = module.ConfigArgBuilder(module.Run, args=["-c", path]).generate()

    assert built.Run.aug == module.Aug(p=0.9)
    assert built.Run.clip is None


def test_c09_flag_selects_nested_class_with_its_flags(compiled: Compile) -> None:
    module = compiled(RUN)

    built = module.ConfigArgBuilder(
        module.Run, args=["--Run.aug", "Aug", "--Aug.p", "0.7"]
    ).generate()

    assert built.Run.aug == module.Aug(p=0.7)


# --- C12 enum-value-vs-name ----------------------------------------------------------------

ENUMS = """
class Opt(Enum):
    sgd = "SGD"
    adam = "Adam"

class Lvl(Enum):
    low = 1
    high = 2

@spock
class Train:
    opt: Opt = Opt.sgd
    lvl: Lvl = Lvl.low
"""


def test_c12_enum_fields_hold_members_read_from_values(
    compiled: Compile, write: Write
) -> None:
    module = compiled(ENUMS)
    path = write("cfg.yaml", "Train: {opt: Adam, lvl: 2}\n")

    built = module.ConfigArgBuilder(module.Train, args=["-c", path]).generate()

    assert built.Train.opt is module.Opt.adam
    assert built.Train.lvl is module.Lvl.high


def test_c12_unknown_enum_value_lists_the_values(
    compiled: Compile, write: Write
) -> None:
    module = compiled(ENUMS)
    path = write("cfg.yaml", "Train:\n  opt: adma\n")

    found = problems_of(
        lambda: module.ConfigArgBuilder(module.Train, args=["-c", path])
    )

    message = "'adma' is not one of ['SGD', 'Adam']"
    assert found == [Problem(f"{path}:2", "Train.opt", message)]


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        ("cfg.yaml", "Train:\n  opt: sgd\n", "{path}:2"),
        ("cfg.toml", '[Train]\nopt = "sgd"\n', "{path}:2"),
        ("cfg.json", '{"Train": {"opt": "sgd"}}', "{path}:1"),
    ],
)
def test_c12_member_name_is_rejected_with_a_hint_in_every_format(
    compiled: Compile, write: Write, name: str, text: str, where: str
) -> None:
    module = compiled(ENUMS)
    path = write(name, text)

    found = problems_of(
        lambda: module.ConfigArgBuilder(module.Train, args=["-c", path])
    )

    message = "'sgd' is not one of ['SGD', 'Adam'] ('sgd' is a member name; write its value 'SGD')"
    assert found == [Problem(where.format(path=path), "Train.opt", message)]


def test_c12_member_name_flag_is_rejected_like_files(compiled: Compile) -> None:
    module = compiled(ENUMS)

    found = problems_of(
        lambda: module.ConfigArgBuilder(module.Train, args=["--Train.opt", "sgd"])
    )

    assert [(p.where, p.key) for p in found] == [("--Train.opt", "Train.opt")]
    assert found[0].message.startswith("'sgd' is not one of ['SGD', 'Adam']")


def test_c12_save_writes_enum_values_and_reloads_equal(
    compiled: Compile, write: Write, tmp_path: Path
) -> None:
    module = compiled(ENUMS)
    path = write("cfg.yaml", "Train: {opt: Adam, lvl: 2}\n")
    builder = module.ConfigArgBuilder(module.Train, args=["-c", path])

    builder.save(user_specified_path=tmp_path / "out", extra_info=False)
    (saved,) = (tmp_path / "out").iterdir()
    again = module.ConfigArgBuilder(module.Train, args=["-c", str(saved)])

    assert saved.read_text() == 'Train:\n  opt: "Adam"\n  lvl: 2\n'
    assert again.generate() == builder.generate()


# --- C13 save-drops-none -------------------------------------------------------------------

CLIP = """
@spock
class Train:
    clip: Optional[float] = 5.0
    note: Optional[str] = None
"""


@pytest.mark.parametrize("extension", [".yaml", ".json"])
def test_c13_saved_none_reloads_as_none(
    compiled: Compile, write: Write, tmp_path: Path, extension: str
) -> None:
    module = compiled(CLIP)
    path = write("t.yaml", "Train: {clip: null}\n")
    builder = module.ConfigArgBuilder(module.Train, args=["-c", path])

    builder.save(user_specified_path=tmp_path / "out", file_extension=extension)
    (saved,) = (tmp_path / "out").iterdir()
    again = module.ConfigArgBuilder(module.Train, args=["-c", str(saved)]).generate()

    assert builder.generate().Train.clip is None
    assert again.Train.clip is None
    assert "null" in saved.read_text()


def test_c13_toml_refuses_none_over_a_non_none_default(
    compiled: Compile, write: Write, tmp_path: Path
) -> None:
    module = compiled(CLIP)
    path = write("t.yaml", "Train: {clip: null}\n")
    builder = module.ConfigArgBuilder(module.Train, args=["-c", path])

    found = problems_of(
        lambda: builder.save(
            user_specified_path=tmp_path / "out", file_extension=".toml"
        )
    )

    message = "cannot save None to TOML (no null); use .yaml or .json"
    assert found == [Problem("", "Train.clip", message)]
    assert list((tmp_path / "out").iterdir()) == []


def test_c13_toml_leaves_out_none_whose_default_is_none(
    compiled: Compile, tmp_path: Path
) -> None:
    module = compiled(CLIP)
    builder = module.ConfigArgBuilder(module.Train, args=["--Train.clip", "2.5"])

    builder.save(user_specified_path=tmp_path, file_extension=".toml", extra_info=False)
    (saved,) = tmp_path.glob("*.toml")
    again = module.ConfigArgBuilder(module.Train, args=["-c", str(saved)]).generate()

    assert again == builder.generate()
    assert again.Train.note is None


# --- C14 include-relative-path-base --------------------------------------------------------

DATA = """
@spock
class Data:
    batch: int = 1

@spock
class Train:
    epochs: int = 1
"""


def test_c14_include_resolves_against_including_file(
    compiled: Compile, write: Write, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = compiled(DATA)
    write("configs/exp.yaml", "config: [base.yaml]\nTrain: {epochs: 3}\n")
    write("configs/base.yaml", "Data: {batch: 7}\n")
    write("base.yaml", "Data: {batch: 99}\n")
    monkeypatch.chdir(tmp_path)

    built = module.ConfigArgBuilder(
        module.Data, module.Train, args=["--config", "configs/exp.yaml"]
    ).generate()

    assert (built.Data.batch, built.Train.epochs) == (7, 3)


def test_c14_missing_include_names_the_including_file(
    compiled: Compile, write: Write, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = compiled(DATA)
    write("configs/exp.yaml", "config: [nothere.yaml]\nTrain: {epochs: 3}\n")
    monkeypatch.chdir(tmp_path)

    found = problems_of(
        lambda: module.ConfigArgBuilder(
            module.Data, args=["--config", "configs/exp.yaml"]
        )
    )

    message = (
        "included file 'nothere.yaml' not found (resolved to configs/nothere.yaml)"
    )
    assert found == [Problem("configs/exp.yaml:1", "", message)]


def test_c14_including_file_beats_includes_and_later_include_beats_earlier(
    compiled: Compile, write: Write
) -> None:
    module = compiled(DATA)
    write("a.yaml", "Data: {batch: 2}\nTrain: {epochs: 2}\n")
    write("b.yaml", "Data: {batch: 3}\n")
    top = write("top.yaml", "config: [a.yaml, b.yaml]\nTrain: {epochs: 9}\n")

    built = module.ConfigArgBuilder(
        module.Data, module.Train, args=["-c", top]
    ).generate()

    assert (built.Data.batch, built.Train.epochs) == (3, 9)


def test_c14_diamond_include_is_not_a_cycle(compiled: Compile, write: Write) -> None:
    module = compiled(DATA)
    write("base.yaml", "Data: {batch: 5}\n")
    write("left.yaml", "config: base.yaml\n")
    write("right.yaml", "config: base.yaml\n")
    top = write("top.yaml", "config: [left.yaml, right.yaml]\n")

    built = module.ConfigArgBuilder(module.Data, args=["-c", top]).generate()

    assert built.Data.batch == 5


def test_c14_base_included_twice_never_beats_a_file_that_includes_it(
    compiled: Compile, write: Write
) -> None:
    module = compiled(DATA)
    write("common.yaml", "Data: {batch: 1}\nTrain: {epochs: 1}\n")
    write("a.yaml", "config: [common.yaml]\nData: {batch: 2}\n")
    write("b.yaml", "config: [common.yaml]\nTrain: {epochs: 5}\n")
    top = write("top.yaml", "config: [a.yaml, b.yaml]\n")

    built = module.ConfigArgBuilder(
        module.Data, module.Train, args=["-c", top]
    ).generate()

    assert (built.Data.batch, built.Train.epochs) == (2, 5)


def test_c14_file_given_after_a_file_including_it_beats_that_file(
    compiled: Compile, write: Write
) -> None:
    module = compiled(DATA)
    common = write("common.yaml", "Data: {batch: 1}\n")
    a = write("a.yaml", "config: [common.yaml]\nData: {batch: 2}\n")

    built = module.ConfigArgBuilder(module.Data, args=["-c", a, common]).generate()

    assert built.Data.batch == 1


def test_c14_file_given_before_a_file_including_it_is_not_read_again(
    compiled: Compile, write: Write
) -> None:
    module = compiled(DATA)
    common = write("common.yaml", "Data: {batch: 1}\nTrain: {epochs: 1}\n")
    a = write("a.yaml", "config: [common.yaml]\nData: {batch: 2}\n")
    b = write("b.yaml", "Train: {epochs: 3}\n")

    args = ["-c", common, b, a]
    built = module.ConfigArgBuilder(module.Data, module.Train, args=args).generate()

    assert (built.Data.batch, built.Train.epochs) == (2, 3)


def test_c14_problems_of_a_file_included_twice_are_reported_once(
    compiled: Compile, write: Write
) -> None:
    module = compiled(DATA)
    write("common.yaml", "Data: {batch: x}\n")
    write("a.yaml", "config: [common.yaml]\n")
    top = write("top.yaml", "config: [a.yaml, common.yaml]\n")

    found = problems_of(lambda: module.ConfigArgBuilder(module.Data, args=["-c", top]))

    assert [problem.key for problem in found] == ["Data.batch"]


def test_c14_include_cycle_is_an_error_listing_the_chain(
    compiled: Compile, write: Write, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = compiled(DATA)
    write("a.yaml", "config: [b.yaml]\n")
    write("b.yaml", "config: [a.yaml]\n")
    monkeypatch.chdir(tmp_path)

    found = problems_of(
        lambda: module.ConfigArgBuilder(module.Data, args=["-c", "a.yaml"])
    )

    assert found == [
        Problem("b.yaml:1", "", "include cycle: a.yaml -> b.yaml -> a.yaml")
    ]


def test_c03_quoted_merge_key_is_an_ordinary_key(
    compiled: Compile, write: Write
) -> None:
    module = compiled("@spock\nclass Keys:\n    d: Dict[str, int] = {}\n")
    path = write("k.yaml", "Keys:\n  d: {'<<': 1, on: 2}\n")

    built = module.ConfigArgBuilder(module.Keys, args=["-c", path]).generate()

    assert built.Keys.d == {"<<": 1, "on": 2}
