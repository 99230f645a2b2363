"""Helpers shared by the compiler tests."""

from __future__ import annotations

import textwrap

import pytest

from spockc.compiler import CompileError, Diagnostic, compile_source


def diagnostics_of(source: str, path: str = "cfg.py") -> list[Diagnostic]:
    """Compile `source` (dedented), which must fail; return its diagnostics."""
    with pytest.raises(CompileError) as info:
        compile_source(textwrap.dedent(source), path)
    return list(info.value.diagnostics)


def errors_of(source: str) -> list[tuple[str, int, int]]:
    """Return (code, line, column) of every diagnostic of `source`."""
    return [(d.code, d.line, d.col) for d in diagnostics_of(source)]
