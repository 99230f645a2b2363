"""Decorators and hyper-parameter declarations that user source files import.

The compiler reads these names from the source text; at run time they do nothing
but hand the class back, so importing a config source stays cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Generic, TypeVar, overload

_C = TypeVar("_C", bound=type)
_T = TypeVar("_T")


@overload
def spock(cls: _C, /) -> _C: ...


@overload
def spock(*, dynamic: bool = False) -> Callable[[_C], _C]: ...


def spock(
    cls: _C | None = None, /, *, dynamic: bool = False
) -> _C | Callable[[_C], _C]:
    """Mark a class as a configuration class; `spockc compile` generates its type."""
    del dynamic
    if cls is None:
        return _identity
    return cls


@overload
def spockTuner(cls: _C, /) -> _C: ...


@overload
def spockTuner(*, dynamic: bool = False) -> Callable[[_C], _C]: ...


def spockTuner(
    cls: _C | None = None, /, *, dynamic: bool = False
) -> _C | Callable[[_C], _C]:
    """Mark a class whose fields are hyper-parameters to tune."""
    del dynamic
    if cls is None:
        return _identity
    return cls


def _identity(cls: _C) -> _C:
    return cls


class RangeHyperParameter(Generic[_T]):
    """Declare a numeric hyper-parameter sampled between two bounds."""

    def __init__(
        self,
        type: str | None = None,
        bounds: Sequence[float] | None = None,
        log_scale: bool = False,
        step: float | None = None,
    ) -> None:
        self.type = type
        self.bounds = tuple(bounds) if bounds is not None else None
        self.log_scale = log_scale
        self.step = step


class ChoiceHyperParameter(Generic[_T]):
    """Declare a hyper-parameter sampled from a list of choices."""

    def __init__(
        self,
        type: str | None = None,
        choices: Sequence[object] | None = None,
    ) -> None:
        self.type = type
        self.choices = tuple(choices) if choices is not None else None
