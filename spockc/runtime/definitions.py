"""Final hyper-parameter definitions, as the generated sampler module reads them.

`tuner()` merges each tuned field's definition from the source, config files and
the command line, validates it, and hands the result to the generated
`make_distributions` through a `Definitions`. Nothing here imports optuna.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from spockc.runtime.frozen import Frozen, assign


class FloatRange(Frozen):
    """A validated float range: `low <= high`, `low > 0` with log, no step with log."""

    __slots__ = ("high", "log", "low", "step")
    low: float
    high: float
    log: bool
    step: float | None

    def __init__(
        self, low: float, high: float, log: bool = False, step: float | None = None
    ) -> None:
        assign(self, low, high, log, step)


class IntRange(Frozen):
    """A validated int range: `low <= high`, `low >= 1` with log, step 1 with log."""

    __slots__ = ("high", "log", "low", "step")
    low: int
    high: int
    log: bool
    step: int

    def __init__(self, low: int, high: int, log: bool = False, step: int = 1) -> None:
        assign(self, low, high, log, step)


class Choices(Frozen):
    """A validated, non-empty tuple of choices, all of the declared type."""

    __slots__ = ("choices",)
    choices: tuple[bool | int | float | str | None, ...]

    def __init__(self, choices: tuple[bool | int | float | str | None, ...]) -> None:
        assign(self, choices)


class Definitions(Frozen):
    """The final definition of every tuned field, keyed by `Class.field`."""

    __slots__ = ("by_name",)
    by_name: Mapping[str, FloatRange | IntRange | Choices]

    def __init__(self, by_name: Mapping[str, FloatRange | IntRange | Choices]) -> None:
        assign(self, by_name)

    def range(self, name: str) -> FloatRange | IntRange:
        """Return the range of `name`, whichever its type."""
        definition = self.by_name[name]
        if isinstance(definition, Choices):
            raise TypeError(f"{name} is a choice, not a range")
        return definition

    def float_range(self, name: str) -> FloatRange:
        """Return the float range of `name`."""
        definition = self.by_name[name]
        if not isinstance(definition, FloatRange):
            raise TypeError(f"{name} is not a float range: {definition!r}")
        return definition

    def int_range(self, name: str) -> IntRange:
        """Return the int range of `name`."""
        definition = self.by_name[name]
        if not isinstance(definition, IntRange):
            raise TypeError(f"{name} is not an int range: {definition!r}")
        return definition

    def choices(self, name: str) -> Choices:
        """Return the choices of `name`."""
        definition = self.by_name[name]
        if not isinstance(definition, Choices):
            raise TypeError(f"{name} is not a choice: {definition!r}")
        return definition


def is_finite_number(value: object) -> bool:
    """Tell whether `value` is an int or float within float range, not inf or nan.

    Optuna samples neither infinities nor ints beyond a float, and a bool is not a
    number here.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an int beyond any float
        return False


def upper_bounds_that_fit(
    low: float, high: float, step: float
) -> list[int] | list[float] | None:
    """Return None when `high - low` is a whole number of steps of `step`.

    Otherwise return the upper bounds just below and just above `high` that
    are (those above `low`), for a hint. Decimal arithmetic on the written
    values decides, as Optuna's own check does, with as many digits as the
    number of steps needs: no span is too wide to check.
    """
    from decimal import Decimal, localcontext

    low_d, high_d, step_d = (Decimal(str(number)) for number in (low, high, step))
    span = high_d - low_d
    with localcontext() as context:
        context.prec = max(28, span.adjusted() - step_d.adjusted() + 30)
        if span % step_d == 0:
            return None
        below = low_d + span // step_d * step_d
        ends = [end for end in (below, below + step_d) if end > low_d]
    if all(isinstance(number, int) for number in (low, high, step)):
        return [int(end) for end in ends]
    return [float(end) for end in ends]
