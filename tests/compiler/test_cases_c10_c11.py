"""Field cases C10 (decorator forms) and C11 (string annotations, forward refs)."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from spockc.compiler import compile_source

from .conftest import diagnostics_of

C10 = textwrap.dedent(
    """\
    import spock as sp
    from spock import spock
    from spock import spock as cfg
    from spock.addons.tune import spockTuner, RangeHyperParameter
    import other

    class PlainBase:
        seed: int = 0

    @sp.spock
    class A:
        x: int = 1

    @cfg
    class B:
        y: int = 2

    @spock(dynamic=True)
    class C(PlainBase):
        z: int = 3

    @spockTuner
    class H:
        lr: RangeHyperParameter

    @other.spock
    class D:
        w: int = 4
    """
)

C11 = textwrap.dedent(
    """\
    from typing import List, Optional
    from spock import spock

    @spock
    class Outer:
        inner: "Optional[Inner]" = None
        stages: List["Inner"] = []

    @spock
    class Inner:
        depth: int = 2
    """
)


def class_fields(namespace: str, name: str) -> list[str]:
    """Return the `field: type` lines of generated class `name`."""
    body = namespace.split(f"class {name}(_rt.ConfigClass):\n", 1)[1].split(
        "\n\n\n", 1
    )[0]
    return re.findall(r"^    (\w+: .+)$", body, re.MULTILINE)


def test_c10_every_decorator_form_makes_a_config_class() -> None:
    namespace = compile_source(C10, "models.py").namespace

    space = namespace.split("class Spockspace(_rt.Spockspace):", 1)[1]
    assert re.findall(r"^    (\w+): \1$", space, re.MULTILINE) == ["A", "B", "C", "H"]


def test_c10_decorator_from_another_module_is_not_ours() -> None:
    namespace = compile_source(C10, "models.py").namespace
    assert "class D" not in namespace
    assert '"D"' not in namespace


def test_c10_dynamic_class_includes_plain_base_fields() -> None:
    namespace = compile_source(C10, "models.py").namespace
    assert class_fields(namespace, "C") == ["seed: int", "z: int"]


def test_c10_unknown_decorator_keyword_is_an_error_at_file_and_line() -> None:
    source = C10.replace("@spock(dynamic=True)", "@spock(dynamc=True)")
    [found] = diagnostics_of(source, "models.py")
    assert (found.path, found.line, found.code) == ("models.py", 18, "SPK205")
    assert "dynamc" in found.message


def test_c11_string_annotations_resolve_to_forward_referenced_class() -> None:
    namespace = compile_source(C11, "models.py").namespace
    assert class_fields(namespace, "Outer") == [
        "inner: Inner | None",
        "stages: list[Inner]",
    ]
    assert '_rt.OptionalOf(_rt.NestedOf("Inner"))' in namespace
    assert '_rt.ListOf(_rt.NestedOf("Inner"))' in namespace


def test_c11_typo_in_string_annotation_names_file_line_and_field() -> None:
    source = C11.replace('"Optional[Inner]"', '"Innr"')
    [found] = diagnostics_of(source, "models.py")
    assert (found.path, found.line, found.code) == ("models.py", 6, "SPK101")
    assert found.message == "Outer.inner: unknown type name 'Innr' in string annotation"
    assert found.hint == "did you mean 'Inner'?"


def test_c11_names_imported_for_type_checkers_only_are_types(tmp_path: Path) -> None:
    (tmp_path / "parts.py").write_text(
        "from enum import Enum\nfrom spockc import spock\n\n"
        "class Color(Enum):\n    red = 'red'\n\n"
        "@spock\nclass Inner:\n    depth: int = 2\n"
    )
    source = textwrap.dedent(
        """\
        from __future__ import annotations
        import typing
        from typing import TYPE_CHECKING, Optional
        from spockc import spock
        if TYPE_CHECKING:
            from parts import Inner
        if typing.TYPE_CHECKING:
            from parts import Color

        @spock
        class Outer:
            inner: Optional[Inner] = None
            color: "Color" = Color.red
        """
    )

    namespace = compile_source(source, str(tmp_path / "models.py")).namespace

    assert class_fields(namespace, "Outer") == ["inner: Inner | None", "color: Color"]
    assert "from parts import Color\n" in namespace


def test_c11_imports_in_another_if_block_are_not_read() -> None:
    source = textwrap.dedent(
        """\
        from spockc import spock
        DEBUG = False
        if DEBUG:
            from parts import Inner

        @spock
        class Outer:
            inner: Inner
        """
    )

    assert [(d.code, d.line) for d in diagnostics_of(source, "models.py")] == [
        ("SPK101", 8)
    ]
