"""Part of stage 3 (check): a field's default, read against its declared type.

Defaults are constants as written: literals, lists, tuples and dicts of them,
Enum members (or raw Enum values, as spock allows), and nested config
instances `Layer(width=64)` or the class itself `Layer`. An int literal is
accepted for a float field and becomes a float.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from spockc.compiler import diagnostics as codes
from spockc.compiler import ir
from spockc.compiler.resolve import Symbol


@dataclass(frozen=True, slots=True)
class DefaultContext:
    """What reading a default needs from the checker.

    `lookup` finds a name of the file being read; `enum_members` lists an Enum's
    members (None when the Enum lives in a module the compiler cannot read);
    `nested_field` gives the type of a nested class's field, None if it has none.
    """

    lookup: Callable[[str], Symbol | None]
    enum_members: Callable[[str], tuple[tuple[str, ir.Const], ...] | None]
    nested_field: Callable[[str, str], ir.ResolvedType | None]
    report: Callable[[ir.Pos, str, str, str], None]


def read_default(
    value: ir.Value, declared: ir.ResolvedType, ctx: DefaultContext
) -> ir.Default | None:
    """Return the default `value` gives a field of type `declared`, or None on error."""
    if isinstance(value, ir.OtherValue):
        message = f"`{value.code}` is not a constant the compiler can read"
        hint = "use a literal, a list/tuple/dict of literals, an Enum member or a config instance"
        ctx.report(value.pos, codes.UNSUPPORTED_DEFAULT, message, hint)
        return None
    if isinstance(declared, ir.OptionalType):
        if isinstance(value, ir.ConstValue) and value.value is None:
            return ir.ConstDefault(None)
        return read_default(value, declared.inner, ctx)
    if isinstance(value, ir.ConstValue) and value.value is None:
        return _mismatch(value, declared, ctx, "None for a field that is not Optional")

    if isinstance(declared, ir.ScalarType):
        return _scalar(value, declared, ctx)
    if isinstance(declared, ir.ListType):
        return _list(value, declared, ctx)
    if isinstance(declared, ir.TupleType):
        return _tuple(value, declared, ctx)
    if isinstance(declared, ir.DictType):
        return _dict(value, declared, ctx)
    if isinstance(declared, ir.EnumType):
        return _enum(value, declared, ctx)
    return _nested(value, declared, ctx)


def describe(declared: ir.ResolvedType) -> str:
    """Return the type as the generated code writes it."""
    if isinstance(declared, ir.ScalarType):
        return declared.kind
    if isinstance(declared, ir.ListType):
        return f"list[{describe(declared.item)}]"
    if isinstance(declared, ir.TupleType):
        items = ", ".join(describe(item) for item in declared.items)
        return f"tuple[{items}, ...]" if declared.variadic else f"tuple[{items}]"
    if isinstance(declared, ir.DictType):
        return f"dict[str, {describe(declared.value)}]"
    if isinstance(declared, ir.OptionalType):
        return f"{describe(declared.inner)} | None"
    return declared.name


def _mismatch(
    value: ir.Value, declared: ir.ResolvedType, ctx: DefaultContext, found: str = ""
) -> ir.Default | None:
    if not found:
        found = _describe_value(value)
    message = f"default does not match the declared type: expected {describe(declared)}, got {found}"
    ctx.report(value.pos, codes.DEFAULT_TYPE, message, "change the default or the type")
    return None


def _describe_value(value: ir.Value) -> str:
    if isinstance(value, ir.ConstValue):
        return f"{value.value!r} ({type(value.value).__name__})"
    if isinstance(value, ir.SequenceValue):
        return f"a {value.kind}"
    if isinstance(value, ir.DictValue):
        return "a dict"
    if isinstance(value, ir.NameValue):
        return f"`{value.name}`"
    if isinstance(value, ir.CallValue):
        return f"a call of `{value.func}`"
    return f"`{value.code}`"


def _scalar(
    value: ir.Value, declared: ir.ScalarType, ctx: DefaultContext
) -> ir.Default | None:
    if not isinstance(value, ir.ConstValue):
        return _mismatch(value, declared, ctx)
    kind = type(value.value)
    if declared.kind == "float" and kind is int:
        return ir.ConstDefault(float(value.value))  # type: ignore[arg-type]  # an int
    if kind.__name__ != declared.kind:
        return _mismatch(value, declared, ctx)
    return ir.ConstDefault(value.value)


def _items(
    values: tuple[ir.Value, ...], types: list[ir.ResolvedType], ctx: DefaultContext
) -> tuple[ir.Default, ...] | None:
    items = [read_default(v, t, ctx) for v, t in zip(values, types, strict=True)]
    if any(item is None for item in items):
        return None
    return tuple(item for item in items if item is not None)


def _list(
    value: ir.Value, declared: ir.ListType, ctx: DefaultContext
) -> ir.Default | None:
    if not isinstance(value, ir.SequenceValue) or value.kind != "list":
        return _mismatch(value, declared, ctx)
    items = _items(value.items, [declared.item] * len(value.items), ctx)
    return ir.SequenceDefault("list", items) if items is not None else None


def _tuple(
    value: ir.Value, declared: ir.TupleType, ctx: DefaultContext
) -> ir.Default | None:
    if not isinstance(value, ir.SequenceValue):
        return _mismatch(value, declared, ctx)
    count = len(value.items)
    if declared.variadic:
        types = [declared.items[0]] * count
    elif count != len(declared.items):
        found = f"{count} item{'s' if count != 1 else ''}"
        message = f"default has {found}, the type {describe(declared)} needs {len(declared.items)}"
        ctx.report(
            value.pos, codes.DEFAULT_TYPE, message, "give one value per item type"
        )
        return None
    else:
        types = list(declared.items)
    items = _items(value.items, types, ctx)
    return ir.SequenceDefault("tuple", items) if items is not None else None


def _dict(
    value: ir.Value, declared: ir.DictType, ctx: DefaultContext
) -> ir.Default | None:
    if not isinstance(value, ir.DictValue):
        return _mismatch(value, declared, ctx)
    pairs: list[tuple[str, ir.Default]] = []
    ok = True
    for key, item in value.items:
        if not (isinstance(key, ir.ConstValue) and isinstance(key.value, str)):
            ctx.report(key.pos, codes.DEFAULT_TYPE, "dict keys must be strings", "")
            ok = False
            continue
        read = read_default(item, declared.value, ctx)
        if read is None:
            ok = False
        else:
            pairs.append((key.value, read))
    return ir.DictDefault(tuple(pairs)) if ok else None


def _enum(
    value: ir.Value, declared: ir.EnumType, ctx: DefaultContext
) -> ir.Default | None:
    members = ctx.enum_members(declared.name)
    if isinstance(value, ir.NameValue):
        owner, _, member = value.name.rpartition(".")
        symbol = ctx.lookup(owner) if owner else None
        if symbol is None or symbol.bound != declared.name:
            return _mismatch(value, declared, ctx)
        if members is not None and member not in dict(members):
            message = f"`{declared.name}` has no member `{member}`"
            names = ", ".join(name for name, _ in members)
            ctx.report(value.pos, codes.DEFAULT_TYPE, message, f"members: {names}")
            return None
        return ir.EnumDefault(declared.name, member)

    if isinstance(value, ir.ConstValue):
        if members is None:
            return ir.EnumDefault(declared.name, None, value.value)
        for name, member_value in members:
            if member_value == value.value and type(member_value) is type(value.value):
                return ir.EnumDefault(declared.name, name)
        values = ", ".join(repr(v) for _, v in members)
        message = f"{value.value!r} is not a value of `{declared.name}` ({values})"
        ctx.report(
            value.pos, codes.DEFAULT_TYPE, message, "use a member or one of its values"
        )
        return None
    return _mismatch(value, declared, ctx)


def _nested(
    value: ir.Value, declared: ir.NestedType, ctx: DefaultContext
) -> ir.Default | None:
    func = value.func if isinstance(value, ir.CallValue) else None
    name = value.name if isinstance(value, ir.NameValue) else func
    symbol = ctx.lookup(name) if name else None
    if symbol is None or symbol.kind != "config" or symbol.bound != declared.name:
        return _mismatch(value, declared, ctx)
    if not isinstance(value, ir.CallValue):
        return ir.NestedDefault(declared.name, ())

    ok = True
    for arg in value.args:
        message = f"`{declared.name}(...)` takes keyword arguments only"
        ctx.report(arg.pos, codes.NESTED_DEFAULT_ARGUMENT, message, "write name=value")
        ok = False
    kwargs: list[tuple[str, ir.Default]] = []
    for keyword in value.keywords:
        field_type = ctx.nested_field(declared.name, keyword.name)
        if field_type is None:
            message = f"`{declared.name}` has no field `{keyword.name}`"
            ctx.report(keyword.pos, codes.NESTED_DEFAULT_ARGUMENT, message, "")
            ok = False
            continue
        read = read_default(keyword.value, field_type, ctx)
        if read is None:
            ok = False
        else:
            kwargs.append((keyword.name, read))
    return ir.NestedDefault(declared.name, tuple(kwargs)) if ok else None
