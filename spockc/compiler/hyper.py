"""Part of stage 3 (check): hyper-parameter fields of @spockTuner classes.

A default such as `RangeHyperParameter(type="float", bounds=[1e-3, 1.0],
log_scale=True)` is read as constants and validated now, with the rules the
runtime applies to definitions from config files: bounds in order, positive
bounds with log scale, no step with log scale, bounds a whole number of steps
apart, non-empty choices of the type, each given once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from spockc.compiler import diagnostics as codes
from spockc.compiler import ir
from spockc.compiler.resolve import HyperMarker
from spockc.runtime.definitions import is_finite_number, upper_bounds_that_fit

#: Report an error at a position: (pos, code, message, hint).
Report = Callable[[ir.Pos, str, str, str], None]

_RANGE_KEYWORDS = ("type", "bounds", "log_scale", "step")
_CHOICE_KEYWORDS = ("type", "choices")
_CHOICE_TYPES: dict[str, type] = {"bool": bool, "int": int, "float": float, "str": str}


def check_hyper(
    marker: HyperMarker, default: ir.Value | None, is_marker_call: bool, report: Report
) -> ir.RangeParam | ir.ChoiceParam | None:
    """Return the hyper-parameter a field declares, or None after reporting why not."""
    if default is not None and not is_marker_call:
        name = (
            "RangeHyperParameter" if marker.kind == "range" else "ChoiceHyperParameter"
        )
        message = f"the default of a hyper-parameter must be a `{name}(...)` call"
        report(default.pos, codes.BAD_HYPER_PARAMETER, message, f"write `{name}(...)`")
        return None

    keywords = _keywords(default, marker.kind, report) if default is not None else {}
    if keywords is None:
        return None
    if marker.kind == "range":
        return _range(marker, keywords, default is not None, report)
    return _choice(marker, keywords, default is not None, report)


def _keywords(
    call: ir.Value, kind: str, report: Report
) -> dict[str, ir.Keyword] | None:
    assert isinstance(call, ir.CallValue)
    names = _RANGE_KEYWORDS if kind == "range" else _CHOICE_KEYWORDS
    found: dict[str, ir.Keyword] = {}
    ok = True
    for index, arg in enumerate(call.args):
        if index < len(names):
            found[names[index]] = ir.Keyword(names[index], arg, arg.pos)
    if len(call.args) > len(names):
        report(call.pos, codes.BAD_HYPER_PARAMETER, "too many positional arguments", "")
        ok = False
    for keyword in call.keywords:
        if keyword.name not in names:
            message = f"unknown keyword `{keyword.name}`"
            report(
                keyword.pos,
                codes.BAD_HYPER_PARAMETER,
                message,
                f"use {', '.join(names)}",
            )
            ok = False
        found[keyword.name] = keyword
    return found if ok else None


def _const(keyword: ir.Keyword | None) -> object:
    if keyword is None:
        return None
    value = keyword.value
    if isinstance(value, ir.ConstValue):
        return value.value
    if isinstance(value, ir.SequenceValue) and all(
        isinstance(item, ir.ConstValue) for item in value.items
    ):
        return tuple(
            item.value for item in value.items if isinstance(item, ir.ConstValue)
        )
    return _NOT_CONSTANT


_NOT_CONSTANT = object()


def _range(
    marker: HyperMarker, kw: dict[str, ir.Keyword], has_default: bool, report: Report
) -> ir.RangeParam | None:
    value_type = marker.value_type
    if value_type not in (None, "int", "float"):
        return None
    if not has_default:
        return ir.RangeParam(value_type, None)

    type_name, bounds, log, step = (_const(kw.get(name)) for name in _RANGE_KEYWORDS)
    found: list[str] = []

    def note(pos: ir.Pos, code: str, message: str, hint: str) -> None:
        found.append(code)
        report(pos, code, message, hint)

    if type_name not in (None, "int", "float"):
        hint = codes.did_you_mean(str(type_name), ("int", "float"))
        _bad(kw["type"], 'type must be "int" or "float"', note, hint)
    elif type_name is not None and value_type is not None and type_name != value_type:
        message = f'type="{type_name}" contradicts RangeHyperParameter[{value_type}]'
        _bad(kw["type"], message, note)
    if bounds is not None and not (
        isinstance(bounds, tuple)
        and len(bounds) == 2
        and all(map(is_finite_number, bounds))
    ):
        _bad(kw["bounds"], "bounds must be two finite numbers, [low, high]", note)
    if not isinstance(log, (bool, type(None))):
        _bad(kw["log_scale"], "log_scale must be True or False", note)
    if step is not None and not (is_finite_number(step) and step > 0):  # type: ignore[operator]
        _bad(kw["step"], "step must be a positive, finite number", note)
    if found:
        return None

    final_type = value_type or type_name
    assert final_type in (None, "int", "float")
    definition = ir.RangeDef(
        type=type_name,  # type: ignore[arg-type]  # checked above
        bounds=bounds,  # type: ignore[arg-type]  # checked above
        log_scale=bool(log),
        step=step,  # type: ignore[arg-type]  # checked above
    )
    if not _valid_range(definition, final_type, kw, report):
        return None
    return ir.RangeParam(final_type, definition)


def _bad(keyword: ir.Keyword, message: str, report: Report, hint: str = "") -> None:
    report(keyword.value.pos, codes.BAD_HYPER_PARAMETER, message, hint)


def _valid_range(
    definition: ir.RangeDef,
    final_type: Literal["int", "float"] | None,
    kw: dict[str, ir.Keyword],
    report: Report,
) -> bool:
    ok = True
    if definition.bounds is not None:
        low, high = definition.bounds
        at = kw["bounds"].value.pos
        if final_type == "int" and not all(isinstance(b, int) for b in (low, high)):
            report(
                at, codes.BAD_HYPER_PARAMETER, "int bounds must be whole numbers", ""
            )
            ok = False
        if low > high:
            message = f"low={low!r} is greater than high={high!r}"
            report(at, codes.BOUNDS_REVERSED, message, "swap the bounds")
            ok = False
        if definition.log_scale and final_type == "int" and low < 1:
            message = f"log_scale int needs lower bound >= 1 (got {low!r})"
            report(at, codes.LOG_BOUNDS, message, "raise the lower bound to 1")
            ok = False
        elif definition.log_scale and low <= 0:
            message = f"log_scale needs lower bound > 0 (got {low!r})"
            report(at, codes.LOG_BOUNDS, message, "use a positive lower bound")
            ok = False
    if definition.step is not None and definition.log_scale:
        message = "step cannot be combined with log_scale"
        report(kw["step"].value.pos, codes.STEP_WITH_LOG, message, "drop one of them")
        ok = False
    step_is_whole = isinstance(definition.step, int)
    if definition.step is not None and final_type == "int" and not step_is_whole:
        message = "an int range needs a whole-number step"
        report(kw["step"].value.pos, codes.BAD_HYPER_PARAMETER, message, "")
        ok = False
    return ok and _steps_fit(definition, kw, report)


def _steps_fit(
    definition: ir.RangeDef, kw: dict[str, ir.Keyword], report: Report
) -> bool:
    """Tell whether the bounds are a whole number of steps apart, reporting if not.

    Optuna would lower the upper bound with a warning that names no field; the
    runtime refuses such a definition from a config file, so the source may not
    hold one either. Decimal arithmetic on the written values decides, as there.
    """
    if definition.bounds is None or definition.step is None:
        return True
    ends = upper_bounds_that_fit(*definition.bounds, definition.step)
    if ends is None:
        return True

    shown = " or ".join(str(end) for end in ends)
    written_low, written_high = definition.bounds
    message = f"bounds [{written_low}, {written_high}] are not a whole number of steps of {definition.step} apart"
    hint = f"make the upper bound {shown}"
    report(kw["bounds"].value.pos, codes.STEPS_DO_NOT_FIT, message, hint)
    return False


def _choice(
    marker: HyperMarker, kw: dict[str, ir.Keyword], has_default: bool, report: Report
) -> ir.ChoiceParam | None:
    value_type = marker.value_type
    if not has_default:
        return ir.ChoiceParam(value_type, None, None)

    type_name, choices = _const(kw.get("type")), _const(kw.get("choices"))
    ok = True
    if type_name is not None and type_name not in _CHOICE_TYPES:
        hint = codes.did_you_mean(str(type_name), _CHOICE_TYPES)
        _bad(kw["type"], 'type must be "str", "int", "float" or "bool"', report, hint)
        ok = False
    elif type_name is not None and value_type is not None and type_name != value_type:
        message = f'type="{type_name}" contradicts ChoiceHyperParameter[{value_type}]'
        _bad(kw["type"], message, report)
        ok = False
    if choices is not None and not isinstance(choices, tuple):
        _bad(kw["choices"], "choices must be a list of constants", report)
        return None
    if not ok:
        return None

    final_type = value_type or type_name or _common_type(choices)
    if isinstance(choices, tuple):
        if not choices:
            at = kw["choices"].value.pos
            report(
                at, codes.EMPTY_CHOICES, "choices is empty", "list at least one choice"
            )
            return None
        if not _choices_match(choices, final_type, kw["choices"], report):
            return None
        if not _choices_once(choices, kw["choices"], report):
            return None
    definition = ir.ChoiceDef(type_name, choices)  # type: ignore[arg-type]  # checked
    return ir.ChoiceParam(final_type, definition, choices)  # type: ignore[arg-type]


def _common_type(choices: object) -> str | None:
    if not isinstance(choices, tuple) or not choices:
        return None
    kinds = {type(choice).__name__ for choice in choices}
    if len(kinds) == 1 and next(iter(kinds)) in _CHOICE_TYPES:
        return next(iter(kinds))
    return None


def _choices_once(
    choices: tuple[object, ...], keyword: ir.Keyword, report: Report
) -> bool:
    """Tell whether each choice is given once, reporting every repeat."""
    assert isinstance(keyword.value, ir.SequenceValue)
    seen: list[object] = []
    once = True
    for choice, item in zip(choices, keyword.value.items, strict=True):
        if choice in seen:  # compared with ==, as the runtime and Optuna do
            message = f"choice {choice!r} is repeated"
            report(item.pos, codes.REPEATED_CHOICE, message, "list each choice once")
            once = False
        seen.append(choice)
    return once


def _choices_match(
    choices: tuple[object, ...], type_name: object, keyword: ir.Keyword, report: Report
) -> bool:
    if type_name is None:
        if any(not isinstance(c, (bool, int, float, str)) for c in choices):
            message = "choices must be str, int, float or bool"
            report(keyword.value.pos, codes.CHOICE_TYPE, message, "")
            return False
        return True
    expected = _CHOICE_TYPES[str(type_name)]
    assert isinstance(keyword.value, ir.SequenceValue)
    ok = True
    for choice, item in zip(choices, keyword.value.items, strict=True):
        fits = type(choice) is expected or (expected is float and type(choice) is int)
        if not fits:
            message = f"choice {choice!r} is not {type_name}"
            report(
                item.pos, codes.CHOICE_TYPE, message, f"give {type_name} choices only"
            )
            ok = False
    return ok
