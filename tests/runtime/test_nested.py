"""Nested classes: chosen by name, given inline, in lists, and where values win."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from spockc import runtime as rt
from spockc.runtime import ConfigError, Problem
from tests.runtime.conftest import Compile

Write = Callable[[str, str], str]

SOURCE = """
@spock
class Outer:
    inner: "Optional[Inner]" = None
    stages: List["Inner"] = []
    fixed: "Inner" = Inner(depth=9)

@spock
class Inner:
    depth: int = 2
    name: str = "x"
"""


@pytest.fixture
def module(compiled: Compile) -> ModuleType:
    return compiled(SOURCE)


def test_list_of_nested_takes_names_and_inline_mappings(
    module: ModuleType, write: Write
) -> None:
    path = write(
        "n.yaml", "Inner: {name: y}\nOuter:\n  stages:\n    - Inner\n    - depth: 7\n"
    )

    built = module.ConfigArgBuilder(module.Outer, args=["-c", path]).generate()

    assert built.Outer.stages == [
        module.Inner(depth=2, name="y"),
        module.Inner(depth=7, name="y"),
    ]


def test_inline_mapping_beats_the_class_section(
    module: ModuleType, write: Write
) -> None:
    path = write("n.yaml", "Inner: {depth: 3}\nOuter:\n  inner: {depth: 4}\n")

    built = module.ConfigArgBuilder(module.Outer, args=["-c", path]).generate()

    assert built.Outer.inner == module.Inner(depth=4, name="x")
    assert built.Inner.depth == 3


def test_nested_flag_takes_an_inline_mapping(module: ModuleType) -> None:
    args = ["--Outer.inner", "{depth: 5}"]

    built = module.ConfigArgBuilder(module.Outer, args=args).generate()

    assert built.Outer.inner == module.Inner(depth=5, name="x")


def test_list_of_nested_flag_takes_names_and_mappings(module: ModuleType) -> None:
    args = ["--Outer.stages", "[Inner, {name: z}]", "--Inner.depth", "3"]

    built = module.ConfigArgBuilder(module.Outer, args=args).generate()

    assert built.Outer.stages == [
        module.Inner(depth=3, name="x"),
        module.Inner(depth=3, name="z"),
    ]


def test_unknown_field_in_inline_mapping_names_its_line(
    module: ModuleType, write: Write
) -> None:
    path = write("n.yaml", "Outer:\n  inner:\n    deep: 4\n")

    with pytest.raises(ConfigError) as caught:
        module.ConfigArgBuilder(module.Outer, args=["-c", path])

    message = "unknown field of Inner; did you mean 'depth'?"
    assert list(caught.value.problems) == [
        Problem(f"{path}:3", "Outer.inner.deep", message)
    ]


def test_wrong_class_name_for_nested_field_is_an_error(module: ModuleType) -> None:
    with pytest.raises(ConfigError) as caught:
        module.ConfigArgBuilder(module.Outer, args=["--Outer.inner", "Outer"])

    (problem,) = caught.value.problems
    assert (problem.where, problem.key) == ("--Outer.inner", "Outer.inner")
    assert problem.message.startswith("expected the class name 'Inner' or a mapping")


def test_nested_values_save_and_reload_equal(
    module: ModuleType, write: Write, tmp_path: Path
) -> None:
    path = write(
        "n.yaml",
        "Inner: {name: y}\nOuter:\n  inner: {depth: 4}\n  stages: [Inner, {depth: 1}]\n",
    )
    builder = module.ConfigArgBuilder(module.Outer, args=["-c", path])

    builder.save(user_specified_path=tmp_path / "out", extra_info=False)
    (saved,) = (tmp_path / "out").iterdir()
    again = module.ConfigArgBuilder(module.Outer, args=["-c", str(saved)]).generate()

    assert again == builder.generate()
    assert again.Outer.fixed == module.Inner(depth=9, name="y")


def test_nested_default_cycle_in_a_hand_written_schema_is_reported() -> None:
    # The compiler rejects such cycles (SPK203); the runtime still must not recurse.
    class A(rt.ConfigClass):
        __slots__ = ("b",)
        b: object

    class B(rt.ConfigClass):
        __slots__ = ("a",)
        a: object

    class Space(rt.Spockspace):
        __slots__ = ("A", "B")

    schema: rt.Schema[Space, Space] = rt.Schema(
        source="cycle.py",
        classes=(
            rt.ClassSpec(
                A, (rt.FieldSpec("b", rt.NestedOf("B"), rt.NestedDefault({})),)
            ),
            rt.ClassSpec(
                B, (rt.FieldSpec("a", rt.NestedOf("A"), rt.NestedDefault({})),)
            ),
        ),
        fixed_space=Space,
        sampled_space=Space,
    )

    class Builder(rt.ConfigArgBuilder[Space, Space]):
        pass

    Builder.schema = schema

    with pytest.raises(ConfigError) as caught:
        Builder(A, args=[])

    message = "nested classes form a cycle: A -> B -> A"
    assert Problem("", "A", message) in caught.value.problems
