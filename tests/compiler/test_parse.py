"""Reading source text: positions in characters, comments, and syntax Python cannot read."""

from __future__ import annotations

import sys
import textwrap
import warnings
from pathlib import Path

import pytest

from spockc.compiler import compile_source
from spockc.compiler.cli import main
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


def test_null_byte_is_a_syntax_error_at_the_byte() -> None:
    source = "from spockc import spock\n@spock\nclass A:\n    x: int = 1  # a\0b\n"
    [found] = diagnostics_of(source)
    column = source.splitlines()[3].index("\0") + 1
    assert (found.code, found.line, found.col) == ("SPK001", 4, column)
    assert found.message == "invalid syntax: the file holds a null byte"


def test_class_body_without_indentation_is_an_error_at_its_first_line() -> None:
    source = (
        "from spockc import spock\n\n@spock\nclass A:\nx: int = 1\ny: int = 2\n\n"
        "@spock\nclass B:\n    w: int = 3\n"
    )
    [found] = diagnostics_of(source)
    assert (found.code, found.line, found.col) == ("SPK001", 5, 1)
    assert "expected an indented block" in found.message


def test_unindent_mismatch_is_an_error_on_its_line() -> None:
    source = (
        "from spockc import spock\n@spock\nclass A:\n        x: int = 1\n    y: int = 2\n"
        "\n@spock\nclass B:\n    w: int = 3\n"
    )
    [found] = diagnostics_of(source)
    assert (found.code, found.line, found.col) == ("SPK001", 5, 15)
    assert "unindent does not match" in found.message


def test_syntax_error_in_a_file_libcst_reads_neither_is_pythons() -> None:
    [found] = diagnostics_of("def f(:\n    pass\n")
    assert (found.code, found.line, found.col) == ("SPK001", 1, 7)
    assert found.message == "invalid syntax"


NEWER = pytest.mark.skipif(sys.version_info >= (3, 12), reason="3.12 reads PEP 695")
PYTHON = f"{sys.version_info[0]}.{sys.version_info[1]}"
NEWER_HINT = "if it is syntax of a newer Python, run spockc with that Python"


@NEWER
def test_config_class_in_syntax_too_new_for_this_python_is_an_error() -> None:
    source = """\
        from spockc import spock
        type Pair = tuple[int, int]
        @spock
        class Box[T]:
            x: int = 1
        """
    [found] = diagnostics_of(source)
    assert (found.code, found.line, found.col) == ("SPK001", 4, 10)
    expected = f"Python {PYTHON} cannot read config class `Box`: invalid syntax"
    assert found.message == expected
    assert found.hint == NEWER_HINT


@NEWER
def test_config_class_under_an_imported_alias_is_recognised_in_newer_syntax() -> None:
    source = "from spockc import spock as s\n@s\nclass A[T]:\n    x: int = 1\n"
    [found] = diagnostics_of(source)
    assert (found.code, found.line) == ("SPK001", 3)
    assert "config class `A`" in found.message


@NEWER
def test_config_class_in_newer_syntax_is_reported_with_the_other_errors() -> None:
    source = (
        "from spockc import spock\n@spock\nclass A:\n    x: Innt = 1\n"
        "@spock\nclass B[T]:\n    y: int = 1\n"
    )
    found = diagnostics_of(source)
    assert [(d.code, d.line) for d in found] == [("SPK101", 4), ("SPK001", 6)]


@NEWER
def test_file_whose_only_config_class_is_newer_syntax_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "conf.py"
    source.write_text("from spockc import spock\n@spock\nclass B[T]:\n    y: int = 1\n")

    assert main(["compile", str(source)]) == 2

    assert "cannot read config class `B`" in capsys.readouterr().err


@NEWER
def test_imports_on_a_line_of_newer_syntax_are_an_error_not_lost() -> None:
    source = (
        "import os; type X = int; from spockc import spock\n"
        "@spock\nclass A:\n    x: int = 1\n"
    )
    [found] = diagnostics_of(source)
    assert (found.code, found.line) == ("SPK001", 1)
    expected = f"Python {PYTHON} cannot read this line of imports"
    assert found.message.startswith(expected)


@NEWER
def test_using_a_class_in_newer_syntax_says_why_it_is_unknown() -> None:
    source = """\
        from enum import Enum
        from spockc import spock
        class Act(Enum):
            relu = "relu"
            def label[T](self, x: T) -> T:
                return x
        class Base[T]:
            pass
        @spock
        class A(Base):
            act: Act = Act.relu
        """
    found = diagnostics_of(source)
    assert [(d.code, d.line) for d in found] == [("SPK208", 10), ("SPK101", 11)]
    unread = f"uses syntax Python {PYTHON} cannot read"
    assert found[0].message == f"class `Base` (line 7) {unread}"
    assert found[1].message == f"A.act: class `Act` (line 3) {unread}"
    assert found[1].hint == NEWER_HINT


@NEWER
def test_real_syntax_error_after_newer_syntax_is_found_in_pythons_words() -> None:
    source = "from spockc import spock\ntype X = int\nx = (1,\n"
    [found] = diagnostics_of(source)
    assert (found.code, found.line, found.col) == ("SPK001", 3, 5)
    assert "'(' was never closed" in found.message


@NEWER
def test_a_string_after_newer_syntax_is_not_the_module_docstring() -> None:
    source = 'type X = int\n"""Not the docstring."""\n'
    assert parse_source(source, "cfg.py").doc == ""


def test_byte_order_mark_is_not_code() -> None:
    module = parse_source("\ufeffclass A:\n    x: int = 1\n", "cfg.py")
    assert (module.classes[0].pos.line, module.classes[0].pos.col) == (1, 7)


def test_bad_escape_in_a_config_class_is_an_error_not_a_traceback() -> None:
    source = 'from spockc import spock\n@spock\nclass A:\n    x: str = "\\N{nope}"\n'
    [found] = diagnostics_of(source)
    assert (found.code, found.line) == ("SPK001", 4)
    assert "unknown Unicode character name" in found.message


def test_thousands_of_operators_in_a_row_are_an_error_not_a_traceback() -> None:
    [found] = diagnostics_of("x = " + "-" * 3000 + "1\n")
    assert found.code == "SPK001"
    assert "nests too deeply" in found.message


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


def test_comment_after_a_semicolon_is_beside_the_field() -> None:
    assert help_of("class A:\n    a: int = 1;  # after\n") == {"a": "after"}


def test_comment_above_a_shared_line_belongs_to_each_field_on_it() -> None:
    source = """\
        class A:
            # above
            a: int = 1; b: int = 2
        """
    assert help_of(source) == {"a": "above", "b": "above"}


def test_comment_ending_a_method_body_is_not_the_next_fields_help() -> None:
    source = """\
        class A:
            def f(self) -> None:
                pass
                # in the method
            a: int = 1
            # above `b`, at the class's indentation
            b: int = 2
        """
    assert help_of(source) == {"a": "", "b": "above `b`, at the class's indentation"}


def test_parenthesised_annotation_target_is_not_a_field() -> None:
    # Python does not record `(b): int` in the class's annotations.
    source = "class A:\n    a: int = 1\n    (b): int = 2\n"
    assert list(help_of(source)) == ["a"]


def test_class_name_on_a_continuation_line_is_placed_at_the_keyword() -> None:
    module = parse_source("class \\\n  A:\n    x: int = 1\n", "cfg.py")
    assert (module.classes[0].pos.line, module.classes[0].pos.col) == (1, 1)
