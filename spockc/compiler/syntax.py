"""Stage 1, first step: source text to a syntax tree, or syntax errors.

The reader is Python's own `ast`: importing libcst and parsing a 200-class file
with it takes 0.7-1 s, `ast` about 30 ms. libcst, which reads the grammar of
every Python version, takes over when the running Python rejects a file
(`_parse_newer`): what only a newer Python can read is left out and listed, so
that `parse` can refuse it where the compiler needs it.
"""

from __future__ import annotations

import ast
import re
import sys
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from spockc.compiler import ir
from spockc.compiler.diagnostics import SYNTAX_ERROR, CompileError, Diagnostic

if TYPE_CHECKING:
    from collections.abc import Mapping

    import libcst
    from libcst.metadata import CodeRange

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
#: The running Python, as error messages name it.
PYTHON_VERSION = ".".join(str(part) for part in sys.version_info[:2])
NEWER_PYTHON_HINT = "if it is syntax of a newer Python, run spockc with that Python"


@dataclass(frozen=True, slots=True)
class SyntaxTree:
    """A module's lines, its syntax tree, and what was left out of the tree."""

    lines: tuple[str, ...]
    module: ast.Module
    unreadable: tuple[Unreadable, ...]


def read_syntax(text: str, path: str) -> SyntaxTree:
    """Return the syntax tree of `text`, the content of `path`.

    Raises:
        CompileError: the text is not valid Python.
    """
    text = text.removeprefix("\ufeff")  # a byte-order mark is not code, for Python
    lines = tuple(_LINE_BREAK.split(text))
    if lines and not lines[-1]:
        lines = lines[:-1]

    if "\0" in text:
        raise CompileError([_null_byte(path, lines)])

    try:
        return SyntaxTree(lines, _parse(text), ())
    except (SyntaxError, ValueError) as error:
        module, unreadable = _parse_newer(text, path, lines, error)
        return SyntaxTree(lines, module, unreadable)


def parse_expression(text: str) -> ast.expr | None:
    """Return the expression `text`, or None when it is not one."""
    try:
        body = _parse(text).body
    except (SyntaxError, ValueError):
        return None
    if len(body) == 1 and isinstance(body[0], ast.Expr):
        return body[0].value
    return None


def explain_unreadable(cls: ir.NameValue) -> tuple[str, str]:
    """Return the message and hint for using a class left unread."""
    message = f"class `{cls.name}` (line {cls.pos.line}) uses syntax Python {PYTHON_VERSION} cannot read"
    return message, NEWER_PYTHON_HINT


def too_deep(path: str) -> Diagnostic:
    """Return the error for code nested beyond Python's recursion limit.

    Thousands of operators in a row do that; Python's own parser gives up the
    same way.
    """
    message = "invalid syntax: an expression nests too deeply to read"
    return Diagnostic(path, 1, 1, SYNTAX_ERROR, message, "split it up", "")


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A top-level statement this Python cannot read, left out of the tree."""

    kind: Literal["class", "import", "other"]
    name: str
    decorators: tuple[str, ...]
    name_pos: ir.Pos
    error_pos: ir.Pos
    error: str


def _parse(text: str) -> ast.Module:
    """Parse `text` with the grammar of the running Python.

    Python warns about code it compiles, such as an invalid escape sequence; the
    user hears that when running the file, not from the compiler.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(text)


def _parse_newer(
    text: str, path: str, lines: tuple[str, ...], error: SyntaxError | ValueError
) -> tuple[ast.Module, tuple[Unreadable, ...]]:
    """Parse `text`, which this Python rejects, without what it cannot read.

    libcst reads the grammar of every Python version. When it rejects the text
    too, the text is wrong for any Python. Otherwise each top-level statement
    this Python cannot read is replaced by `pass` on its first line and blank
    lines after, so that every line keeps its number.

    Raises:
        CompileError: the text is not valid Python.
    """
    import libcst as cst  # half a second to import: only for such files
    from libcst.metadata import MetadataWrapper, PositionProvider

    try:
        tree = cst.parse_module(text)
        spans = MetadataWrapper(tree, unsafe_skip_copy=True).resolve(PositionProvider)
    except (cst.ParserSyntaxError, RecursionError):
        raise CompileError([_diagnose_syntax_error(error, path, lines)]) from None

    kept = list(lines)
    unreadable = []
    for statement in tree.body:
        parts = [*getattr(statement, "decorators", ()), statement]
        first, last = spans[parts[0]].start.line, spans[statement].end.line
        problem = _locate_python_error(lines[first - 1 : last], first)
        if problem is None:
            continue
        kept[first - 1 : last] = ["pass"] + [""] * (last - first)
        unreadable.append(_describe(statement, tree, spans, problem))

    try:
        return _parse("\n".join(kept)), tuple(unreadable)
    except (SyntaxError, ValueError):
        raise CompileError([_diagnose_syntax_error(error, path, lines)]) from None


def _locate_python_error(
    lines: tuple[str, ...], first: int
) -> tuple[ir.Pos, str] | None:
    """Return where and why this Python rejects `lines`, which start at line `first`."""
    try:
        _parse("\n" * (first - 1) + "\n".join(lines))
    except SyntaxError as error:
        return ir.Pos(error.lineno or first, max(error.offset or 1, 1)), error.msg
    except ValueError as error:  # a null byte, on 3.11
        return ir.Pos(first, 1), str(error)
    return None


def _describe(
    statement: libcst.CSTNode,
    tree: libcst.Module,
    spans: Mapping[libcst.CSTNode, CodeRange],
    problem: tuple[ir.Pos, str],
) -> Unreadable:
    """Say what an unreadable top-level statement defines, for `parse` to judge."""
    import libcst as cst

    error_pos, message = problem
    if isinstance(statement, cst.ClassDef):
        start = spans[statement.name].start
        decorators = tuple(
            tree.code_for_node(d.decorator) for d in statement.decorators
        )
        name_pos = ir.Pos(start.line, start.column + 1)
        return Unreadable(
            "class", statement.name.value, decorators, name_pos, error_pos, message
        )
    imports = isinstance(statement, cst.SimpleStatementLine) and any(
        isinstance(small, (cst.Import, cst.ImportFrom)) for small in statement.body
    )
    kind: Literal["import", "other"] = "import" if imports else "other"
    return Unreadable(kind, "", (), error_pos, error_pos, message)


def _null_byte(path: str, lines: tuple[str, ...]) -> Diagnostic:
    """Return the error of a null byte, which no Python reads (nor says where)."""
    line = next(n for n, text in enumerate(lines, 1) if "\0" in text)
    col = lines[line - 1].index("\0") + 1
    message = "invalid syntax: the file holds a null byte"
    hint = "the file must be Python text; remove the byte"
    return Diagnostic(path, line, col, SYNTAX_ERROR, message, hint, lines[line - 1])


def _diagnose_syntax_error(
    error: SyntaxError | ValueError, path: str, lines: tuple[str, ...]
) -> Diagnostic:
    """Return the diagnostic of a syntax error, in Python's words.

    The line Python stops at may hold newer syntax that libcst reads; the real
    error is then further on, and Python finds it once such lines are blank.
    """
    error = _past_newer_syntax(error, list(lines))
    line, col, detail = 1, 1, str(error)
    if isinstance(error, SyntaxError):
        line, col, detail = error.lineno or 1, max(error.offset or 1, 1), error.msg

    source_line = lines[line - 1] if 0 < line <= len(lines) else ""
    message = (
        "invalid syntax" if detail == "invalid syntax" else f"invalid syntax: {detail}"
    )
    hint = "the file must be valid Python"
    return Diagnostic(path, line, col, SYNTAX_ERROR, message, hint, source_line)


def _past_newer_syntax(
    error: SyntaxError | ValueError, lines: list[str]
) -> SyntaxError | ValueError:
    """Return Python's first error that is not on a line of newer syntax."""
    while isinstance(error, SyntaxError) and _is_newer_syntax(lines, error.lineno):
        lines[(error.lineno or 1) - 1] = ""
        try:
            _parse("\n".join(lines))
        except (SyntaxError, ValueError) as later:
            error = later
            continue
        break
    return error


def _is_newer_syntax(lines: list[str], line: int | None) -> bool:
    """Tell whether line `line` alone is syntax libcst reads and this Python does not.

    Most lines parse on their own; one that this Python also reads alone is
    not newer syntax, and the error Python reports there is real.
    """
    import libcst as cst

    if line is None or not 0 < line <= len(lines) or not lines[line - 1].strip():
        return False
    alone = lines[line - 1].strip() + "\n"
    try:
        _parse(alone)
    except (SyntaxError, ValueError):
        pass
    else:
        return False
    try:
        cst.parse_module(alone)
    except (cst.ParserSyntaxError, RecursionError):
        return False
    return True
