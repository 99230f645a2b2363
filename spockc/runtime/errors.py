"""Errors the runtime reports about config files, the command line and tuning.

Every problem found while building a configuration becomes one `Problem`; all of
them travel together in one `ConfigError`, so the user sees everything at once.
"""

from __future__ import annotations

from collections.abc import Sequence

from spockc.runtime.frozen import Frozen, assign


class Problem(Frozen):
    """One thing wrong with the user's input, and where it was found.

    `where` is `file:line` for a config file, `--Class.field` for a flag, or empty
    when the problem has no single place (a required value given nowhere).
    """

    __slots__ = ("key", "message", "where")
    where: str
    key: str
    message: str

    def __init__(self, where: str, key: str, message: str) -> None:
        assign(self, where, key, message)

    def __str__(self) -> str:
        # A flag names its key already: `--Train.lr: expected float, got 'x'`.
        key = "" if self.where == f"--{self.key}" else self.key
        parts = [part for part in (self.where, key) if part]
        return ": ".join([*parts, self.message])


class ConfigError(Exception):
    """The configuration could not be built; `problems` lists every reason."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))
