"""Merge and validate hyper-parameter definitions before any Optuna call.

A tuned field's definition comes from the source (`RangeSpec.default`,
`ChoiceSpec.default`), then config files (`c: {type: float, bounds: [1e-7, 10],
log_scale: true}`), then flags (`--Class.c.bounds "[0.1, 1]"`), key by key. The
builder collects the raw parts; `build_definitions` decodes and checks them all
and reports every problem at once, naming the file line or flag and `Class.field`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from spockc.runtime.decode import (
    DecodeError,
    RawList,
    RawScalar,
    RawValue,
    decode,
    item_step,
)
from spockc.runtime.definitions import (
    Choices,
    Definitions,
    FloatRange,
    IntRange,
    is_finite_number,
    upper_bounds_that_fit,
)
from spockc.runtime.errors import Problem
from spockc.runtime.schema import (
    BOOL,
    ChoiceSpec,
    RangeSpec,
    Scalar,
    ScalarKind,
)

RANGE_KEYS = ("type", "bounds", "log_scale", "step")
CHOICE_KEYS = ("type", "choices")
_CHOICE_TYPES: tuple[ScalarKind, ...] = ("str", "int", "float", "bool")
_KINDS: dict[str, ScalarKind] = {kind: kind for kind in _CHOICE_TYPES}


def scalar_kind(text: str) -> ScalarKind | None:
    """Return the scalar kind `text` names, or None."""
    return _KINDS.get(text)


def definition_keys(spec: RangeSpec | ChoiceSpec) -> tuple[str, ...]:
    """Return the keys a definition of `spec` may have."""
    return RANGE_KEYS if isinstance(spec, RangeSpec) else CHOICE_KEYS


@dataclass
class DefinitionParts:
    """The raw parts given for one tuned field, latest source last."""

    where: str
    parts: dict[str, RawValue] = field(default_factory=dict)

    def place(self, key: str) -> str:
        """Return where `key` was given, or where the definition was."""
        raw = self.parts.get(key)
        return raw.where if raw is not None else self.where


class _Invalid(Exception):
    """One problem with a definition; it stops checking that field."""

    def __init__(self, where: str, message: str, missing: str = "") -> None:
        super().__init__(message)
        self.where = where
        self.message = message
        self.missing = missing


def build_definitions(
    fields: Sequence[tuple[str, RangeSpec | ChoiceSpec]],
    given: Mapping[str, DefinitionParts],
    source: str,
) -> tuple[Definitions, list[Problem]]:
    """Return the validated definition of every `(Class.field, spec)` in `fields`.

    `given` holds the parts from files and flags by `Class.field`; `source` is the
    place to name when a problem is in the definition written in the source.
    """
    problems: list[Problem] = []
    by_name: dict[str, FloatRange | IntRange | Choices] = {}
    for key, spec in fields:
        parts = given.get(key, DefinitionParts(source))
        try:
            if isinstance(spec, RangeSpec):
                by_name[key] = _range(spec, parts)
            else:
                by_name[key] = _choices(spec, parts)
        except _Invalid as error:
            message = error.message
            if error.missing:
                message += f", under {key.split('.')[0]} in a config file or as --{key}.{error.missing}"
            problems.append(Problem(error.where, key, message))
        except DecodeError as error:
            problems.append(Problem(error.where, key + error.path, error.message))
    return Definitions(by_name), problems


def _decode_part(raw: RawValue, spec: Scalar, path: str) -> object:
    """Decode one part of a definition; an error names it (`Class.field.step`)."""
    try:
        return decode(raw, spec)
    except DecodeError as error:
        raise error.inside(path) from None


def _range(spec: RangeSpec, parts: DefinitionParts) -> FloatRange | IntRange:
    default = spec.default
    kind = _range_type(spec, parts)
    number = Scalar(kind)

    if "bounds" in parts.parts:
        bounds = _decode_bounds(parts.parts["bounds"], number)
    elif default is not None and default.bounds is not None:
        bounds = _typed_bounds(default.bounds, kind, parts.where)
    else:
        raise _Invalid(parts.where, "no bounds; give bounds: [low, high]", "bounds")
    if "log_scale" in parts.parts:
        log = bool(_decode_part(parts.parts["log_scale"], BOOL, ".log_scale"))
    else:
        log = default.log_scale if default is not None else False
    if "step" in parts.parts:
        step = _decode_part(parts.parts["step"], number, ".step")
    else:
        step = default.step if default is not None else None

    low, high = bounds
    where = parts.place("bounds")
    if not (is_finite_number(low) and is_finite_number(high)):
        raise _Invalid(where, f"bounds must be finite numbers, got [{low}, {high}]")
    if low > high:
        raise _Invalid(where, f"lower bound {low} is greater than upper bound {high}")
    if log and kind == "float" and low <= 0:
        raise _Invalid(where, f"log_scale float needs lower bound > 0 (got {low})")
    if log and kind == "int" and low < 1:
        raise _Invalid(where, f"log_scale int needs lower bound >= 1 (got {low})")
    return _checked_step(kind, low, high, log, step, parts.place("step"))


def _checked_step(
    kind: str, low: float, high: float, log: bool, step: object, where: str
) -> FloatRange | IntRange:
    if step is not None and not isinstance(step, int | float):
        raise _Invalid(where, f"step must be a number, got {step!r}")
    if step is not None and not (is_finite_number(step) and step > 0):
        raise _Invalid(
            where, f"step must be a finite number greater than 0 (got {step})"
        )
    if kind == "float":
        if log and step is not None:
            raise _Invalid(where, "step cannot be combined with log_scale")
        if step is not None:
            _check_whole_steps(low, high, step, where)
        return FloatRange(
            float(low), float(high), log, None if step is None else float(step)
        )
    if step is None:
        int_step = 1
    elif float(step).is_integer():
        int_step = int(step)
    else:
        raise _Invalid(where, f"an int range needs an int step, got {step!r}")
    if log and int_step != 1:
        raise _Invalid(where, "step cannot be combined with log_scale")
    _check_whole_steps(int(low), int(high), int_step, where)
    return IntRange(int(low), int(high), log, int_step)


def _check_whole_steps(low: float, high: float, step: float, where: str) -> None:
    """Reject bounds that are not a whole number of steps apart.

    Optuna would lower `high` to the last step with only a warning that names no
    field (https://github.com/optuna/optuna/issues/2225).
    """
    ends = upper_bounds_that_fit(low, high, step)
    if ends is None:
        return
    shown = " or ".join(str(end) for end in ends)
    message = f"bounds [{low}, {high}] are not a whole number of steps of {step} apart; make the upper bound {shown}"
    raise _Invalid(where, message)


def _range_type(spec: RangeSpec, parts: DefinitionParts) -> ScalarKind:
    if "type" in parts.parts:
        raw = parts.parts["type"]
        text = raw.text if isinstance(raw, RawScalar) else ""
        if text not in ("int", "float"):
            raise _Invalid(
                raw.where, f"type must be int or float, got {text or 'a collection'!r}"
            )
        kind: ScalarKind = "int" if text == "int" else "float"
    elif spec.default is not None and spec.default.type is not None:
        kind = spec.default.type
    elif spec.value_type is not None:
        kind = spec.value_type
    else:
        raise _Invalid(parts.where, "no type; give type: int or float", "type")

    if spec.value_type is not None and kind != spec.value_type:
        message = f"type {kind} does not match RangeHyperParameter[{spec.value_type}] in the source"
        raise _Invalid(parts.place("type"), message)
    return kind


def _decode_bounds(raw: RawValue, number: Scalar) -> tuple[float, float]:
    if not isinstance(raw, RawList) or len(raw.items) != 2:
        count = f"{len(raw.items)} values" if isinstance(raw, RawList) else "one value"
        raise _Invalid(raw.where, f"bounds needs two values [low, high], got {count}")
    low, high = (
        _decode_part(item, number, f".bounds{item_step(index)}")
        for index, item in enumerate(raw.items)
    )
    assert isinstance(low, int | float) and isinstance(high, int | float)
    return low, high


def _typed_bounds(
    bounds: tuple[float, float], kind: str, where: str
) -> tuple[float, float]:
    if len(bounds) != 2:
        raise _Invalid(where, f"bounds needs two values [low, high], got {len(bounds)}")
    low, high = bounds
    if kind == "int" and not (float(low).is_integer() and float(high).is_integer()):
        raise _Invalid(where, f"an int range needs int bounds, got [{low}, {high}]")
    return (int(low), int(high)) if kind == "int" else (float(low), float(high))


def _choices(spec: ChoiceSpec, parts: DefinitionParts) -> Choices:
    default = spec.default
    kind = _choice_type(spec, parts)
    scalar = Scalar(kind)

    if "choices" in parts.parts:
        raw = parts.parts["choices"]
        if not isinstance(raw, RawList):
            raise _Invalid(raw.where, "choices must be a list")
        values = tuple(
            _decode_part(item, scalar, f".choices{item_step(index)}")
            for index, item in enumerate(raw.items)
        )
        where = raw.where
    elif default is not None and default.choices is not None:
        values = default.choices
        where = parts.where
        for value in values:
            _check_python_choice(value, kind, where)
    else:
        raise _Invalid(parts.where, "no choices; give choices: [a, b, ...]", "choices")

    if not values:
        raise _Invalid(where, "choices must not be empty")
    if len(set(values)) != len(values):
        raise _Invalid(where, f"choices repeat a value: {list(values)!r}")
    if spec.allowed is not None:
        extra = [value for value in values if value not in spec.allowed]
        if extra:
            message = f"choices {extra!r} are not among those the source declares, {list(spec.allowed)!r}"
            raise _Invalid(where, message)
    return Choices(tuple(values))  # type: ignore[arg-type]  # checked by kind above


def _choice_type(spec: ChoiceSpec, parts: DefinitionParts) -> ScalarKind:
    if "type" in parts.parts:
        raw = parts.parts["type"]
        text = raw.text if isinstance(raw, RawScalar) else ""
        if text not in _CHOICE_TYPES:
            message = f"type must be one of {list(_CHOICE_TYPES)}, got {text or 'a collection'!r}"
            raise _Invalid(raw.where, message)
        kind = _KINDS[text]
    elif spec.default is not None and spec.default.type is not None:
        kind = spec.default.type
    elif spec.value_type is not None:
        kind = spec.value_type
    else:
        raise _Invalid(
            parts.where, f"no type; give type: one of {list(_CHOICE_TYPES)}", "type"
        )

    if spec.value_type is not None and kind != spec.value_type:
        message = f"type {kind} does not match the type {spec.value_type} declared in the source"
        raise _Invalid(parts.place("type"), message)
    return kind


def _check_python_choice(value: object, kind: str, where: str) -> None:
    expected: dict[str, type | tuple[type, ...]] = {
        "str": str,
        "int": int,
        "float": (int, float),
        "bool": bool,
    }
    wrong_bool = isinstance(value, bool) and kind != "bool"
    if wrong_bool or not isinstance(value, expected[kind]):
        raise _Invalid(where, f"choice {value!r} is not of type {kind}")
