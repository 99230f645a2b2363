"""Compile errors: one `Diagnostic` per problem, all of a file in one `CompileError`.

Every stage of the compiler reports through this module. A diagnostic carries a
stable code, a 1-based position and a hint; `format_diagnostic` renders it the
way the command line prints it, with the source line and a caret.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spockc.compiler import ir

# Stable codes: tests assert them, so a code never changes meaning.
SYNTAX_ERROR = "SPK001"
UNKNOWN_TYPE = "SPK101"
UNSUPPORTED_TYPE = "SPK102"
BOUNDS_REVERSED = "SPK103"
LOG_BOUNDS = "SPK104"
STEP_WITH_LOG = "SPK105"
EMPTY_CHOICES = "SPK106"
CHOICE_TYPE = "SPK107"
BAD_HYPER_PARAMETER = "SPK108"
NOT_A_HYPER_PARAMETER = "SPK109"
HYPER_PARAMETER_IN_FIXED = "SPK110"
DICT_KEY_NOT_STR = "SPK111"
TYPE_ARGUMENTS = "SPK112"
REPEATED_CHOICE = "SPK113"
STEPS_DO_NOT_FIT = "SPK114"
UNANNOTATED = "SPK201"
DUPLICATE_CLASS = "SPK202"
NESTED_CYCLE = "SPK203"
DECORATOR_ALIAS = "SPK204"
DECORATOR_KEYWORD = "SPK205"
RESERVED_NAME = "SPK206"
DUPLICATE_FIELD = "SPK207"
BAD_BASE = "SPK208"
SHADOWED_TYPE = "SPK209"
NESTED_TUNER = "SPK210"
DEFAULT_TYPE = "SPK301"
UNSUPPORTED_DEFAULT = "SPK302"
NESTED_DEFAULT_ARGUMENT = "SPK303"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem in a source file, at a 1-based line and column."""

    path: str
    line: int
    col: int
    code: str
    message: str
    hint: str = ""
    source_line: str = ""

    def sort_key(self) -> tuple[str, int, int, str, str]:
        """Order diagnostics by file, position, then code."""
        return (self.path, self.line, self.col, self.code, self.message)


class CompileError(Exception):
    """A source file could not be compiled; `diagnostics` lists every reason."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = tuple(sorted(diagnostics, key=Diagnostic.sort_key))
        text = "\n".join(format_diagnostic(d) for d in self.diagnostics)
        super().__init__(text)


def format_diagnostic(diagnostic: Diagnostic) -> str:
    """Render `path:line:col: error[SPKnnn]: message`, the source line and a hint."""
    d = diagnostic
    lines = [f"{d.path}:{d.line}:{d.col}: error[{d.code}]: {d.message}"]

    if d.source_line.strip():
        gutter = f"{d.line} | "
        lines.append(f"  {gutter}{d.source_line.rstrip()}")
        lines.append("  " + " " * (len(gutter) + d.col - 1) + "^")

    if d.hint:
        lines.append(f"  hint: {d.hint}")
    return "\n".join(lines)


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """Return a "did you mean" hint for `name`, or an empty string."""
    # Compare ignoring case, so `Innt` still finds `int`.
    by_lower = {candidate.lower(): candidate for candidate in sorted(set(candidates))}
    matches = difflib.get_close_matches(name.lower(), list(by_lower), n=1)
    if not matches:
        return ""
    return f"did you mean '{by_lower[matches[0]]}'?"


def refusal_errors(module: ir.SourceModule) -> list[Diagnostic]:
    """Return the errors of what `module` needs but this Python cannot read."""
    lines = module.lines
    return [
        Diagnostic(
            module.path,
            r.pos.line,
            r.pos.col,
            SYNTAX_ERROR,
            r.message,
            r.hint,
            lines[r.pos.line - 1] if 0 < r.pos.line <= len(lines) else "",
        )
        for r in module.refused
    ]


class Reporter:
    """Collect the diagnostics of one compilation, with their source lines."""

    def __init__(self) -> None:
        self.diagnostics: list[Diagnostic] = []

    def error(
        self,
        path: str,
        lines: Sequence[str],
        where: tuple[int, int],
        code: str,
        message: str,
        hint: str = "",
    ) -> None:
        """Record an error at the 1-based `where` (line, column) of `path`."""
        line, col = where
        source_line = lines[line - 1] if 0 < line <= len(lines) else ""
        self.diagnostics.append(
            Diagnostic(path, line, col, code, message, hint, source_line)
        )

    def raise_if_any(self) -> None:
        """Raise `CompileError` with everything recorded, if anything was."""
        if self.diagnostics:
            raise CompileError(self.diagnostics)
