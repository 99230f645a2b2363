"""Read config files into raw value trees, following `config: [...]` includes.

YAML is composed, not constructed: PyYAML's composer gives each scalar's text,
quoting style and line, and the declared type decides later (see `decode`). TOML
and JSON are parsed with hooks that keep number text. Every file becomes one
`RawMap` document; `load_documents` returns them lowest precedence first.
"""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from spockc.runtime.decode import RawEntry, RawList, RawMap, RawScalar, RawValue
from spockc.runtime.errors import Problem

if TYPE_CHECKING:
    import yaml

INCLUDE_KEY = "config"
YAML_SUFFIXES = (".yaml", ".yml")
SUFFIXES = (*YAML_SUFFIXES, ".toml", ".json")
_MERGE_TAG = "tag:yaml.org,2002:merge"


# Plain classes rather than dataclasses: defining a dataclass costs import time,
# which the first build of a program pays.


class _Reader:
    """Loads documents and collects every problem on the way."""

    def __init__(self) -> None:
        self.documents: list[RawMap] = []
        self.problems: list[Problem] = []
        self.seen: set[str] = set()
        """The real paths of the files read (or being read) so far."""

    def read(self, path: str, where: str, chain: tuple[str, ...] = ()) -> None:
        """Read `path`: its includes first, then the file itself.

        An included file is read once, where it is first reached: a base that
        two files include comes before both, so it never beats a file that
        includes it. A file given to the builder (`chain` empty) is read where
        it is given, as the user ordered.
        """
        real = os.path.realpath(path)
        if real in chain:
            cycle = " -> ".join([*(_shown(link) for link in chain), path])
            self.problems.append(Problem(where, "", f"include cycle: {cycle}"))
            return
        if chain and real in self.seen:
            return
        self.seen.add(real)

        document = self._parse(path, where)
        if document is None:
            return

        kept: list[RawEntry] = []
        for entry in document:
            if entry.key == INCLUDE_KEY:
                self._include(path, entry.value, (*chain, real))
            else:
                kept.append(entry)
        self.documents.append(RawMap(tuple(kept), document.where))

    def _include(self, path: str, value: RawValue, chain: tuple[str, ...]) -> None:
        items = value.items if isinstance(value, RawList) else (value,)
        for item in items:
            if not isinstance(item, RawScalar) or item.is_null:
                message = "`config` lists file names to include"
                self.problems.append(Problem(item.where, INCLUDE_KEY, message))
                continue
            target = item.text
            if "://" in target:
                message = (
                    f"cannot include {target!r}: remote config files are not supported"
                )
                self.problems.append(Problem(item.where, "", message))
                continue
            resolved = os.path.join(os.path.dirname(path), target)
            if not os.path.isfile(resolved):
                found = _not_a_file(resolved)
                message = f"included file {target!r} {found} (resolved to {resolved})"
                self.problems.append(Problem(item.where, "", message))
                continue
            self.read(resolved, item.where, chain)

    def _parse(self, path: str, where: str) -> RawMap | None:
        if not path.endswith(SUFFIXES):
            message = f"config file {path!r} must end in one of {', '.join(SUFFIXES)}"
            self.problems.append(Problem(where, "", message))
            return None
        try:
            with open(path, encoding="utf-8") as stream:
                text = stream.read()
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or str(error)
            message = f"cannot read config file {path!r}: {reason}"
            self.problems.append(Problem(where, "", message))
            return None

        if path.endswith(YAML_SUFFIXES):
            root = _parse_yaml(text, path, self.problems)
        elif path.endswith(".toml"):
            root = _parse_toml(text, path, self.problems)
        else:
            root = _parse_json(text, path, self.problems)
        if root is None:
            return None
        if not isinstance(root, RawMap):
            message = "a config file must hold a mapping of classes and fields"
            self.problems.append(Problem(root.where, "", message))
            return None
        return root


def load_documents(
    paths: Iterable[tuple[str, str]],
) -> tuple[list[RawMap], list[Problem]]:
    """Read each `(path, where_given)` with its includes, lowest precedence first.

    A later include beats an earlier one and a file beats its includes; a file
    included twice is read once, where it is first reached, and a cycle is an
    error.
    """
    reader = _Reader()
    for path, where in paths:
        if not os.path.isfile(path):
            message = f"config file {path!r} {_not_a_file(path)}"
            reader.problems.append(Problem(where, "", message))
            continue
        reader.read(path, where)
    return reader.documents, reader.problems


def _not_a_file(path: str) -> str:
    """Say why `path`, which is not a file, cannot be read."""
    return "is a folder, not a file" if os.path.isdir(path) else "not found"


def _shown(real: str) -> str:
    try:
        return os.path.relpath(real)
    except ValueError:
        return real


# --- YAML -------------------------------------------------------------------------


def _parse_yaml(text: str, path: str, problems: list[Problem]) -> RawValue | None:
    import yaml

    try:
        node = yaml.compose(text, Loader=_loader())
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = f":{mark.line + 1}" if mark is not None else ""
        message = f"invalid YAML: {error.problem or error.context}"
        problems.append(Problem(f"{path}{line}", "", message))
        return None
    except yaml.YAMLError as error:
        problems.append(Problem(path, "", f"invalid YAML: {error}"))
        return None
    if node is None:
        return RawMap((), f"{path}:1")
    return _YamlTree(path, problems, node).convert(node, "")


@functools.cache
def _loader() -> type[yaml.SafeLoader]:
    """Return a composer that keeps scalar text and resolves no implicit types.

    libyaml's parser and composer are used when PyYAML has them (five times
    faster), with the base constructor, the cheapest to set up: nothing is
    constructed. Tags of plain scalars are never resolved (the declared type
    decides), except the merge key `<<`.
    """
    import operator

    import yaml

    base: type[yaml.SafeLoader] = getattr(yaml, "CBaseLoader", yaml.SafeLoader)

    scalar, sequence = yaml.ScalarNode, yaml.SequenceNode
    tags = yaml.resolver.BaseResolver
    scalar_tag = str(tags.DEFAULT_SCALAR_TAG)
    sequence_tag = str(tags.DEFAULT_SEQUENCE_TAG)
    mapping_tag = str(tags.DEFAULT_MAPPING_TAG)

    class Loader(base):  # type: ignore[valid-type, misc]  # chosen at run time
        def resolve(
            self, kind: type, value: object, implicit: tuple[bool, bool]
        ) -> str:
            # Called for every node: the tags are looked up once, above.
            if kind is scalar:
                if value == "<<" and implicit[0]:
                    return _MERGE_TAG
                return scalar_tag
            return sequence_tag if kind is sequence else mapping_tag

        # No path resolvers are registered, so PyYAML's bookkeeping per node
        # has nothing to do: C functions that accept the same arguments and
        # do nothing stand in for it, since a Python method costs a call per
        # node (5% of the time composing a large file).
        descend_resolver = staticmethod(operator.is_)  # (node, index) -> unused
        ascend_resolver = staticmethod(tuple)  # () -> unused

    return Loader


class _YamlTree:
    """Turn composed YAML nodes into raw values: fresh copies for every alias."""

    def __init__(self, path: str, problems: list[Problem], root: yaml.Node) -> None:
        self.problems = problems
        last = root.end_mark.line + 1
        self.places = [f"{path}:{line}" for line in range(1, last + 1)]
        """`path:line` by 0-based line index, made up front: every node lies
        within the root, and indexing a list costs no call (making the strings
        on first use was a quarter of the time spent converting)."""
        self.open: set[int] = set()
        """The ids of the collections being converted: meeting one again is a
        recursive alias."""

    def where(self, node: yaml.Node) -> str:
        return self.places[node.start_mark.line]

    def convert(self, node: Any, key: str) -> RawValue:
        """Convert a composed `yaml.Node`.

        Typed `Any`: the stubs lack the class attribute `id` ("scalar",
        "sequence" or "mapping"), which is cheaper to test than `isinstance`.
        """
        if node.id == "scalar":
            # Plain scalars have no style: None from PyYAML, "" from libyaml.
            return RawScalar(node.value, not node.style, self.where(node))
        if id(node) in self.open:
            self.problems.append(Problem(self.where(node), key, "recursive alias"))
            return RawScalar("", True, self.where(node))
        self.open.add(id(node))
        try:
            if node.id == "sequence":
                items = tuple([self.convert(item, key) for item in node.value])
                return RawList(items, self.where(node))
            return self._mapping(node, key)
        finally:
            self.open.discard(id(node))

    def _mapping(self, node: yaml.Node, key: str) -> RawMap:
        entries: dict[str, RawEntry] = {}
        merged: dict[str, RawEntry] = {}
        places = self.places
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                self._merge(value_node, key, merged)
                continue
            if key_node.id != "scalar":
                message = "mapping keys must be plain text"
                self.problems.append(Problem(self.where(key_node), key, message))
                continue
            name = key_node.value
            if name in entries:
                self._duplicate(key_node, key, entries[name])
                continue
            if value_node.id == "scalar":
                # Most values are scalars: built here, without a call or a
                # dotted key (a sixth of the time converting a large file).
                place = places[value_node.start_mark.line]
                value: RawValue = RawScalar(
                    value_node.value, not value_node.style, place
                )
            else:
                value = self.convert(value_node, f"{key}.{name}" if key else name)
            entries[name] = RawEntry(name, value, places[key_node.start_mark.line])
        combined = {**merged, **entries} if merged else entries
        return RawMap(tuple(combined.values()), self.where(node))

    def _duplicate(self, key_node: yaml.Node, key: str, first: RawEntry) -> None:
        name = key_node.value
        dotted = f"{key}.{name}" if key else name
        line = first.where.rsplit(":", 1)[-1]
        message = f"duplicate key {dotted!r} (first set at line {line})"
        self.problems.append(Problem(self.where(key_node), "", message))

    def _merge(self, node: Any, key: str, merged: dict[str, RawEntry]) -> None:
        # YAML merge keys: explicit keys beat merged ones, and of several merged
        # mappings the earlier one wins.
        sources = node.value if node.id == "sequence" else [node]
        for source in sources:
            value = self.convert(source, key)
            if not isinstance(value, RawMap):
                message = "`<<` merges only mappings"
                self.problems.append(Problem(self.where(source), key, message))
                continue
            for entry in value:
                merged.setdefault(entry.key, entry)


# --- TOML and JSON ----------------------------------------------------------------


class _Number(str):
    """The text of a number, kept as written."""

    __slots__ = ()


def _parse_toml(text: str, path: str, problems: list[Problem]) -> RawValue | None:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

    try:
        data = tomllib.loads(text, parse_float=_Number)
    except tomllib.TOMLDecodeError as error:
        problems.append(_toml_problem(str(error), text, path))
        return None
    lines = _toml_key_lines(text)
    return _NativeTree(path, problems, lambda keys: lines.get(keys)).convert(data, ())


def _parse_json(text: str, path: str, problems: list[Problem]) -> RawValue | None:
    import json

    try:
        data = json.loads(
            text,
            object_pairs_hook=_Pairs,
            parse_float=_Number,
            parse_int=_Number,
            parse_constant=_Number,
        )
    except json.JSONDecodeError as error:
        message = f"invalid JSON: {error.msg}"
        problems.append(Problem(f"{path}:{error.lineno}", "", message))
        return None
    lines = iter(_json_key_lines(text))
    return _NativeTree(path, problems, lambda keys: next(lines, None)).convert(data, ())


class _Pairs(list[tuple[str, Any]]):
    """A JSON object as its key-value pairs, so duplicates can be reported."""


# Compiled on first use: only TOML and JSON files need them.
_JSON_STRING = r'"(?:[^"\\]|\\.)*"(\s*:)?'
_TOML_KEY_PART = r"\"[^\"]*\"|'[^']*'|[A-Za-z0-9_-]+"
_TOML_DOTTED = rf"(?:{_TOML_KEY_PART})(?:\s*\.\s*(?:{_TOML_KEY_PART}))*"
_TOML_TABLE = rf"\[\s*({_TOML_DOTTED})\s*\]\s*(#.*)?"
_TOML_KEY = rf"({_TOML_DOTTED})\s*="
_TOML_ERROR_PLACE = r" \(at line (\d+), column \d+\)$"


def _json_key_lines(text: str) -> list[int]:
    """Return the line of every object key, in document order."""
    lines: list[int] = []
    line, position = 1, 0
    for match in re.finditer(_JSON_STRING, text):
        line += text.count("\n", position, match.start())
        position = match.start()
        if match.group(1):
            lines.append(line)
    return lines


def _toml_keys(text: str) -> Iterator[tuple[int, tuple[str, ...], bool]]:
    """Yield the line and whole key of each `[table]` and each `key =` in it.

    The flag tells a `key =` (True) from a table header. A line-by-line
    approximation: lines inside multi-line strings are skipped, and keys inside
    inline tables and arrays of tables (`[[...]]`) are not seen.
    """
    table_pattern, key_pattern = re.compile(_TOML_TABLE), re.compile(_TOML_KEY)
    table: tuple[str, ...] | None = ()
    open_quote = ""
    for number, line in enumerate(text.splitlines(), start=1):
        if open_quote:
            if line.count(open_quote) % 2:
                open_quote = ""
            continue
        stripped = line.strip()
        header = table_pattern.fullmatch(stripped)
        if header:
            table = _toml_key_parts(header[1])
            yield number, table, False
        elif stripped.startswith("[["):
            table = None
        elif table is not None and (key := key_pattern.match(stripped)):
            yield number, (*table, *_toml_key_parts(key[1])), True
        open_quote = next((q for q in ('"""', "'''") if line.count(q) % 2), "")


def _toml_key_parts(dotted: str) -> tuple[str, ...]:
    return tuple(part.strip("\"'") for part in re.findall(_TOML_KEY_PART, dotted))


def _toml_key_lines(text: str) -> dict[tuple[str, ...], int]:
    """Return the first line of each key, and of the tables a dotted key opens."""
    lines: dict[tuple[str, ...], int] = {}
    for number, keys, _ in _toml_keys(text):
        for end in range(1, len(keys) + 1):
            lines.setdefault(keys[:end], number)
    return lines


def _toml_problem(message: str, text: str, path: str) -> Problem:
    """Return the problem of a file that tomllib rejects with `message`."""
    place = re.search(_TOML_ERROR_PLACE, message)
    if place is None:
        return Problem(path, "", f"invalid TOML: {message}")
    line, detail = int(place[1]), message[: place.start()]

    keys = next((k for number, k, _ in _toml_keys(text) if number == line), None)
    conflict = None if keys is None else _toml_conflict(detail, keys, text, line)
    return Problem(f"{path}:{line}", "", conflict or f"invalid TOML: {detail}")


def _toml_conflict(
    detail: str, keys: tuple[str, ...], text: str, line: int
) -> str | None:
    """Name the key that tomllib's `detail` of line `line` is about, if it is one.

    tomllib says where but not which key; a key or table given twice is
    reported as YAML and JSON duplicates are, with the line of the first.
    """
    dotted = ".".join(keys)
    inline = re.fullmatch(r"Duplicate inline table key '(.*)'", detail)
    if inline is not None:
        return f"duplicate key {inline[1]!r} in an inline table of {dotted!r}"
    if not detail.startswith(("Cannot overwrite", "Cannot declare")):
        return None

    earlier = "\n".join(text.splitlines()[: line - 1])
    before = _toml_key_lines(earlier)
    if keys in before:
        return f"duplicate key {dotted!r} (first set at line {before[keys]})"
    # Otherwise a shorter part of the key may be set already, to a value.
    values = {k: number for number, k, is_value in _toml_keys(earlier) if is_value}
    ends = range(len(keys) - 1, 0, -1)
    value = next((keys[:end] for end in ends if keys[:end] in values), None)
    if value is None:
        return None
    held = ".".join(value)
    return f"{dotted!r} cannot be set: {held!r} holds a value (line {values[value]})"


class _NativeTree:
    """Turn parsed TOML or JSON into raw values; `line_of` gives key lines."""

    def __init__(
        self,
        path: str,
        problems: list[Problem],
        line_of: Callable[[tuple[str, ...]], int | None],
    ) -> None:
        self.path = path
        self.problems = problems
        self.line_of = line_of

    def convert(self, data: object, keys: tuple[str, ...], where: str = "") -> RawValue:
        where = where or self.path
        if isinstance(data, list) and not isinstance(data, _Pairs):
            items = (self.convert(item, keys, where) for item in data)
            return RawList(tuple(items), where)
        if isinstance(data, dict | _Pairs):
            pairs = data.items() if isinstance(data, dict) else data
            return self._mapping(pairs, keys, where)
        return _native_scalar(data, where)

    def _mapping(
        self, pairs: Iterable[tuple[str, object]], keys: tuple[str, ...], where: str
    ) -> RawMap:
        entries: dict[str, RawEntry] = {}
        for name, value in pairs:
            line = self.line_of((*keys, name))
            place = f"{self.path}:{line}" if line is not None else where
            dotted = ".".join((*keys, name))
            # Converted even when it is a duplicate: JSON key lines are handed out
            # in document order, so the keys inside it must be taken too.
            raw = self.convert(value, (*keys, name), place)
            first = entries.get(name)
            if first is not None:
                message = f"duplicate key {dotted!r}"
                if first.where != self.path:
                    message += f" (first set at line {first.where.rsplit(':', 1)[-1]})"
                self.problems.append(Problem(place, "", message))
                continue
            entries[name] = RawEntry(name, raw, place)
        return RawMap(tuple(entries.values()), where)


def _native_scalar(data: object, where: str) -> RawScalar:
    if isinstance(data, _Number):
        return RawScalar(str(data), True, where)
    if isinstance(data, str):
        return RawScalar(data, False, where)
    if isinstance(data, bool):
        return RawScalar("true" if data else "false", True, where)
    if data is None:
        return RawScalar("null", True, where)
    if isinstance(data, int | float):
        return RawScalar(repr(data), True, where)
    return RawScalar(str(data), False, where)


def parse_flow(text: str, where: str) -> RawValue:
    """Parse a command-line value written in YAML flow style: `[1, 2]`, `{a: 1}`.

    Raises `ValueError` with a short reason when it does not parse.
    """
    import yaml

    try:
        node = yaml.compose(text, Loader=_loader())
    except yaml.YAMLError as error:
        raise ValueError(str(getattr(error, "problem", None) or error)) from None
    problems: list[Problem] = []
    if node is None:
        return RawScalar("", True, where)
    raw = _YamlTree(where, problems, node).convert(node, "")
    if problems:
        raise ValueError(problems[0].message)
    return _relocate(raw, where)


def _relocate(raw: RawValue, where: str) -> RawValue:
    if isinstance(raw, RawScalar):
        return RawScalar(raw.text, raw.plain, where)
    if isinstance(raw, RawList):
        return RawList(tuple(_relocate(item, where) for item in raw.items), where)
    entries = (RawEntry(e.key, _relocate(e.value, where), where) for e in raw)
    return RawMap(tuple(entries), where)


def from_python(value: object, where: str) -> RawValue:
    """Turn a Python literal (from `ast.literal_eval`) into a raw value."""
    if isinstance(value, tuple | list):
        return RawList(tuple(from_python(item, where) for item in value), where)
    if isinstance(value, dict):
        entries = (
            RawEntry(str(k), from_python(v, where), where) for k, v in value.items()
        )
        return RawMap(tuple(entries), where)
    return _native_scalar(value, where)


__all__: Sequence[str] = ["from_python", "load_documents", "parse_flow"]
