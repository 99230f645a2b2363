"""Decode raw config values by the field's declared type.

Config files and the command line are read into a small tree of raw values that
keep the text as written (`RawScalar`), lists (`RawList`) and mappings (`RawMap`),
each with the place it came from. This module turns such a tree into a Python
value of a field's `TypeSpec`; the declared type decides, never YAML 1.1 guessing.

Rules worth knowing:

- `null`, `~` and an empty plain value are null; a quoted `"null"` is text.
- A `str` field keeps the text as written: `no`, `off`, `1.10`, `0755`.
- A `bool` takes `true/false`, `yes/no`, `on/off`, `1/0` in any case.
- An `int` takes decimal (no leading zeros), `0x`, `0o`, `0b` and `_` separators; a
  float-looking value is an error, never truncated.
- A `float` takes anything an `int` takes plus `1e-5`, `5.`, `.5`, `-1E3`, `.inf`.
- An Enum field takes a member's *value*. A member *name* is rejected with the
  same message as any other wrong value, plus a hint naming the value to write
  (C12): names and values may collide, so accepting both would be ambiguous.
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Callable, Iterator

from spockc.runtime.schema import (
    DictOf,
    EnumOf,
    ListOf,
    NestedOf,
    OptionalOf,
    Scalar,
    TupleOf,
    TypeSpec,
)

NULL_WORDS = frozenset({"", "~", "null", "Null", "NULL"})
TRUE_WORDS = frozenset({"true", "yes", "on", "1"})
FALSE_WORDS = frozenset({"false", "no", "off", "0"})

# Patterns, not compiled ones: `re` compiles them on first use (and keeps them),
# so a build whose values all take the decoders' shortcuts never compiles them.
_INT = r"[-+]?(0|[1-9][0-9_]*|0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+)"
_FLOAT = r"[-+]?([0-9][0-9_]*\.?[0-9_]*|\.[0-9][0-9_]*)([eE][-+]?[0-9]+)?"
_LEADING_ZERO = r"[-+]?0[0-9_]+"
_SPECIAL_FLOATS = {
    ".inf": math.inf,
    "inf": math.inf,
    "infinity": math.inf,
    "+.inf": math.inf,
    "+inf": math.inf,
    "+infinity": math.inf,
    "-.inf": -math.inf,
    "-inf": -math.inf,
    "-infinity": -math.inf,
    ".nan": math.nan,
    "nan": math.nan,
}


# The raw values are plain slotted classes, not dataclasses: a config file makes
# thousands of them, and defining dataclasses costs import time.


class RawScalar:
    """A scalar as written; `plain` is False when it was quoted (or a JSON string)."""

    __slots__ = ("plain", "text", "where")

    def __init__(self, text: str, plain: bool, where: str) -> None:
        self.text = text
        self.plain = plain
        self.where = where

    @property
    def is_null(self) -> bool:
        """Return whether this is an unquoted null."""
        return self.plain and self.text in NULL_WORDS

    def __repr__(self) -> str:
        return f"RawScalar({self.text!r}, plain={self.plain}, where={self.where!r})"


class RawList:
    """A sequence of raw values."""

    __slots__ = ("items", "where")

    def __init__(self, items: tuple[RawValue, ...], where: str) -> None:
        self.items = items
        self.where = where

    def __repr__(self) -> str:
        return f"RawList({self.items!r}, where={self.where!r})"


class RawEntry:
    """One `key: value` pair of a mapping; `where` is the place of the key."""

    __slots__ = ("key", "value", "where")

    def __init__(self, key: str, value: RawValue, where: str) -> None:
        self.key = key
        self.value = value
        self.where = where

    def __repr__(self) -> str:
        return f"RawEntry({self.key!r}, {self.value!r}, where={self.where!r})"


class RawMap:
    """A mapping of text keys to raw values, in source order, keys unique."""

    __slots__ = ("entries", "where")

    def __init__(self, entries: tuple[RawEntry, ...], where: str) -> None:
        self.entries = entries
        self.where = where

    def __iter__(self) -> Iterator[RawEntry]:
        return iter(self.entries)

    def __repr__(self) -> str:
        return f"RawMap({self.entries!r}, where={self.where!r})"


RawValue = RawScalar | RawList | RawMap


class DecodeError(Exception):
    """A raw value does not fit the declared type; `where` is the value's place.

    `path` locates the value inside the field's own value when it is an element:
    `[1]` for a list or tuple item, `['x']` for a dict value, `.field` for a
    field of a nested class given inline, outermost first (`[0]['x']`). Append
    it to the dotted key: `Outer.grid[1]`, `Model.weights['x']`.
    """

    def __init__(self, where: str, message: str, path: str = "") -> None:
        super().__init__(message)
        self.where = where
        self.message = message
        self.path = path

    def inside(self, step: str) -> DecodeError:
        """Return this error, located one container further out by `step`."""
        self.path = step + self.path
        return self


def item_step(index: int) -> str:
    """Return the path step of a list or tuple item: `[1]`."""
    return f"[{index}]"


def key_step(key: str) -> str:
    """Return the path step of a dict value: `['x']`, the key as Python writes it."""
    return f"[{key!r}]"


class NestedRef:
    """A nested class chosen by a value: its name, or an inline mapping of fields.

    The builder turns it into an instance; fields given inline beat the class's
    own section.
    """

    __slots__ = ("inline", "name")

    def __init__(self, name: str, inline: RawMap | None = None) -> None:
        self.name = name
        self.inline = inline


def decode(raw: RawValue, spec: TypeSpec) -> object:
    """Return the value of `raw` as type `spec`, or raise `DecodeError`."""
    if isinstance(raw, RawScalar) and raw.is_null:
        if isinstance(spec, OptionalOf):
            return None
        raise DecodeError(raw.where, f"expected {type_name(spec)}, got null")
    if isinstance(spec, OptionalOf):
        return decode(raw, spec.inner)
    if isinstance(spec, Scalar):
        return _decode_scalar(_need_scalar(raw, spec), spec)
    if isinstance(spec, EnumOf):
        return _decode_enum(_need_scalar(raw, spec), spec.enum)
    if isinstance(spec, ListOf):
        items = _need_list(raw, spec)
        try:
            return [decode(item, spec.item) for item in items]
        except DecodeError:
            raise _item_error(items, (spec.item,) * len(items)) from None
    if isinstance(spec, TupleOf):
        return _decode_tuple(_need_list(raw, spec), spec, raw.where)
    if isinstance(spec, DictOf):
        return _decode_dict(raw, spec)
    return _decode_nested(raw, spec)


Decoder = Callable[[RawValue], object]


def decoder(spec: TypeSpec) -> Decoder:
    """Return a function equal to `decode(raw, spec)`, faster on common values.

    The builder makes one per field, once per schema. Each takes a shortcut for
    the values most config files hold (plain decimal numbers, words, lists of
    them) and hands everything else, errors included, to `decode`, so results
    and messages are the same.
    """
    if isinstance(spec, OptionalOf):
        return _optional_decoder(spec, decoder(spec.inner))
    if isinstance(spec, Scalar):
        return _SCALAR_DECODERS[spec.kind](spec)
    if isinstance(spec, EnumOf):
        return _enum_decoder(spec)
    if isinstance(spec, ListOf):
        return _list_decoder(spec, decoder(spec.item))
    return lambda raw: decode(raw, spec)


def _optional_decoder(spec: OptionalOf, inner: Decoder) -> Decoder:
    def run(raw: RawValue) -> object:
        if type(raw) is RawScalar and raw.plain and raw.text in NULL_WORDS:
            return None
        return inner(raw)

    return run


def _str_decoder(spec: Scalar) -> Decoder:
    def run(raw: RawValue) -> object:
        if type(raw) is RawScalar and not (raw.plain and raw.text in NULL_WORDS):
            return raw.text
        return decode(raw, spec)

    return run


def _int_decoder(spec: Scalar) -> Decoder:
    def run(raw: RawValue) -> object:
        # Plain decimal digits without a leading zero; the rest takes `decode`.
        if type(raw) is RawScalar:
            text = raw.text
            short = len(text) < _SHORT
            if short and text.isdigit() and text.isascii() and text[0] != "0":
                return int(text)
        return decode(raw, spec)

    return run


def _float_decoder(spec: Scalar) -> Decoder:
    def run(raw: RawValue) -> object:
        # Digits with at most one point (`0.25`, `5.`, `.5`, `7`); else `decode`.
        if type(raw) is RawScalar:
            text = raw.text
            digits = text.replace(".", "", 1)
            if len(text) < _SHORT and digits.isdigit() and text.isascii():
                return float(text)
        return decode(raw, spec)

    return run


def _bool_decoder(spec: Scalar) -> Decoder:
    def run(raw: RawValue) -> object:
        if type(raw) is RawScalar:
            lowered = raw.text.lower()
            if lowered in TRUE_WORDS:
                return True
            if lowered in FALSE_WORDS:
                return False
        return decode(raw, spec)

    return run


_SHORT = 20
"""Longer numbers take `decode`, which knows the limits of int and float."""

_SCALAR_DECODERS: dict[str, Callable[[Scalar], Decoder]] = {
    "str": _str_decoder,
    "int": _int_decoder,
    "float": _float_decoder,
    "bool": _bool_decoder,
}


def _enum_decoder(spec: EnumOf) -> Decoder:
    # Members are looked up by text only when every value is a str (the first
    # member wins, as in `_decode_enum`); nulls and misses take `decode`.
    by_text: dict[str, enum.Enum] = {}
    for member in spec.enum:
        if not isinstance(member.value, str):
            return lambda raw: decode(raw, spec)
        by_text.setdefault(member.value, member)

    def run(raw: RawValue) -> object:
        if type(raw) is RawScalar and not (raw.plain and raw.text in NULL_WORDS):
            member = by_text.get(raw.text)
            if member is not None:
                return member
        return decode(raw, spec)

    return run


def _list_decoder(spec: ListOf, item: Decoder) -> Decoder:
    def run(raw: RawValue) -> object:
        if type(raw) is RawList:
            try:
                return [item(value) for value in raw.items]
            except DecodeError:
                pass  # `decode` raises it again, naming the item
        return decode(raw, spec)

    return run


def _decode_scalar(raw: RawScalar, spec: Scalar) -> object:
    text = raw.text.strip()
    if spec.kind == "str":
        return raw.text
    if spec.kind == "bool":
        return _decode_bool(raw, text)
    if spec.kind == "int":
        whole = parse_int(text)
        if whole is not None:
            return whole
        if re.fullmatch(_LEADING_ZERO, text):
            hint = "a leading zero is ambiguous (octal in YAML 1.1); write it without"
            raise DecodeError(raw.where, f"expected int, got {text}: {hint}")
        raise DecodeError(raw.where, f"expected int, got {describe(raw)}")
    number = parse_float(text)
    if number is None:
        raise DecodeError(raw.where, f"expected float, got {describe(raw)}")
    return number


def parse_int(text: str) -> int | None:
    """Return `text` as an int if it spells one in YAML, TOML, JSON or Python.

    Underscores are dropped wherever they are, as YAML 1.1 does; `int()` alone
    would raise on `1_` or `0x_`.
    """
    if not re.fullmatch(_INT, text):
        return None
    try:
        return int(text.replace("_", ""), 0)
    except ValueError:  # a base prefix with no digits: `0x_`
        return None


def parse_float(text: str) -> float | None:
    """Return `text` as a float if it spells one in YAML, TOML, JSON or Python."""
    special = _SPECIAL_FLOATS.get(text.lower())
    if special is not None:
        return special
    number = parse_int(text)
    if number is not None:
        return float(number)
    if re.fullmatch(_FLOAT, text) and any(char.isdigit() for char in text):
        return float(text.replace("_", ""))
    return None


def _decode_bool(raw: RawScalar, text: str) -> bool:
    lowered = text.lower()
    if lowered in TRUE_WORDS:
        return True
    if lowered in FALSE_WORDS:
        return False
    message = f"expected bool (true/false, yes/no, on/off, 1/0), got {describe(raw)}"
    raise DecodeError(raw.where, message)


def _decode_enum(raw: RawScalar, enum_type: type[enum.Enum]) -> enum.Enum:
    for member in enum_type:
        if _matches(raw, member.value):
            return member
    values = [member.value for member in enum_type]
    message = f"{raw.text!r} is not one of {values!r}"
    by_name = enum_type.__members__.get(raw.text)
    if by_name is not None:
        message += (
            f" ({raw.text!r} is a member name; write its value {by_name.value!r})"
        )
    raise DecodeError(raw.where, message)


def _matches(raw: RawScalar, value: object) -> bool:
    text = raw.text.strip()
    if isinstance(value, bool):
        lowered = text.lower()
        return lowered in (TRUE_WORDS if value else FALSE_WORDS)
    if isinstance(value, int):
        return parse_int(text) == value
    if isinstance(value, float):
        return parse_float(text) == value
    return raw.text == value


def _decode_tuple(items: tuple[RawValue, ...], spec: TupleOf, where: str) -> object:
    if spec.variadic:
        specs = spec.items * len(items)
    elif len(items) != len(spec.items):
        message = f"expected {_items(len(spec.items))}, got {len(items)}"
        raise DecodeError(where, message)
    else:
        specs = spec.items
    try:
        return tuple([decode(item, s) for item, s in zip(items, specs, strict=True)])
    except DecodeError:
        raise _item_error(items, specs) from None


def _item_error(
    items: tuple[RawValue, ...], specs: tuple[TypeSpec, ...]
) -> DecodeError:
    """Return the error of the first item that does not decode, naming its index.

    Decoding again is cheaper to write than tracking the index on every value,
    and only an error pays for it.
    """
    for index, (item, spec) in enumerate(zip(items, specs, strict=True)):
        try:
            decode(item, spec)
        except DecodeError as error:
            return error.inside(item_step(index))
    raise AssertionError("an item failed to decode, then decoded")


def _decode_dict(raw: RawValue, spec: DictOf) -> dict[str, object]:
    if not isinstance(raw, RawMap):
        raise DecodeError(raw.where, f"expected a mapping, got {describe(raw)}")
    values: dict[str, object] = {}
    for entry in raw:
        try:
            values[entry.key] = decode(entry.value, spec.value)
        except DecodeError as error:
            raise error.inside(key_step(entry.key)) from None
    return values


def _decode_nested(raw: RawValue, spec: NestedOf) -> NestedRef:
    if isinstance(raw, RawMap):
        return NestedRef(spec.name, inline=raw)
    if isinstance(raw, RawScalar) and raw.text == spec.name:
        return NestedRef(spec.name)
    message = f"expected the class name {spec.name!r} or a mapping of its fields"
    raise DecodeError(raw.where, f"{message}, got {describe(raw)}")


def _need_scalar(raw: RawValue, spec: TypeSpec) -> RawScalar:
    if isinstance(raw, RawScalar):
        return raw
    raise DecodeError(raw.where, f"expected {type_name(spec)}, got {describe(raw)}")


def _need_list(raw: RawValue, spec: TypeSpec) -> tuple[RawValue, ...]:
    if isinstance(raw, RawList):
        return raw.items
    raise DecodeError(raw.where, f"expected {type_name(spec)}, got {describe(raw)}")


def describe(raw: RawValue) -> str:
    """Say what a raw value looks like, for error messages: `3.7 (float)`."""
    if isinstance(raw, RawList):
        return f"a list of {_items(len(raw.items))}"
    if isinstance(raw, RawMap):
        return "a mapping"
    if raw.is_null:
        return "null"
    if not raw.plain:
        return f"{raw.text!r} (str)"
    text = raw.text.strip()
    if parse_int(text) is not None:
        return f"{text} (int)"
    if parse_float(text) is not None:
        return f"{text} (float)"
    if text.lower() in TRUE_WORDS | FALSE_WORDS:
        return f"{text} (bool)"
    return repr(raw.text)


def _items(count: int) -> str:
    return f"{count} item" if count == 1 else f"{count} items"


def type_name(spec: TypeSpec) -> str:
    """Return a short readable name of a declared type: `tuple[int, int]`."""
    if isinstance(spec, Scalar):
        return spec.kind
    if isinstance(spec, OptionalOf):
        return f"{type_name(spec.inner)} or null"
    if isinstance(spec, ListOf):
        return f"list[{type_name(spec.item)}]"
    if isinstance(spec, TupleOf):
        inner = ", ".join(type_name(item) for item in spec.items)
        return f"tuple[{inner}, ...]" if spec.variadic else f"tuple[{inner}]"
    if isinstance(spec, DictOf):
        return f"dict[str, {type_name(spec.value)}]"
    if isinstance(spec, EnumOf):
        return spec.enum.__name__
    return spec.name
