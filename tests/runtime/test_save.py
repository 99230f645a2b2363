"""save(): file names, formats, atomic writes, and reloading what was saved."""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spockc.runtime import ConfigError, save
from spockc.runtime.frozen import fields_of
from tests.runtime.conftest import Compile

Write = Callable[[str, str], str]

EVERY_TYPE = """
class Color(Enum):
    red = "red"
    blue = "blue"

class Level(Enum):
    low = 1
    high = 2

@spock
class Inner:
    x: int = 0
    tag: str = "a"

@spock
class Every:
    b: bool = False
    i: int = 0
    f: float = 0.0
    s: str = ""
    li: List[int] = []
    lf: List[float] = []
    ls: List[str] = []
    t3: Tuple[int, str, float] = (0, "", 0.0)
    tv: Tuple[str, ...] = ()
    d: Dict[str, int] = {}
    ds: Dict[str, str] = {}
    o: Optional[float] = 1.0
    on: Optional[str] = None
    ot: Optional[Tuple[int, int]] = None
    color: Color = Color.red
    level: Level = Level.low
    inner: Inner = Inner(x=5)
    oi: Optional[Inner] = None
    nested: List[List[int]] = []
"""

ints = st.integers(min_value=-(2**63), max_value=2**63 - 1)
floats = st.floats(allow_nan=False)
texts = st.text(max_size=12)


@pytest.fixture(scope="module")
def every(_compile_cache: Compile) -> ModuleType:
    return _compile_cache(EVERY_TYPE)


def instances(module: ModuleType) -> st.SearchStrategy[tuple[Any, Any]]:
    """Return pairs (Inner, Every) of arbitrary values of every supported type."""
    inner = st.builds(module.Inner, x=ints, tag=texts)
    every = st.builds(
        module.Every,
        b=st.booleans(),
        i=ints,
        f=floats,
        s=texts,
        li=st.lists(ints, max_size=3),
        lf=st.lists(floats, max_size=3),
        ls=st.lists(texts, max_size=3),
        t3=st.tuples(ints, texts, floats),
        tv=st.lists(texts, max_size=3).map(tuple),
        d=st.dictionaries(texts, ints, max_size=3),
        ds=st.dictionaries(texts, texts, max_size=3),
        o=st.none() | floats,
        on=st.none() | texts,
        ot=st.none() | st.tuples(ints, ints),
        color=st.sampled_from(list(module.Color)),
        level=st.sampled_from(list(module.Level)),
        inner=inner,
        oi=st.none() | inner,
        nested=st.lists(st.lists(ints, max_size=2), max_size=2),
    )
    return st.tuples(inner, every)


def saved_and_reloaded(
    module: ModuleType, folder: Path, extension: str, inner: Any, every: Any
) -> Any:
    """Save the two instances the way save() does and build again from the file."""
    builder = module.ConfigArgBuilder(module.Every, args=[])
    plan = builder._plan
    classes = {"Inner": inner, "Every": every}
    target = str(folder / f"saved{extension}")
    data = save.payload(plan, classes, {}, for_toml=extension == ".toml")
    save.write(target, data, ["a comment"])
    return module.ConfigArgBuilder(module.Every, args=["-c", target]).generate()


@pytest.mark.parametrize("extension", [".yaml", ".json", ".toml"])
def test_saved_values_of_every_type_reload_equal(
    every: ModuleType, tmp_path_factory: pytest.TempPathFactory, extension: str
) -> None:
    folder = tmp_path_factory.mktemp("roundtrip")

    @settings(
        max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(instances(every))
    def check(pair: tuple[Any, Any]) -> None:
        inner, value = pair
        if extension == ".toml" and value.o is None:  # None over a 1.0 default
            with pytest.raises(ConfigError):
                saved_and_reloaded(every, folder, extension, inner, value)
            return
        again = saved_and_reloaded(every, folder, extension, inner, value)
        assert again.Every == value
        assert again.Inner == inner
        assert type(again.Every.t3) is tuple

    check()


def test_saved_yaml_quotes_strings_that_look_like_other_types(
    every: ModuleType, tmp_path: Path
) -> None:
    value = every.Every(
        **{**_defaults(every), "s": "no", "ls": ["1.10", "0755", "true", "null", "~"]}
    )

    again = saved_and_reloaded(
        every, tmp_path, ".yaml", every.Inner(x=0, tag="a"), value
    )

    assert again.Every.ls == ["1.10", "0755", "true", "null", "~"]
    assert again.Every.s == "no"


def test_saved_yaml_has_no_python_tags(every: ModuleType, tmp_path: Path) -> None:
    builder = every.ConfigArgBuilder(every.Every, args=[])

    builder.save(user_specified_path=tmp_path)
    (saved,) = tmp_path.iterdir()

    assert "!!" not in saved.read_text()


def _defaults(module: ModuleType) -> dict[str, Any]:
    built = module.ConfigArgBuilder(module.Every, args=[]).generate()
    return {name: getattr(built.Every, name) for name in fields_of(module.Every)}


def test_save_names_files_as_spock_does(every: ModuleType, tmp_path: Path) -> None:
    builder = every.ConfigArgBuilder(every.Every, args=[])

    builder.save(user_specified_path=tmp_path).save(
        file_name="exp", user_specified_path=tmp_path
    )

    names = {path.name for path in tmp_path.iterdir()}
    run_id = builder._run_id
    assert names == {f"exp.{run_id}.spock.cfg.yaml", f"{run_id}.spock.cfg.yaml"}


def test_save_twice_rewrites_its_own_file(every: ModuleType, tmp_path: Path) -> None:
    builder = every.ConfigArgBuilder(every.Every, args=[])

    builder.save(user_specified_path=tmp_path).save(user_specified_path=tmp_path)

    assert len(list(tmp_path.iterdir())) == 1


def test_save_never_overwrites_another_runs_file(
    every: ModuleType, tmp_path: Path
) -> None:
    builder = every.ConfigArgBuilder(every.Every, args=[])
    builder.save(user_specified_path=tmp_path)
    (first,) = tmp_path.iterdir()
    first.write_text("# another run's file\n")
    other = every.ConfigArgBuilder(every.Every, args=[])
    other._run_id = builder._run_id

    with pytest.raises(FileExistsError):
        other.save(user_specified_path=tmp_path)
    assert first.read_text() == "# another run's file\n"


def test_save_leaves_no_temporary_file(every: ModuleType, tmp_path: Path) -> None:
    builder = every.ConfigArgBuilder(every.Every, args=[])

    builder.save(user_specified_path=tmp_path, file_extension=".json")

    assert [path.suffix for path in tmp_path.iterdir()] == [".json"]


def test_save_header_says_how_to_reproduce_the_run(
    every: ModuleType, tmp_path: Path
) -> None:
    builder = every.ConfigArgBuilder(every.Every, args=[])

    builder.save(user_specified_path=tmp_path, file_extension=".toml")
    (saved,) = tmp_path.iterdir()
    comments = [
        line for line in saved.read_text().splitlines() if line.startswith("# ")
    ]

    assert any(line.startswith("# command line: ") for line in comments)
    assert any(line.startswith("# Python 3.") for line in comments)
    assert any("spockc " in line for line in comments if line.startswith("# packages:"))


@pytest.mark.parametrize("extension", [".yaml", ".toml"])
def test_saved_file_reloads_when_a_program_argument_holds_a_newline(
    every: ModuleType,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    extension: str,
) -> None:
    monkeypatch.setattr(sys, "argv", ["train.py", "--note", "two\nlines"])
    builder = every.ConfigArgBuilder(every.Every, args=[])

    builder.save(user_specified_path=tmp_path, file_extension=extension)
    (saved,) = tmp_path.iterdir()
    again = every.ConfigArgBuilder(every.Every, args=["-c", str(saved)])

    assert again.generate() == builder.generate()


def test_save_without_a_folder_says_what_to_give(every: ModuleType) -> None:
    builder = every.ConfigArgBuilder(every.Every, args=[])

    with pytest.raises(ValueError, match="user_specified_path"):
        builder.save()


def test_save_rejects_an_unknown_extension(every: ModuleType, tmp_path: Path) -> None:
    builder = every.ConfigArgBuilder(every.Every, args=[])

    with pytest.raises(ValueError, match="file_extension must be one of"):
        builder.save(user_specified_path=tmp_path, file_extension=".ini")


def test_save_without_create_needs_an_existing_folder(
    every: ModuleType, tmp_path: Path
) -> None:
    builder = every.ConfigArgBuilder(every.Every, args=[])

    with pytest.raises(FileNotFoundError):
        builder.save(user_specified_path=tmp_path / "none", create_save_path=False)
    assert not os.path.exists(tmp_path / "none")


def test_infinite_floats_round_trip_in_every_format(
    every: ModuleType, tmp_path: Path
) -> None:
    value = every.Every(
        **{**_defaults(every), "lf": [math.inf, -math.inf], "o": math.inf}
    )

    for extension in (".yaml", ".json", ".toml"):
        again = saved_and_reloaded(
            every, tmp_path, extension, every.Inner(x=0, tag="a"), value
        )
        assert again.Every == value


def test_toml_quotes_keys_that_are_not_bare(compiled: Compile, tmp_path: Path) -> None:
    module = compiled("@spock\nclass Größe:\n    länge: int = 3\n")
    builder = module.ConfigArgBuilder(module.Größe, args=["--Größe.länge", "4"])

    builder.save(user_specified_path=tmp_path, file_extension=".toml", extra_info=False)
    (saved,) = tmp_path.iterdir()
    again = module.ConfigArgBuilder(module.Größe, args=["-c", str(saved)]).generate()

    assert saved.read_text() == '["Größe"]\n"länge" = 4\n'
    assert again == builder.generate()
