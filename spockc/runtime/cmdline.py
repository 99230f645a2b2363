"""Split the command line into config files and `--Class.field VALUE` flags.

The conventions are argparse's (`--flag VALUE`, `--flag=VALUE`, `-c a.yaml
b.yaml`, `-h`, exit status 2 on errors), but the parsing is a single pass over the
tokens against a table of known flags: building an argparse parser with one
option per field would cost more than the rest of the build on large configs.
A `bool` flag takes an optional value, so a bare `--Train.shuffle` means true.
Flags are never abbreviated.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from spockc.runtime.errors import Problem

HELP_FLAGS = ("-h", "--help")
CONFIG_FLAGS = ("-c", "--config")


@dataclass(frozen=True, slots=True)
class FlagValue:
    """One `--Class.field VALUE`; `text` is None for a bare bool flag."""

    name: str
    text: str | None

    @property
    def where(self) -> str:
        """Return the flag as the user wrote it, for error messages."""
        return f"--{self.name}"


@dataclass
class CommandLine:
    """What the command line asked for."""

    configs: list[str] = field(default_factory=list)
    values: list[FlagValue] = field(default_factory=list)
    wants_help: bool = False
    problems: list[Problem] = field(default_factory=list)


def parse_command_line(
    argv: Sequence[str], flags: Mapping[str, bool], ignored: Collection[str] = ()
) -> CommandLine:
    """Read `argv` against `flags`: flag name (no dashes) -> takes an optional value.

    Flags in `ignored` (fields of classes not given to the builder) get a hint.
    """
    result = CommandLine()
    index = 0
    while index < len(argv):
        token = argv[index]
        index += 1
        name, _, inline = token.partition("=")
        has_inline = "=" in token

        if token in HELP_FLAGS:
            result.wants_help = True
        elif name in CONFIG_FLAGS:
            index = _read_configs(
                argv, index, token, inline if has_inline else None, result
            )
        elif token.startswith("--"):
            index = _read_flag(
                argv,
                index,
                name[2:],
                inline if has_inline else None,
                flags,
                ignored,
                result,
            )
        else:
            message = "unexpected argument; values follow a --Class.field flag"
            result.problems.append(Problem(token, "", message))
    return result


def _read_configs(
    argv: Sequence[str], index: int, token: str, inline: str | None, result: CommandLine
) -> int:
    if inline is not None:
        result.configs.append(inline)
        return index
    start = index
    while index < len(argv) and not argv[index].startswith("-"):
        result.configs.append(argv[index])
        index += 1
    if index == start:
        result.problems.append(Problem(token, "", "expected one or more config files"))
    return index


def _read_flag(
    argv: Sequence[str],
    index: int,
    name: str,
    inline: str | None,
    flags: Mapping[str, bool],
    ignored: Collection[str],
    result: CommandLine,
) -> int:
    optional_value = flags.get(name)
    if optional_value is None:
        result.problems.append(
            Problem(f"--{name}", "", _unknown_flag(name, flags, ignored))
        )
        if inline is None and index < len(argv) and not argv[index].startswith("--"):
            index += 1
        return index

    if inline is not None:
        result.values.append(FlagValue(name, inline))
        return index
    has_next = index < len(argv) and not argv[index].startswith("--")
    if optional_value and (not has_next or argv[index].startswith("-")):
        result.values.append(FlagValue(name, None))
        return index
    if not has_next:
        result.problems.append(Problem(f"--{name}", "", "expected a value"))
        return index
    result.values.append(FlagValue(name, argv[index]))
    return index + 1


def _unknown_flag(name: str, flags: Collection[str], ignored: Collection[str]) -> str:
    if name in ignored:
        klass = name.split(".", 1)[0]
        return f"unknown flag: class {klass} was not given to the builder"
    close = difflib.get_close_matches(name, list(flags), n=1)
    hint = f"; did you mean --{close[0]}?" if close else ""
    return f"unknown flag{hint}"


def usage(prog: str) -> str:
    """Return the one-line usage, as argparse would print it."""
    return f"usage: {prog} [-h] [-c CONFIG [CONFIG ...]] [--Class.field VALUE ...]"


@dataclass(frozen=True, slots=True)
class HelpRow:
    """One line of a class's field table."""

    flag: str
    type: str
    default: str
    help: str


@dataclass(frozen=True, slots=True)
class HelpSection:
    """One class in the help text: name, summary and field table."""

    name: str
    summary: str
    rows: Sequence[HelpRow]


def format_help(prog: str, description: str, sections: Sequence[HelpSection]) -> str:
    """Return the `-h` text: usage, description, then a table per class."""
    lines = [usage(prog), ""]
    if description:
        lines += [description, ""]
    lines += [
        "options:",
        "  -h, --help            show this help message and exit",
        "  -c, --config CONFIG [CONFIG ...]",
        "                        config files (.yaml, .yml, .toml, .json), later ones win",
        "",
    ]
    for section in sections:
        title = (
            f"{section.name}: {section.summary}" if section.summary else section.name
        )
        lines.append(title)
        lines += _table(section.rows)
        lines.append("")
    return "\n".join(lines)


def _table(rows: Sequence[HelpRow]) -> list[str]:
    if not rows:
        return ["  (no fields)"]
    header = HelpRow("flag", "type", "default", "help")
    widths = [
        max(len(getattr(row, part)) for row in (header, *rows))
        for part in ("flag", "type", "default")
    ]
    lines = []
    for row in (header, *rows):
        cells = [
            row.flag.ljust(widths[0]),
            row.type.ljust(widths[1]),
            row.default.ljust(widths[2]),
            row.help,
        ]
        lines.append(("  " + "  ".join(cells)).rstrip())
    return lines
