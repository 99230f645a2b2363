"""Reading source text: positions in characters, comments, and syntax Python cannot read."""

from __future__ import annotations

import sys
import textwrap
import warnings

import pytest

from spockc.compiler import compile_source
from spockc.compiler.parse import parse_source

from .conftest import diagnostics_of, errors_of


def help_of(source: str) -> dict[str, str]:
    """Return the help text of every field of the first class of `source`."""
    module = parse_source(textwrap.dedent(source), "cfg.py")
    return {field.name: field.help for field in module.classes[0].fields}


def test_columns_count_characters_not_utf8_bytes() -> None:
    source = "from spockc import spock\n@spock\nclass A:\n    café: Innt = 1\n"
    # `Innt` is the 11th character of its line, but starts at byte 12.
    assert errors_of(source) == [("SPK101", 4, 11)]


def test_class_name_is_placed_at_the_name_not_the_keyword() -> None:
    module = parse_source("class  Wide:\n    x: int = 1\n", "cfg.py")
    assert (module.classes[0].pos.line, module.classes[0].pos.col) == (1, 8)


def test_comment_beside_a_field_on_a_shared_line_belongs_to_both() -> None:
    source = """\
        class A:
            a: int = 1; b: int = 2  # both
        """
    assert help_of(source) == {"a": "both", "b": "both"}


def test_comment_beside_a_default_spanning_lines_is_after_the_last_line() -> None:
    source = """\
        class A:
            a: list[int] = [  # not this one
                1,
            ]  # this one
        """
    assert help_of(source) == {"a": "this one"}


def test_comments_above_count_only_when_touching_the_field() -> None:
    source = """\
        class A:
            # parted from `a` by a blank line

            # just above `a`
            a: int = 1
            b: int = 2
            # above `c`, after `b`
            c: int = 3
        """
    assert help_of(source) == {
        "a": "just above `a`",
        "b": "",
        "c": "above `c`, after `b`",
    }


def test_comment_above_the_first_field_of_a_header_on_several_lines() -> None:
    source = """\
        class A(
            object,
        ):
            # the first field
            a: int = 1
        """
    assert help_of(source) == {"a": "the first field"}


def test_a_string_containing_a_hash_is_not_a_comment() -> None:
    source = """\
        class A:
            a: str = "# not help"
        """
    assert help_of(source) == {"a": ""}


def test_python_warnings_about_the_users_file_are_not_printed() -> None:
    source = 'from spockc import spock\n@spock\nclass A:\n    p: str = "\\d+"\n'
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        generated = compile_source(source)
    assert "class A(_rt.ConfigClass):" in generated.namespace


def test_null_byte_is_a_syntax_error() -> None:
    [found] = diagnostics_of("x = 1\0\n")
    assert found.code == "SPK001"
    assert "null" in found.message


def test_syntax_error_in_a_file_libcst_reads_neither_is_pythons() -> None:
    [found] = diagnostics_of("def f(:\n    pass\n")
    assert (found.code, found.line) == ("SPK001", 1)
    assert found.message.startswith("invalid syntax: ")


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="3.12 reads PEP 695")
def test_config_class_in_syntax_too_new_for_this_python_is_an_error() -> None:
    source = """\
        from spockc import spock
        type Pair = tuple[int, int]
        @spock
        class Box[T]:
            x: int = 1
        """
    [found] = diagnostics_of(source)
    version = f"{sys.version_info[0]}.{sys.version_info[1]}"
    assert (found.code, found.line, found.col) == ("SPK001", 4, 7)
    assert found.message == f"class `Box` uses syntax Python {version} cannot read"


def test_lines_after_newer_syntax_keep_their_numbers() -> None:
    source = """\
        from dataclasses import dataclass
        from spockc import spock
        @dataclass
        class Box[T]:
            item: T
        type Pair = tuple[
            int, int
        ]
        @spock
        class A:
            x: Innt = 1
        """
    assert errors_of(source) == [("SPK101", 11, 8)]


def test_windows_line_endings_keep_lines_and_comments() -> None:
    source = "class A:\r\n    # above\r\n    a: int = 1\r\n    b: int = 2  # beside\r\n"
    module = parse_source(source, "cfg.py")
    [first, second] = module.classes[0].fields
    assert (first.help, second.help) == ("above", "beside")
    assert (second.pos.line, second.pos.col) == (4, 5)
