"""Write built classes back to YAML, TOML or JSON so they build again equal.

A saved file reloads to an equal space: strings are always quoted, tuples are
written as lists (the declared type makes them tuples again), Enum members as
their values, and a nested instance by its class name when it is that class's
own instance, otherwise inline as a mapping of its fields.

TOML has no null. A field whose value is None is left out of a TOML file, with a
comment, when its default is None too (so it reloads as None); any other None
cannot be written to TOML and saving raises a `ConfigError` that says to use
`.yaml` or `.json` (C13). Files are written atomically: a temporary file in the
same folder, then `os.replace`.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import json
import math
import os
import shlex
import sys
import tempfile
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from spockc.runtime.definitions import Choices, Definitions, FloatRange, IntRange
from spockc.runtime.errors import ConfigError, Problem
from spockc.runtime.frozen import ConfigClass, fields_of
from spockc.runtime.schema import (
    MISSING,
    ChoiceSpec,
    DictOf,
    EnumOf,
    FieldSpec,
    ListOf,
    NestedOf,
    OptionalOf,
    RangeSpec,
    Spockspace,
    TupleOf,
    TypeSpec,
    _built,
)

if TYPE_CHECKING:
    from spockc.runtime.assemble import Plan

EXTENSIONS = {".yaml": ".yaml", ".yml": ".yml", ".toml": ".toml", ".json": ".json"}


class _LeftOut:
    """Marks a None left out of a TOML file because the default is None too."""


LEFT_OUT = _LeftOut()


def extension(asked: str) -> str:
    """Return the normalised extension, `.yaml`, `.yml`, `.toml` or `.json`."""
    normal = asked.lower() if asked.startswith(".") else f".{asked.lower()}"
    if normal not in EXTENSIONS:
        raise ValueError(
            f"file_extension must be one of {', '.join(EXTENSIONS)}, got {asked!r}"
        )
    return normal


def save_folder(
    path: str | os.PathLike[str] | None, fixed: Spockspace, create: bool
) -> str:
    """Return the folder to save in: `path`, else a built `save_path` field."""
    if path is None:
        for instance in _built(fixed).values():
            found = getattr(instance, "save_path", None)
            if isinstance(found, str | os.PathLike):
                path = found
                break
    if path is None:
        raise ValueError(
            "save() needs user_specified_path= (or a built save_path field)"
        )
    folder = os.fspath(path)
    if create:
        os.makedirs(folder, exist_ok=True)
    elif not os.path.isdir(folder):
        raise FileNotFoundError(
            f"save folder {folder} does not exist (create_save_path=False)"
        )
    return folder


def payload(
    plan: Plan,
    classes: Mapping[str, object],
    definitions: Mapping[str, Mapping[str, object]],
    for_toml: bool = False,
) -> dict[str, dict[str, object]]:
    """Return `{Class: {field: plain value}}` for every class in `classes`."""
    encoder = _Encoder(plan, classes, for_toml)
    result: dict[str, dict[str, object]] = {}
    for name, klass in plan.classes.items():
        if name not in classes:
            continue
        values: dict[str, object] = {}
        for spec in klass.spec.fields:
            key = f"{name}.{spec.name}"
            if key in definitions:
                values[spec.name] = dict(definitions[key])
            elif isinstance(spec, FieldSpec):
                values[spec.name] = encoder.field(
                    name, spec, getattr(classes[name], spec.name)
                )
            elif hasattr(classes[name], spec.name):
                values[spec.name] = getattr(classes[name], spec.name)
        result[name] = values
    return result


@dataclasses.dataclass
class _Encoder:
    plan: Plan
    classes: Mapping[str, object]
    for_toml: bool

    def field(self, name: str, spec: FieldSpec, value: object) -> object:
        if value is None and self.for_toml:
            default = spec.default
            if default is None or (
                default is MISSING and isinstance(spec.type, OptionalOf)
            ):
                return LEFT_OUT
            message = "cannot save None to TOML (no null); use .yaml or .json"
            raise ConfigError([Problem("", f"{name}.{spec.name}", message)])
        return self.value(value, spec.type, f"{name}.{spec.name}")

    def value(self, value: object, spec: TypeSpec, key: str) -> object:
        if isinstance(spec, OptionalOf):
            if value is None and self.for_toml:
                message = "cannot save None to TOML (no null); use .yaml or .json"
                raise ConfigError([Problem("", key, message)])
            return None if value is None else self.value(value, spec.inner, key)
        if isinstance(spec, EnumOf) and isinstance(value, enum.Enum):
            return value.value
        if isinstance(spec, ListOf | TupleOf) and isinstance(value, list | tuple):
            items = (
                spec.items * len(value)
                if isinstance(spec, TupleOf) and spec.variadic
                else (
                    spec.items
                    if isinstance(spec, TupleOf)
                    else (spec.item,) * len(value)
                )
            )
            return [
                self.value(item, s, key) for item, s in zip(value, items, strict=False)
            ]
        if isinstance(spec, DictOf) and isinstance(value, dict):
            return {k: self.value(v, spec.value, key) for k, v in value.items()}
        if isinstance(spec, NestedOf):
            return self.nested(spec.name, value)
        return value

    def nested(self, name: str, value: object) -> object:
        own = self.classes.get(name)
        if own is value or own == value:
            return name
        klass = self.plan.classes[name]
        inline: dict[str, object] = {}
        for spec in klass.fixed:
            encoded = self.field(name, spec.spec, getattr(value, spec.name))
            if encoded is not LEFT_OUT:
                inline[spec.name] = encoded
        return inline


def definitions_as_dicts(
    definitions: Definitions, specs: Mapping[str, RangeSpec | ChoiceSpec]
) -> dict[str, dict[str, object]]:
    """Return each definition in spock's form, `{type, bounds, log_scale, step}`."""
    result: dict[str, dict[str, object]] = {}
    for key, found in definitions.by_name.items():
        if isinstance(found, FloatRange | IntRange):
            kind = "float" if isinstance(found, FloatRange) else "int"
            entry: dict[str, object] = {
                "type": kind,
                "bounds": [found.low, found.high],
                "log_scale": found.log,
            }
            if found.step is not None and not (
                isinstance(found, IntRange) and found.step == 1
            ):
                entry["step"] = found.step
            result[key] = entry
        elif isinstance(found, Choices):
            spec = specs[key]
            kind = spec.value_type or _kind_of(found.choices[0])
            result[key] = {"type": kind, "choices": list(found.choices)}
    return result


def _kind_of(value: object) -> str:
    if isinstance(value, bool):
        return "bool"
    return type(value).__name__


@functools.lru_cache(maxsize=1)
def _environment() -> tuple[str, ...]:
    from importlib import metadata

    versions = []
    for package in ("spockc", "optuna", "PyYAML"):
        try:
            versions.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            continue
    lines = [f"Python {sys.version.split()[0]}", f"packages: {', '.join(versions)}"]
    commit = _git_commit()
    if commit:
        lines.append(f"git commit: {commit}")
    return tuple(lines)


def _git_commit() -> str:
    import subprocess

    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def header() -> list[str]:
    """Return the comment lines that say how to reproduce this run."""
    command = shlex.join([os.path.basename(sys.executable), *sys.argv])
    return ["Saved by spockc", f"command line: {command}", *_environment()]


def write(
    target: str,
    data: Mapping[str, Mapping[str, object]],
    comments: list[str],
) -> None:
    """Write `data` to `target` in the format its extension names, atomically."""
    if target.endswith(".json"):
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    elif target.endswith(".toml"):
        text = to_toml(data, comments)
    else:
        text = to_yaml(data, comments)

    folder = os.path.dirname(target) or "."
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".spockc-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, target)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def _comment_lines(comments: list[str]) -> list[str]:
    """Return `comments` as `#` lines; a newline (in an argument) starts another."""
    return [f"# {line}" for comment in comments for line in comment.splitlines()]


# --- YAML -------------------------------------------------------------------------


def to_yaml(data: Mapping[str, Mapping[str, object]], comments: list[str]) -> str:
    """Return `data` as block YAML with flow-style values; every string quoted."""
    lines = _comment_lines(comments)
    for name, values in data.items():
        if not values:
            lines.append(f"{name}: {{}}")
            continue
        lines.append(f"{name}:")
        for key, value in values.items():
            lines.append(f"  {key}: {_yaml_value(value)}")
    return "\n".join(lines) + "\n"


def _yaml_value(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float_text(value, ".inf", ".nan")
    if isinstance(value, str):
        return _yaml_string(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_yaml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        pairs = (f"{_yaml_string(str(k))}: {_yaml_value(v)}" for k, v in value.items())
        return "{" + ", ".join(pairs) + "}"
    raise TypeError(f"cannot save {value!r} of type {type(value).__name__}")


def _float_text(value: float, inf: str, nan: str) -> str:
    if math.isnan(value):
        return nan
    if math.isinf(value):
        return inf if value > 0 else f"-{inf}"
    return repr(value)


_YAML_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _yaml_string(text: str) -> str:
    out = []
    for char in text:
        code = ord(char)
        if char in _YAML_ESCAPES:
            out.append(_YAML_ESCAPES[char])
        elif (
            0x20 <= code <= 0x7E
            or (0xA0 <= code <= 0xD7FF and code not in (0x2028, 0x2029))
            or (0xE000 <= code <= 0xFFFD and code != 0xFEFF)
            or code >= 0x10000
        ):
            out.append(char)
        elif code <= 0xFF:
            out.append(f"\\x{code:02x}")
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


# --- TOML -------------------------------------------------------------------------


def to_toml(data: Mapping[str, Mapping[str, object]], comments: list[str]) -> str:
    """Return `data` as TOML, one table per class; left-out Nones as comments."""
    lines = _comment_lines(comments)
    for name, values in data.items():
        lines += ["", f"[{_toml_key(name)}]"]
        for key, value in values.items():
            if value is LEFT_OUT:
                lines.append(f"# {key} is None (TOML has no null; the default is None)")
            else:
                lines.append(f"{_toml_key(key)} = {_toml_value(value)}")
    return "\n".join(lines).lstrip("\n") + "\n"


def _toml_key(key: str) -> str:
    """Return `key` bare when TOML allows it (ASCII letters, digits, _ and -)."""
    bare = key.isascii() and key.replace("_", "a").replace("-", "a").isalnum()
    return key if bare else _toml_string(key)


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float_text(value, "inf", "nan")
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        pairs = (f"{_toml_string(str(k))} = {_toml_value(v)}" for k, v in value.items())
        return "{ " + ", ".join(pairs) + " }" if value else "{}"
    raise TypeError(f"cannot save {value!r} of type {type(value).__name__} to TOML")


_TOML_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\n": "\\n",
    "\t": "\\t",
    "\r": "\\r",
    "\b": "\\b",
    "\f": "\\f",
}


def _toml_string(text: str) -> str:
    out = []
    for char in text:
        code = ord(char)
        if char in _TOML_ESCAPES:
            out.append(_TOML_ESCAPES[char])
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


# --- evolve ------------------------------------------------------------------------


def propagate(
    current: dict[str, object], replaced: dict[int, object]
) -> dict[str, object]:
    """Point fields that held a replaced instance at its replacement, recursively."""
    changed = True
    while changed:
        changed = False
        for name, instance in current.items():
            if not isinstance(instance, ConfigClass):
                continue
            updates: dict[str, Any] = {}
            for field_name in fields_of(instance):
                value = getattr(instance, field_name)
                if id(value) in replaced and replaced[id(value)] is not value:
                    updates[field_name] = replaced[id(value)]
            if updates:
                new = instance.__replace__(**updates)
                replaced[id(instance)] = new
                current[name] = new
                changed = True
    return current
