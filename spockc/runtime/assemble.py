"""Gather values from documents and flags, then build the class instances.

`Plan` is computed once per schema: field tables, defaults, which fields nest
other classes or hold mutable values. `Gathered` collects the values of one
builder, highest precedence last. `build_instances` applies, per field: the
default < a nested default's source arguments < the class's own section and flags
< a value given inline for that one nested instance.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from spockc.runtime.decode import (
    NULL_WORDS,
    DecodeError,
    Decoder,
    NestedRef,
    RawMap,
    RawScalar,
    RawValue,
    decode,
    decoder,
    item_step,
    key_step,
)
from spockc.runtime.errors import Problem
from spockc.runtime.schema import (
    FLOAT,
    INT,
    MISSING,
    STR,
    ChoiceSpec,
    ClassSpec,
    DictOf,
    FieldSpec,
    ListOf,
    NestedDefault,
    NestedOf,
    OptionalOf,
    RangeSpec,
    Scalar,
    Schema,
    TupleOf,
    TypeSpec,
)

if TYPE_CHECKING:
    from spockc.runtime.cmdline import FlagValue
    from spockc.runtime.hyperparams import DefinitionParts

TunedSpec = RangeSpec | ChoiceSpec

# Instances of the generated (frozen) classes are made and filled field by field.
_new = object.__new__
_set = object.__setattr__


# Plain slotted classes rather than dataclasses: they are internal, and defining
# dataclasses is a noticeable part of the runtime's import time.


class TypePlan:
    """What building needs to know about one declared type, computed once.

    Fields of the same type share one: a schema of 200 classes declares
    thousands of fields but only a handful of types.
    """

    __slots__ = ("copy", "decode", "is_bool", "nested")

    def __init__(self, spec: TypeSpec) -> None:
        self.copy = _copier(spec)
        """How to copy a value before an instance holds it; None: keep it."""
        self.decode = decoder(spec)
        self.nested = tuple(sorted(_nested_names(spec)))
        """The classes the type holds instances of."""
        inner = unwrap(spec)
        self.is_bool = isinstance(inner, Scalar) and inner.kind == "bool"
        """Whether the type is bool or Optional[bool]: its flag needs no value."""


class FieldPlan:
    """What building needs to know about one fixed field, computed once."""

    __slots__ = ("copy", "default", "has_nested", "name", "spec", "type")

    def __init__(self, spec: FieldSpec, default: object, type: TypePlan) -> None:
        self.name = spec.name
        self.spec = spec
        self.default = default
        self.type = type
        self.copy = type.copy
        self.has_nested = bool(type.nested)


class ClassPlan:
    """One class of the schema, with its fields looked up by name."""

    __slots__ = ("decoders", "fields", "fixed", "nested", "shareable", "spec", "tuned")

    def __init__(self, spec: ClassSpec, types: dict[TypeSpec, TypePlan]) -> None:
        self.spec = spec
        self.fields: Mapping[str, FieldSpec | TunedSpec] = {
            f.name: f for f in spec.fields
        }
        self.fixed = tuple(
            _field_plan(f, types) for f in spec.fields if isinstance(f, FieldSpec)
        )
        self.tuned = tuple(f for f in spec.fields if not isinstance(f, FieldSpec))
        self.decoders: Mapping[str, Decoder] = {
            plan.name: plan.type.decode for plan in self.fixed
        }
        names = {name for plan in self.fixed for name in plan.type.nested}
        self.nested = tuple(sorted(names))
        self.shareable = False
        """Whether one instance may serve wherever the class is used: it holds
        nothing a program could change through one use (set by `Plan`)."""


class Plan:
    """Everything about a schema the builder looks up, computed once."""

    __slots__ = ("_closures", "by_type", "classes", "flags", "owners", "schema")

    def __init__(self, schema: Schema[Any, Any]) -> None:
        self.schema = schema
        types: dict[TypeSpec, TypePlan] = {}
        self.classes = {spec.name: ClassPlan(spec, types) for spec in schema.classes}
        shareable: dict[str, bool] = {}
        for name, klass in self.classes.items():
            klass.shareable = self._is_shareable(name, shareable, set())
        owners: dict[str, list[str]] = {}
        for name, klass in self.classes.items():
            for field_name in klass.fields:
                owners.setdefault(field_name, []).append(name)
        self.owners = {key: tuple(found) for key, found in owners.items()}
        self.by_type = {spec.cls: spec.name for spec in schema.classes}
        self.flags: dict[str, bool] = {}
        """Filled by `flag_table` on first use."""
        self._closures: dict[tuple[type, ...], tuple[str, ...]] = {}

    def _is_shareable(
        self, name: str, known: dict[str, bool], visiting: set[str]
    ) -> bool:
        """Tell whether class `name` holds no list or dict, nor a class that does."""
        if name in known:
            return known[name]
        if name in visiting:
            return False  # nested classes in a cycle, which building reports
        visiting.add(name)
        klass = self.classes[name]
        known[name] = all(plan.copy is None for plan in klass.fixed) and all(
            self._is_shareable(nested, known, visiting) for nested in klass.nested
        )
        visiting.discard(name)
        return known[name]

    def closure(self, classes: Sequence[type]) -> list[str]:
        """Return the names of `classes` and every class nested in them, in order."""
        key = tuple(classes)
        try:
            found = self._closures.get(key)
        except TypeError:  # something unhashable: `_closure` says what is wrong
            return self._closure(key)
        if found is None:
            found = self._closures[key] = tuple(self._closure(key))
        return list(found)

    def _closure(self, classes: Iterable[type]) -> list[str]:
        wanted: set[str] = set()
        pending: list[str] = []
        for cls in classes:
            name = self.by_type.get(cls)
            if name is None:
                message = f"{cls!r} is not a class of {self.schema.source}"
                raise TypeError(f"{message}; pass the classes of its generated module")
            pending.append(name)
        while pending:
            name = pending.pop()
            if name not in wanted:
                wanted.add(name)
                pending.extend(self.classes[name].nested)
        return [name for name in self.classes if name in wanted]


def make_plan(schema: Schema[Any, Any]) -> Plan:
    """Compute the lookup tables of `schema`."""
    return Plan(schema)


def _field_plan(spec: FieldSpec, types: dict[TypeSpec, TypePlan]) -> FieldPlan:
    """Plan one field; `types` holds the plans of the types seen so far."""
    type_plan = types.get(spec.type)
    if type_plan is None:
        type_plan = types[spec.type] = TypePlan(spec.type)

    default = spec.default
    if default is MISSING and isinstance(spec.type, OptionalOf):
        default = None
    elif default is MISSING and type_plan.is_bool:
        default = False  # as in spock: a bool without a default is False
    return FieldPlan(spec, default, type_plan)


def _nested_names(spec: TypeSpec) -> set[str]:
    if isinstance(spec, NestedOf):
        return {spec.name}
    if isinstance(spec, OptionalOf):
        return _nested_names(spec.inner)
    if isinstance(spec, ListOf):
        return _nested_names(spec.item)
    if isinstance(spec, DictOf):
        return _nested_names(spec.value)
    if isinstance(spec, TupleOf):
        return {name for item in spec.items for name in _nested_names(item)}
    return set()


def _is_mutable(spec: TypeSpec) -> bool:
    if isinstance(spec, ListOf | DictOf):
        return True
    if isinstance(spec, OptionalOf):
        return _is_mutable(spec.inner)
    if isinstance(spec, TupleOf):
        return any(_is_mutable(item) for item in spec.items)
    return False


def _copier(spec: TypeSpec) -> Callable[[Any], object] | None:
    """Return how to copy a value of `spec`: None when it cannot be changed.

    A list or dict of values that cannot be changed needs only a shallow copy;
    anything deeper is deep-copied.
    """
    if not _is_mutable(spec):
        return None
    inner = unwrap(spec)
    if isinstance(inner, ListOf) and not _is_mutable(inner.item):
        return _copy_list
    if isinstance(inner, DictOf) and not _is_mutable(inner.value):
        return _copy_dict
    return _deep_copy


def _deep_copy(value: Any) -> object:
    # `copy` is imported on first use: most configs hold lists and dicts of
    # plain values only, and importing it is a millisecond of the first build.
    import copy

    return copy.deepcopy(value)


def _copy_list(value: Any) -> object:
    return value.copy() if type(value) is list else _deep_copy(value)


def _copy_dict(value: Any) -> object:
    return value.copy() if type(value) is dict else _deep_copy(value)


def unwrap(spec: TypeSpec) -> TypeSpec:
    """Return the type inside an Optional, or `spec` itself."""
    return spec.inner if isinstance(spec, OptionalOf) else spec


def closest(name: str, candidates: Iterable[str]) -> str:
    """Return `; did you mean 'x'?` for the candidate closest to `name`, or ''."""
    import difflib

    found = difflib.get_close_matches(name, list(candidates), n=1)
    return f"; did you mean {found[0]!r}?" if found else ""


class Gathered:
    """The values given for the built classes, from documents and then flags."""

    def __init__(self, plan: Plan, built: Sequence[str]) -> None:
        self.plan = plan
        self.built = built
        self.values: dict[str, dict[str, tuple[object, str]]] = {}
        self.definitions: dict[str, DefinitionParts] = {}
        self.problems: list[Problem] = []
        self.failed: set[str] = set()
        """Keys given a value that did not decode: not reported missing as well."""
        self.quiet_missing = False
        """Set when a config file could not be read: it may hold the missing values."""

    def read_document(self, document: RawMap) -> None:
        """Take the values of one config file; its sections beat its top-level keys."""
        built = set(self.built)
        sections: list[tuple[str, RawMap]] = []
        for entry in document:
            if entry.key in self.plan.classes:
                if entry.key not in built:
                    continue  # a section of a class this program does not build
                if isinstance(entry.value, RawMap):
                    sections.append((entry.key, entry.value))
                elif not (isinstance(entry.value, RawScalar) and entry.value.is_null):
                    message = "a class section must be a mapping of its fields"
                    self.problems.append(Problem(entry.where, entry.key, message))
                continue
            self._read_top_level(entry.key, entry.value, entry.where, built)
        for name, section in sections:
            self._read_section(name, section)

    def _read_section(self, name: str, section: RawMap) -> None:
        """Take the values of one class section: `set` for each, unrolled.

        Fixed fields are decoded here, looking the class up once per section
        rather than once per value (a sixth of the time spent gathering).
        """
        decoders = self.plan.classes[name].decoders
        values: dict[str, tuple[object, str]] | None = None
        for entry in section:
            decode_fixed = decoders.get(entry.key)
            if decode_fixed is None:
                self._set_tuned(name, entry.key, entry.value, entry.where)
                continue
            try:
                value = decode_fixed(entry.value)
            except DecodeError as error:
                self._failed(name, entry.key, error)
                continue
            if values is None:
                values = self.values.setdefault(name, {})
            values[entry.key] = (value, entry.where)

    def _read_top_level(
        self, key: str, raw: RawValue, where: str, built: set[str]
    ) -> None:
        owners = [name for name in self.plan.owners.get(key, ()) if name in built]
        if len(owners) == 1:
            self.set(owners[0], key, raw, where)
        elif len(owners) > 1:
            message = f"top-level key is a field of {', '.join(owners)}; put it in one class section"
            self.problems.append(Problem(where, key, message))
        elif key not in self.plan.owners:
            known = [*self.plan.classes, *self.plan.owners]
            message = f"unknown class or field{closest(key, known)}"
            self.problems.append(Problem(where, key, message))

    def read_flags(self, flags: Iterable[FlagValue]) -> None:
        """Take `--Class.field VALUE` and `--Class.field.part VALUE` flags."""
        for flag in flags:
            name, _, rest = flag.name.partition(".")
            field_name, _, part = rest.partition(".")
            spec = self.plan.classes[name].fields[field_name]
            try:
                raw = _flag_value(flag, _flag_type(spec, part))
            except DecodeError as error:
                self._failed(name, field_name, error)
                continue
            if part:
                self._set_part(name, field_name, part, raw, flag.where)
            else:
                self.set(name, field_name, raw, flag.where)

    def set(self, name: str, field_name: str, raw: RawValue, where: str) -> None:
        """Decode and record one value of `name.field_name`."""
        klass = self.plan.classes[name]
        fixed = klass.decoders.get(field_name)
        if fixed is not None:
            try:
                value = fixed(raw)
            except DecodeError as error:
                self._failed(name, field_name, error)
                return
            self.values.setdefault(name, {})[field_name] = (value, where)
            return
        self._set_tuned(name, field_name, raw, where)

    def _failed(self, name: str, field_name: str, error: DecodeError) -> None:
        key = f"{name}.{field_name}"
        self.problems.append(Problem(error.where, key + error.path, error.message))
        self.failed.add(key)

    def _set_tuned(self, name: str, field_name: str, raw: RawValue, where: str) -> None:
        """Record a value, or definition parts, of a tuned (or unknown) field."""
        key = f"{name}.{field_name}"
        spec = self.plan.classes[name].fields.get(field_name)
        if spec is None:
            fields = self.plan.classes[name].fields
            message = f"unknown field of {name}{closest(field_name, fields)}"
            self.problems.append(Problem(where, key, message))
            return
        if not isinstance(spec, FieldSpec) and isinstance(raw, RawMap):
            for entry in raw:
                self._set_part(name, field_name, entry.key, entry.value, where)
            return
        try:
            value = decode(raw, _plain_type(spec, self.definitions.get(key)))
        except DecodeError as error:
            self._failed(name, field_name, error)
            return
        self.values.setdefault(name, {})[field_name] = (value, where)
        self.definitions.pop(key, None)

    def _set_part(
        self, name: str, field_name: str, part: str, raw: RawValue, where: str
    ) -> None:
        from spockc.runtime.hyperparams import DefinitionParts, definition_keys

        key = f"{name}.{field_name}"
        spec = self.plan.classes[name].fields[field_name]
        assert not isinstance(spec, FieldSpec)
        keys = definition_keys(spec)
        if part not in keys:
            message = f"unknown definition key {part!r}{closest(part, keys)} (expected {', '.join(keys)})"
            self.problems.append(Problem(raw.where, key, message))
            return
        parts = self.definitions.setdefault(key, DefinitionParts(where))
        parts.where = where
        parts.parts[part] = raw
        self.values.get(name, {}).pop(field_name, None)


def flag_table(plan: Plan) -> Mapping[str, bool]:
    """Return every flag of the schema -> whether its value is optional (bools)."""
    if plan.flags:
        return plan.flags
    for name, klass in plan.classes.items():
        for field in klass.fixed:
            plan.flags[f"{name}.{field.name}"] = field.type.is_bool
        for spec in klass.tuned:
            # Imported only for tuned fields: a program without them skips it.
            from spockc.runtime.hyperparams import definition_keys

            key = f"{name}.{spec.name}"
            plan.flags[key] = isinstance(spec, ChoiceSpec) and spec.value_type == "bool"
            for part in definition_keys(spec):
                plan.flags[f"{key}.{part}"] = part == "log_scale"
    return plan.flags


def _flag_type(spec: FieldSpec | TunedSpec, part: str) -> TypeSpec:
    """Return the type whose shape says how to read a flag's text."""
    if isinstance(spec, FieldSpec):
        return spec.type
    if part in ("bounds", "choices"):
        return ListOf(STR)
    return STR


def _flag_value(flag: FlagValue, spec: TypeSpec) -> RawValue:
    where = flag.where
    if flag.text is None:
        return RawScalar("true", True, where)
    text = flag.text
    optional = isinstance(spec, OptionalOf)
    if optional and text.strip() == "None":
        return RawScalar("null", True, where)
    # A command line cannot quote: an empty value is the empty text, never null,
    # and a str field takes the text as given (an Optional one still takes null
    # for None).
    if not text.strip():
        return RawScalar(text, False, where)
    inner = unwrap(spec)
    inline = isinstance(inner, NestedOf) and text.lstrip().startswith("{")
    if inline or isinstance(inner, ListOf | TupleOf | DictOf):
        return parse_structured(text, where)
    is_str = isinstance(inner, Scalar) and inner.kind == "str"
    return RawScalar(text, not (is_str and not optional), where)


def parse_structured(text: str, where: str) -> RawValue:
    """Read a list, tuple or mapping flag: YAML flow or a Python literal."""
    import ast

    from spockc.runtime.config_files import from_python, parse_flow

    stripped = text.strip()
    if stripped in NULL_WORDS or stripped == "None":
        return RawScalar("null", True, where)
    if stripped[:1] in "([{":
        try:
            value = ast.literal_eval(stripped)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            pass
        else:
            if isinstance(value, list | tuple | dict):
                return from_python(value, where)
    if stripped.startswith("(") and stripped.endswith(")"):
        stripped = f"[{stripped[1:-1]}]"
    try:
        return parse_flow(stripped, where)
    except ValueError as error:
        message = f"cannot read {text!r} as a list or mapping: {error}"
        raise DecodeError(where, message) from None


def _plain_type(spec: FieldSpec | TunedSpec, parts: DefinitionParts | None) -> TypeSpec:
    """Return the type of a value given for a field, for tuned fields a fixed value."""
    if isinstance(spec, FieldSpec):
        return spec.type
    kind = spec.value_type
    if kind is None and spec.default is not None:
        kind = spec.default.type
    from spockc.runtime.hyperparams import scalar_kind

    given = parts.parts.get("type") if parts is not None else None
    if kind is None and isinstance(given, RawScalar):
        kind = scalar_kind(given.text)
    return (
        Scalar(kind)
        if kind is not None
        else FLOAT
        if isinstance(spec, RangeSpec)
        else STR
    )


def _make(klass: ClassPlan, values: Mapping[str, object]) -> object:
    """Return an instance of the fixed class `klass` holding `values`.

    `values` holds every field (`_values` returns None when one is missing), so
    the slots are set directly: the constructor's checks cannot fail then, and
    skipping them almost halves the cost of making an instance. Tuner classes
    are never built here: `sample()` makes them.
    """
    instance: object = _new(klass.spec.cls)
    for name, value in values.items():
        _set(instance, name, value)
    return instance


class Builder:
    """Build instances from a plan and gathered values.

    An instance built from its class's values alone is kept and used again where
    the class is nested, unless it holds mutable values: each use then gets its
    own instance, so appending to `Outer.a.items` leaves `Outer.b.items` alone.
    """

    def __init__(self, plan: Plan, gathered: Gathered) -> None:
        self.plan = plan
        self.gathered = gathered
        self.problems = gathered.problems
        self.standalone: dict[str, object] = {}
        self.building: list[str] = []

    def instance(
        self,
        name: str,
        under: Mapping[str, object] | None = None,
        over: Mapping[str, object] | None = None,
        path: str = "",
    ) -> object | None:
        """Build class `name`: defaults < `under` < its section and flags < `over`.

        `path` is the dotted key under which the user wrote `over` inline
        (`Model.data`), to name its fields in errors as they were written.
        """
        plain = not under and not over
        if plain and name in self.standalone:
            return self.standalone[name]
        if name in self.building:
            chain = " -> ".join([*self.building, name])
            self.problems.append(
                Problem("", name, f"nested classes form a cycle: {chain}")
            )
            return None

        self.building.append(name)
        klass = self.plan.classes[name]
        values = self._values(name, klass, under, over, path)
        self.building.pop()

        built = None if values is None else _make(klass, values)
        if plain and klass.shareable:
            self.standalone[name] = built
        return built

    def _values(
        self,
        name: str,
        klass: ClassPlan,
        under: Mapping[str, object] | None,
        over: Mapping[str, object] | None,
        path: str,
    ) -> dict[str, object] | None:
        """Return the value of every fixed field, or None when one is missing."""
        plain = not under and not over
        given = self.gathered.values.get(name, {})
        values: dict[str, object] = {}
        complete = True
        for plan in klass.fixed:
            if plain and not plan.has_nested:
                # The common case, inline: a given value or the default, copied.
                found = given.get(plan.name)
                value = plan.default if found is None else found[0]
                if value is not MISSING:
                    values[plan.name] = value if plan.copy is None else plan.copy(value)
                    continue
            value = self._value(name, plan, given, under, over, path)
            if value is MISSING:
                complete = False
            else:
                values[plan.name] = value
        return values if complete else None

    def _value(
        self,
        name: str,
        plan: FieldPlan,
        given: Mapping[str, tuple[object, str]],
        under: Mapping[str, object] | None,
        over: Mapping[str, object] | None,
        path: str,
    ) -> object:
        owner = name  # how the user named the class the value was given under
        default = under[plan.name] if under and plan.name in under else plan.default
        if over and plan.name in over:
            value, owner = over[plan.name], path
        elif plan.name in given:
            value = given[plan.name][0]
        else:
            value = default
        if value is MISSING:
            key = f"{name}.{plan.name}"
            if key in self.gathered.failed or self.gathered.quiet_missing:
                return MISSING
            message = (
                f"required value missing; give it in a config file or with --{key}"
            )
            self.problems.append(Problem("", key, message))
            return MISSING
        if plan.has_nested:
            path = f"{owner}.{plan.name}"
            return self._resolve(value, plan.spec.type, path, default)
        if plan.copy is not None:
            return plan.copy(value)
        return value

    def _resolve(
        self, value: object, spec: TypeSpec, path: str, default: object = MISSING
    ) -> object:
        """Turn nested references in `value` into instances; `path` names `value`.

        Fields given inline for a nested instance (`Net: {enc: {depth: 9}}`)
        change that instance only: the arguments of its `default` instance
        written in the source (`enc: Layer = Layer(width=64)`) still hold for
        the fields left out.
        """
        spec = unwrap(spec)
        if isinstance(value, NestedDefault) and isinstance(spec, NestedOf):
            built = self.instance(spec.name, under=value.kwargs)
        elif isinstance(value, NestedRef):
            over = self._inline(value, path)
            kept = default.kwargs if isinstance(default, NestedDefault) else None
            under = kept if over is not None else None
            built = self.instance(value.name, under=under, over=over, path=path)
        elif isinstance(value, list) and isinstance(spec, ListOf):
            return [
                self._resolve(item, spec.item, path + item_step(index))
                for index, item in enumerate(value)
            ]
        elif isinstance(value, tuple) and isinstance(spec, TupleOf):
            items = spec.items * len(value) if spec.variadic else spec.items
            return tuple(
                self._resolve(item, s, path + item_step(index))
                for index, (item, s) in enumerate(zip(value, items, strict=False))
            )
        elif isinstance(value, dict) and isinstance(spec, DictOf):
            return {
                key: self._resolve(item, spec.value, path + key_step(key))
                for key, item in value.items()
            }
        else:
            return _deep_copy(value) if isinstance(value, list | dict) else value
        return MISSING if built is None else built

    def _inline(self, ref: NestedRef, path: str) -> dict[str, object] | None:
        """Decode the fields given inline for one nested instance written at `path`."""
        if ref.inline is None:
            return None
        fields = self.plan.classes[ref.name].fields
        values: dict[str, object] = {}
        for entry in ref.inline:
            key = f"{path}.{entry.key}"
            spec = fields.get(entry.key)
            if not isinstance(spec, FieldSpec):
                message = f"unknown field of {ref.name}{closest(entry.key, fields)}"
                self.problems.append(Problem(entry.where, key, message))
                continue
            try:
                values[entry.key] = decode(entry.value, spec.type)
            except DecodeError as error:
                self.problems.append(
                    Problem(error.where, key + error.path, error.message)
                )
        return values


__all__ = ["INT", "Builder", "Gathered", "Plan", "flag_table", "make_plan"]
