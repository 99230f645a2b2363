"""Split the command line into config files and `--Class.field VALUE` flags.

The conventions are argparse's (`--flag VALUE`, `--flag=VALUE`, `-c a.yaml
b.yaml`, `-h`, exit status 2 on errors), but the parsing is a single pass over the
tokens against a table of known flags: building an argparse parser with one
option per field would cost more than the rest of the build on large configs.
A `bool` flag takes an optional value, so a bare `--Train.shuffle` means true.
Flags are never abbreviated.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from spockc.runtime.errors import Problem

HELP_FLAGS = ("-h", "--help")
CONFIG_FLAGS = ("-c", "--config")
_OWN_FLAGS = {"config": "--config (or -c)", "help": "--help (or -h)"}
"""The builder's own long flags, without dashes, as a suggestion spells them."""


# Plain classes rather than dataclasses, and difflib imported only for an
# unknown flag: the first build of a program pays for every import here.


class FlagValue:
    """One `--Class.field VALUE`; `text` is None for a bare bool flag."""

    __slots__ = ("name", "text")

    def __init__(self, name: str, text: str | None) -> None:
        self.name = name
        self.text = text

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FlagValue):
            return NotImplemented
        return (self.name, self.text) == (other.name, other.text)

    def __hash__(self) -> int:
        return hash((self.name, self.text))

    def __repr__(self) -> str:
        return f"FlagValue(name={self.name!r}, text={self.text!r})"

    @property
    def where(self) -> str:
        """Return the flag as the user wrote it, for error messages."""
        return f"--{self.name}"


class CommandLine:
    """What the command line asked for."""

    def __init__(self) -> None:
        self.configs: list[str] = []
        self.values: list[FlagValue] = []
        self.wants_help = False
        self.problems: list[Problem] = []


def parse_command_line(
    argv: Sequence[str], flags: Mapping[str, bool], built: Collection[str]
) -> CommandLine:
    """Read `argv` against `flags`: flag name (no dashes) -> takes an optional value.

    `flags` may hold the flags of every class of the schema; those of classes not
    in `built` are reported as not given to the builder.
    """
    return _Parser(argv, flags, built).parse()


class _Parser:
    """One pass over the tokens of a command line."""

    def __init__(
        self, argv: Sequence[str], flags: Mapping[str, bool], built: Collection[str]
    ) -> None:
        self.argv = argv
        self.flags = flags
        self.built = built
        self.index = 0
        self.result = CommandLine()
        self.seen: set[str] = set()

    def parse(self) -> CommandLine:
        while self.index < len(self.argv):
            token = self.argv[self.index]
            self.index += 1
            name, equals, inline = token.partition("=")
            value = inline if equals else None

            if token in HELP_FLAGS:
                self.result.wants_help = True
            elif name in CONFIG_FLAGS:
                self._read_configs(token, value)
            elif token.startswith("--"):
                self._read_flag(name[2:], value)
            else:
                message = "unexpected argument; values follow a --Class.field flag"
                self.result.problems.append(Problem(token, "", message))
        return self.result

    def _has_value_next(self) -> bool:
        return self.index < len(self.argv) and not self.argv[self.index].startswith(
            "--"
        )

    def _read_configs(self, token: str, inline: str | None) -> None:
        if inline is not None:
            self.result.configs.append(inline)
            return
        start = self.index
        while self.index < len(self.argv) and not self.argv[self.index].startswith("-"):
            self.result.configs.append(self.argv[self.index])
            self.index += 1
        if self.index == start:
            message = "expected one or more config files"
            self.result.problems.append(Problem(token, "", message))

    def _read_flag(self, name: str, inline: str | None) -> None:
        optional_value = self.flags.get(name)
        if optional_value is None or name.split(".", 1)[0] not in self.built:
            message = self._unknown(name)
            self.result.problems.append(Problem(f"--{name}", "", message))
            if inline is None and self._has_value_next():
                self.index += 1
            return

        if name in self.seen:
            # The last one wins, as with argparse: a wrapper script may give a
            # flag and pass on the user's own (`train.py --Train.epochs 10 "$@"`).
            values = self.result.values
            values[:] = [value for value in values if value.name != name]
        self.seen.add(name)
        self._read_value(name, inline, optional_value)

    def _read_value(self, name: str, inline: str | None, optional_value: bool) -> None:
        if inline is not None:
            self.result.values.append(FlagValue(name, inline))
        elif optional_value and not (
            self._has_value_next() and not self.argv[self.index].startswith("-")
        ):
            self.result.values.append(FlagValue(name, None))
        elif not self._has_value_next():
            self.result.problems.append(Problem(f"--{name}", "", "expected a value"))
        else:
            self.result.values.append(FlagValue(name, self.argv[self.index]))
            self.index += 1

    def _unknown(self, name: str) -> str:
        klass = name.split(".", 1)[0]
        if name in self.flags:
            return f"unknown flag: class {klass} was not given to the builder"
        known = [flag for flag in self.flags if flag.split(".", 1)[0] in self.built]
        import difflib

        if klass in self.built:
            # Fields of a class share its name: compare what follows it only, or
            # every field of the class would look close.
            fields = {
                flag.split(".", 1)[1]: flag
                for flag in known
                if flag.startswith(f"{klass}.")
            }
            close = difflib.get_close_matches(name.split(".", 1)[-1], fields, n=1)
            close = [fields[found] for found in close]
        else:
            close = difflib.get_close_matches(name, [*known, *_OWN_FLAGS], n=1)
        if not close:
            return "unknown flag"
        spelled = _OWN_FLAGS.get(close[0], f"--{close[0]}")
        return f"unknown flag; did you mean {spelled}?"


def usage(prog: str) -> str:
    """Return the one-line usage, as argparse would print it."""
    return f"usage: {prog} [-h] [-c CONFIG [CONFIG ...]] [--Class.field VALUE ...]"
