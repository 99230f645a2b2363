"""What a generated namespace module tells the runtime about its classes.

The compiler emits one `Schema` per source file: every config class with its
fields, each field's declared type as a `TypeSpec`, its default and help text.
The runtime reads config files and the command line against it; nothing here
inspects classes by reflection.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

ScalarKind = Literal["bool", "int", "float", "str"]


@dataclass(frozen=True, slots=True)
class Scalar:
    """A `bool`, `int`, `float` or `str` value."""

    kind: ScalarKind


BOOL = Scalar("bool")
INT = Scalar("int")
FLOAT = Scalar("float")
STR = Scalar("str")


@dataclass(frozen=True, slots=True)
class ListOf:
    """A `list` whose items all have one type."""

    item: TypeSpec


@dataclass(frozen=True, slots=True)
class TupleOf:
    """A `tuple`: fixed length with one type per item, or `variadic` (`T, ...`)."""

    items: tuple[TypeSpec, ...]
    variadic: bool = False


@dataclass(frozen=True, slots=True)
class DictOf:
    """A `dict` with `str` keys and values of one type."""

    value: TypeSpec


@dataclass(frozen=True, slots=True)
class OptionalOf:
    """A value of `inner` type, or None."""

    inner: TypeSpec


@dataclass(frozen=True, slots=True)
class EnumOf:
    """A member of an Enum; config files and flags give its value."""

    enum: type[enum.Enum]


@dataclass(frozen=True, slots=True)
class NestedOf:
    """An instance of another config class of the same schema, named here."""

    name: str


TypeSpec = Scalar | ListOf | TupleOf | DictOf | OptionalOf | EnumOf | NestedOf


class _Missing:
    """The marker type of `MISSING`."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()
"""The default of a field that has none: the user must give a value."""


@dataclass(frozen=True, slots=True)
class NestedDefault:
    """A nested default written as an instance, `Layer(width=64)`, or as the class.

    `kwargs` keeps the arguments written in the source; the fields it leaves out
    take their class defaults and values from the class's own config section.
    """

    kwargs: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One field of a fixed config class."""

    name: str
    type: TypeSpec
    default: object = MISSING
    help: str = ""


@dataclass(frozen=True, slots=True)
class RangeDefinition:
    """Bounds of a range hyper-parameter; `type` is `"int"` or `"float"`."""

    type: Literal["int", "float"] | None = None
    bounds: tuple[float, float] | None = None
    log_scale: bool = False
    step: float | None = None


@dataclass(frozen=True, slots=True)
class ChoiceDefinition:
    """Choices of a choice hyper-parameter; `type` names their Python type."""

    type: ScalarKind | None = None
    choices: tuple[object, ...] | None = None


@dataclass(frozen=True, slots=True)
class RangeSpec:
    """A `RangeHyperParameter` field of a tuner class.

    `value_type` is the type declared in the source (`RangeHyperParameter[int]`), or
    None when only the config file gives it. `default` is the definition written in
    the source, completed or replaced by config files and flags.
    """

    name: str
    value_type: Literal["int", "float"] | None = None
    default: RangeDefinition | None = None
    help: str = ""


@dataclass(frozen=True, slots=True)
class ChoiceSpec:
    """A `ChoiceHyperParameter` field of a tuner class.

    `allowed` holds the choices known when compiling (the generated type is a
    `Literal` of them); a config file may narrow them but not add to them.
    """

    name: str
    value_type: ScalarKind | None = None
    default: ChoiceDefinition | None = None
    allowed: tuple[object, ...] | None = None
    help: str = ""


AnyFieldSpec = FieldSpec | RangeSpec | ChoiceSpec


@dataclass(frozen=True, slots=True)
class ClassSpec:
    """One generated config class: fixed (`@spock`) or tuned (`@spockTuner`)."""

    cls: type
    fields: tuple[AnyFieldSpec, ...]
    help: str = ""
    is_tuner: bool = False

    @property
    def name(self) -> str:
        """Return the class name, which is also its config section's key."""
        return self.cls.__name__


class Spockspace:
    """Base of generated spaces: one attribute per config class, read-only.

    A class that was not given to the builder is absent; reading it says so.
    """

    __slots__ = ()

    if not TYPE_CHECKING:
        # Hidden from type checkers: a `__getattr__` would make every misspelled
        # class name on a space type-check as Any.
        def __getattr__(self, name: str) -> Any:
            message = f"{name!r} was not given to ConfigArgBuilder, so it was not built"
            raise AttributeError(message)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to {name!r}: a Spockspace is read-only")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete {name!r}: a Spockspace is read-only")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return _built(self) == _built(other)

    def __hash__(self) -> int:
        return hash(tuple(_built(self).items()))

    def __repr__(self) -> str:
        inner = ", ".join(f"{name}={value!r}" for name, value in _built(self).items())
        return f"{type(self).__name__}({inner})"


def _built(space: Spockspace) -> dict[str, object]:
    """Return the classes present in `space`, by name, in declaration order."""
    present: dict[str, object] = {}
    for name in _slot_names(type(space)):
        try:
            present[name] = object.__getattribute__(space, name)
        except AttributeError:
            continue
    return present


def _slot_names(cls: type) -> list[str]:
    names: list[str] = []
    for klass in reversed(cls.__mro__):
        names.extend(getattr(klass, "__slots__", ()))
    return names


def make_space(cls: type[_SpaceT], classes: Mapping[str, object]) -> _SpaceT:
    """Create a space of type `cls` holding the given class instances."""
    space = object.__new__(cls)
    for name, value in classes.items():
        object.__setattr__(space, name, value)
    return space


_SpaceT = TypeVar("_SpaceT", bound=Spockspace)
_FixedT = TypeVar("_FixedT", bound=Spockspace)
_SampledT = TypeVar("_SampledT", bound=Spockspace)


@dataclass(frozen=True, slots=True)
class Schema(Generic[_FixedT, _SampledT]):
    """Everything the runtime needs to know about one generated module.

    `sampler` is the import name of the generated sampler module, or None when the
    source has no tuner classes; it is imported only by `tuner()`.
    """

    source: str
    classes: tuple[ClassSpec, ...]
    fixed_space: type[_FixedT]
    sampled_space: type[_SampledT]
    sampler: str | None = None

    def find(self, name: str) -> ClassSpec | None:
        """Return the class named `name`, or None."""
        for spec in self.classes:
            if spec.name == name:
                return spec
        return None
