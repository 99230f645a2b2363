"""What a generated namespace module tells the runtime about its classes.

The compiler emits one `Schema` per source file: every config class with its
fields, each field's declared type as a `TypeSpec`, its default and help text.
The runtime reads config files and the command line against it; nothing here
inspects classes by reflection. The classes are `Frozen` values rather than
dataclasses, to keep importing a generated module cheap.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

from spockc.runtime.frozen import Frozen, assign, dataclass_transform

ScalarKind = Literal["bool", "int", "float", "str"]


class Scalar(Frozen):
    """A `bool`, `int`, `float` or `str` value."""

    __slots__ = ("kind",)
    kind: ScalarKind

    def __init__(self, kind: ScalarKind) -> None:
        assign(self, kind)


BOOL = Scalar("bool")
INT = Scalar("int")
FLOAT = Scalar("float")
STR = Scalar("str")


class ListOf(Frozen):
    """A `list` whose items all have one type."""

    __slots__ = ("item",)
    item: TypeSpec

    def __init__(self, item: TypeSpec) -> None:
        assign(self, item)


class TupleOf(Frozen):
    """A `tuple`: fixed length with one type per item, or `variadic` (`T, ...`)."""

    __slots__ = ("items", "variadic")
    items: tuple[TypeSpec, ...]
    variadic: bool

    def __init__(self, items: tuple[TypeSpec, ...], variadic: bool = False) -> None:
        assign(self, items, variadic)


class DictOf(Frozen):
    """A `dict` with `str` keys and values of one type."""

    __slots__ = ("value",)
    value: TypeSpec

    def __init__(self, value: TypeSpec) -> None:
        assign(self, value)


class OptionalOf(Frozen):
    """A value of `inner` type, or None."""

    __slots__ = ("inner",)
    inner: TypeSpec

    def __init__(self, inner: TypeSpec) -> None:
        assign(self, inner)


class EnumOf(Frozen):
    """A member of an Enum; config files and flags give its value."""

    __slots__ = ("enum",)
    enum: type[Enum]

    def __init__(self, enum: type[Enum]) -> None:
        assign(self, enum)


class NestedOf(Frozen):
    """An instance of another config class of the same schema, named here."""

    __slots__ = ("name",)
    name: str

    def __init__(self, name: str) -> None:
        assign(self, name)


TypeSpec = Scalar | ListOf | TupleOf | DictOf | OptionalOf | EnumOf | NestedOf


class _Missing:
    """The marker type of `MISSING`."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()
"""The default of a field that has none: the user must give a value."""


class NestedDefault(Frozen):
    """A nested default written as an instance, `Layer(width=64)`, or as the class.

    `kwargs` keeps the arguments written in the source; the fields it leaves out
    take their class defaults and values from the class's own config section.
    """

    __slots__ = ("kwargs",)
    kwargs: Mapping[str, object]

    def __init__(self, kwargs: Mapping[str, object] | None = None) -> None:
        assign(self, {} if kwargs is None else kwargs)


class FieldSpec(Frozen):
    """One field of a fixed config class."""

    __slots__ = ("default", "help", "name", "type")
    name: str
    type: TypeSpec
    default: object
    help: str

    def __init__(
        self, name: str, type: TypeSpec, default: object = MISSING, help: str = ""
    ) -> None:
        assign(self, name, type, default, help)


class RangeDefinition(Frozen):
    """Bounds of a range hyper-parameter; `type` is `"int"` or `"float"`."""

    __slots__ = ("bounds", "log_scale", "step", "type")
    type: Literal["int", "float"] | None
    bounds: tuple[float, float] | None
    log_scale: bool
    step: float | None

    def __init__(
        self,
        type: Literal["int", "float"] | None = None,
        bounds: tuple[float, float] | None = None,
        log_scale: bool = False,
        step: float | None = None,
    ) -> None:
        assign(self, type, bounds, log_scale, step)


class ChoiceDefinition(Frozen):
    """Choices of a choice hyper-parameter; `type` names their Python type."""

    __slots__ = ("choices", "type")
    type: ScalarKind | None
    choices: tuple[object, ...] | None

    def __init__(
        self, type: ScalarKind | None = None, choices: tuple[object, ...] | None = None
    ) -> None:
        assign(self, type, choices)


class RangeSpec(Frozen):
    """A `RangeHyperParameter` field of a tuner class.

    `value_type` is the type declared in the source (`RangeHyperParameter[int]`), or
    None when only the config file gives it. `default` is the definition written in
    the source, completed or replaced by config files and flags.
    """

    __slots__ = ("default", "help", "name", "value_type")
    name: str
    value_type: Literal["int", "float"] | None
    default: RangeDefinition | None
    help: str

    def __init__(
        self,
        name: str,
        value_type: Literal["int", "float"] | None = None,
        default: RangeDefinition | None = None,
        help: str = "",
    ) -> None:
        assign(self, name, value_type, default, help)


class ChoiceSpec(Frozen):
    """A `ChoiceHyperParameter` field of a tuner class.

    `allowed` holds the choices known when compiling (the generated type is a
    `Literal` of them); a config file may narrow them but not add to them.
    """

    __slots__ = ("allowed", "default", "help", "name", "value_type")
    name: str
    value_type: ScalarKind | None
    default: ChoiceDefinition | None
    allowed: tuple[object, ...] | None
    help: str

    def __init__(
        self,
        name: str,
        value_type: ScalarKind | None = None,
        default: ChoiceDefinition | None = None,
        allowed: tuple[object, ...] | None = None,
        help: str = "",
    ) -> None:
        assign(self, name, value_type, default, allowed, help)


AnyFieldSpec = FieldSpec | RangeSpec | ChoiceSpec


class ClassSpec(Frozen):
    """One generated config class: fixed (`@spock`) or tuned (`@spockTuner`)."""

    __slots__ = ("cls", "fields", "help", "is_tuner")
    cls: type
    fields: tuple[AnyFieldSpec, ...]
    help: str
    is_tuner: bool

    def __init__(
        self,
        cls: type,
        fields: tuple[AnyFieldSpec, ...],
        help: str = "",
        is_tuner: bool = False,
    ) -> None:
        assign(self, cls, fields, help, is_tuner)

    @property
    def name(self) -> str:
        """Return the class name, which is also its config section's key."""
        return self.cls.__name__


@dataclass_transform(kw_only_default=True, frozen_default=True, eq_default=True)
class Spockspace(Frozen):
    """Base of generated spaces: one attribute per config class, read-only.

    A class that was not given to the builder is absent; reading it says so.
    """

    __slots__ = ()

    def __init__(self, **classes: Any) -> None:
        unknown = [name for name in classes if name not in self._spockc_fields]
        if unknown:
            message = f"got unexpected keyword argument {', '.join(map(repr, unknown))}"
            raise TypeError(f"{type(self).__qualname__}() {message}")
        for name, value in classes.items():
            object.__setattr__(self, name, value)

    if not TYPE_CHECKING:
        # Hidden from type checkers: a `__getattr__` would make every misspelled
        # class name on a space type-check as Any.
        def __getattr__(self, name: str) -> Any:
            message = f"{name!r} was not given to ConfigArgBuilder, so it was not built"
            raise AttributeError(message)

    def _spockc_items(self) -> list[tuple[str, object]]:
        """Return the classes present, in declaration order: absent ones are left out."""
        present: list[tuple[str, object]] = []
        for name in self._spockc_fields:
            try:
                present.append((name, object.__getattribute__(self, name)))
            except AttributeError:
                continue
        return present

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to {name!r}: a Spockspace is read-only")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete {name!r}: a Spockspace is read-only")

    def __hash__(self) -> int:
        return hash(tuple(self._spockc_items()))


def _built(space: Spockspace) -> dict[str, object]:
    """Return the classes present in `space`, by name, in declaration order."""
    return dict(space._spockc_items())


def make_space(cls: type[_SpaceT], classes: Mapping[str, object]) -> _SpaceT:
    """Create a space of type `cls` holding the given class instances."""
    space = object.__new__(cls)
    for name, value in classes.items():
        object.__setattr__(space, name, value)
    return space


_SpaceT = TypeVar("_SpaceT", bound=Spockspace)
_FixedT = TypeVar("_FixedT", bound=Spockspace)
_SampledT = TypeVar("_SampledT", bound=Spockspace)


class Schema(Frozen, Generic[_FixedT, _SampledT]):
    """Everything the runtime needs to know about one generated module.

    `sampler` is the import name of the generated sampler module, or None when the
    source has no tuner classes; it is imported only by `tuner()`.
    """

    __slots__ = ("classes", "fixed_space", "sampled_space", "sampler", "source")
    source: str
    classes: tuple[ClassSpec, ...]
    fixed_space: type[_FixedT]
    sampled_space: type[_SampledT]
    sampler: str | None

    def __init__(
        self,
        source: str,
        classes: tuple[ClassSpec, ...],
        fixed_space: type[_FixedT],
        sampled_space: type[_SampledT],
        sampler: str | None = None,
    ) -> None:
        assign(self, source, classes, fixed_space, sampled_space, sampler)

    def find(self, name: str) -> ClassSpec | None:
        """Return the class named `name`, or None."""
        for spec in self.classes:
            if spec.name == name:
                return spec
        return None
