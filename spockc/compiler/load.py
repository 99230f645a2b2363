"""Find and parse the source files a compiled file imports config classes from.

`from .base import Base` and `from pkg.common import Opt` are looked up as files
relative to the importing file (its directory, or the root of its package); they
are parsed, never imported. Other absolute imports are looked up the same way on
the compiler's own `sys.path` (the standard library and installed packages), so
that an imported Enum can be told from any other class.
"""

from __future__ import annotations

import sys
from pathlib import Path

from spockc.compiler import ir
from spockc.compiler.parse import parse_source

_NOT_SOURCES = ("__future__", "typing", "typing_extensions", "enum", "dataclasses")


class SourceLoader:
    """Parse each imported source file once."""

    def __init__(self) -> None:
        self._parsed: dict[str, ir.SourceModule | None] = {}

    def find(self, importer: ir.SourceModule, spec: str) -> ir.SourceModule | None:
        """Return the parsed module `spec` names in an import of `importer`."""
        if spec.split(".")[0] in _NOT_SOURCES:
            return None
        path = _locate(Path(importer.path), spec)
        if path is None:
            return None
        key = str(path)
        if key not in self._parsed:
            self._parsed[key] = None
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                # Unreadable as source: left to the runtime, like a module not found.
                return None
            # What it cannot read is reported where a name from it is used.
            self._parsed[key] = parse_source(text, key)
        return self._parsed[key]


def _locate(importer: Path, spec: str) -> Path | None:
    """Return the file of module `spec` imported from `importer`, if it exists."""
    stripped = spec.lstrip(".")
    dots = len(spec) - len(stripped)
    parts = stripped.split(".") if stripped else []

    if dots:
        base = importer.parent
        for _ in range(dots - 1):
            base = base.parent
        roots = [base]
    else:
        roots = [importer.parent, _package_root(importer.parent), *_search_path()]

    for root in roots:
        module = root.joinpath(*parts) if parts else root
        for candidate in (module.with_suffix(".py"), module / "__init__.py"):
            if parts and candidate.is_file():
                return candidate
        if not parts and (module / "__init__.py").is_file():
            return module / "__init__.py"
    return None


def _package_root(directory: Path) -> Path:
    """Return the directory above the outermost package containing `directory`."""
    while (directory / "__init__.py").is_file() and directory.parent != directory:
        directory = directory.parent
    return directory


def _search_path() -> list[Path]:
    """Return the directories of `sys.path` that hold modules as files."""
    return [Path(entry) for entry in sys.path if entry and Path(entry).is_dir()]
