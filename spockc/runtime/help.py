"""Render the `-h/--help` text of a builder: usage, description, field tables.

Imported only when help is asked for. Each built class gets its summary and a
table of its flags with type, default and help text; tuned fields show their
definition and the sub-flags that change it.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from spockc.runtime.cmdline import usage
from spockc.runtime.decode import type_name
from spockc.runtime.schema import (
    MISSING,
    ChoiceDefinition,
    ChoiceSpec,
    EnumOf,
    FieldSpec,
    ListOf,
    NestedDefault,
    NestedOf,
    OptionalOf,
    RangeDefinition,
    RangeSpec,
    TypeSpec,
)

if TYPE_CHECKING:
    from spockc.runtime.assemble import Plan

_OPTIONS = [
    "options:",
    "  -h, --help            show this help message and exit",
    "  -c, --config CONFIG [CONFIG ...]",
    "                        config files (.yaml, .yml, .toml, .json), later ones win",
]
# What the builder does with each, as `tuner()` and `sample()` check it.
_TUNED_NOTE = "\n".join(
    [
        "  A tuned field takes its definition, in a config file or in parts:",
        "  --Class.field.type/.bounds/.log_scale/.step for a range,",
        "  --Class.field.type/.choices for a choice. A plain value",
        "  (--Class.field VALUE) replays a saved sample: sample() without tuner()",
        "  returns it when every tuned field has one; tuner() rejects it.",
    ]
)


class HelpRow(NamedTuple):
    """One line of a class's field table."""

    flag: str
    type: str
    default: str
    help: str


def help_text(prog: str, description: str, plan: Plan, built: Sequence[str]) -> str:
    """Return the `-h` text for the classes `built` of `plan`."""
    lines = [usage(prog), ""]
    if description:
        lines += [description, ""]
    lines += [*_OPTIONS, ""]
    for name in built:
        spec = plan.classes[name].spec
        summary = spec.help.strip().splitlines()[0] if spec.help.strip() else ""
        lines.append(f"{name}: {summary}" if summary else name)
        lines += _table([_row(name, field) for field in spec.fields])
        if spec.is_tuner:
            lines.append(_TUNED_NOTE)
        lines.append("")
    return "\n".join(lines)


def _row(name: str, spec: FieldSpec | RangeSpec | ChoiceSpec) -> HelpRow:
    flag = f"--{name}.{spec.name}"
    if isinstance(spec, FieldSpec):
        text = spec.help
        values = _enum_values(spec.type)
        if values:
            text = f"{text} (one of {values})" if text else f"one of {values}"
        return HelpRow(flag, type_name(spec.type), _shown_default(spec), text)
    shape = "range" if isinstance(spec, RangeSpec) else "choice"
    kind = f"{shape}[{spec.value_type or 'any'}]"
    return HelpRow(flag, kind, _shown_definition(spec.default), spec.help)


def _enum_values(spec: TypeSpec) -> str:
    """Return the values a flag of an Enum field takes, or "" for other types."""
    if isinstance(spec, OptionalOf):
        spec = spec.inner
    if not isinstance(spec, EnumOf):
        return ""
    return ", ".join(str(member.value) for member in spec.enum)


def _shown_default(spec: FieldSpec) -> str:
    if spec.default is MISSING:
        return "None" if isinstance(spec.type, OptionalOf) else "required"
    return _shown(spec.default, spec.type)


def _shown(value: object, spec: TypeSpec) -> str:
    """Return a default as the source would write it: `Layer(width=64)`, `'relu'`."""
    if isinstance(spec, OptionalOf):
        spec = spec.inner
    if isinstance(value, NestedDefault) and isinstance(spec, NestedOf):
        arguments = ", ".join(f"{key}={item!r}" for key, item in value.kwargs.items())
        return f"{spec.name}({arguments})"
    if isinstance(value, list) and isinstance(spec, ListOf):
        return "[" + ", ".join(_shown(item, spec.item) for item in value) + "]"
    if isinstance(value, enum.Enum):
        return repr(value.value)
    return repr(value)


def _shown_definition(default: RangeDefinition | ChoiceDefinition | None) -> str:
    if default is None:
        return "from config"
    if isinstance(default, ChoiceDefinition):
        return f"choices={list(default.choices or ())!r}"
    parts = [f"bounds={list(default.bounds)!r}"] if default.bounds else []
    if default.log_scale:
        parts.append("log_scale")
    if default.step is not None:
        parts.append(f"step={default.step!r}")
    return ", ".join(parts) or "from config"


def _table(rows: Sequence[HelpRow]) -> list[str]:
    if not rows:
        return ["  (no fields)"]
    header = HelpRow("flag", "type", "default", "help")
    widths = [max(len(row[column]) for row in (header, *rows)) for column in range(3)]
    lines = []
    for row in (header, *rows):
        cells = [row[column].ljust(widths[column]) for column in range(3)]
        lines.append("  " + "  ".join([*cells, row.help]).rstrip())
    return lines
