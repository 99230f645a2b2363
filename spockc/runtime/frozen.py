"""Frozen, slotted value classes, made without `dataclasses`.

Generated config classes derive from `ConfigClass`; the runtime's own value
classes (schema specs, definitions, problems) derive from `Frozen`. Both list
their fields in `__slots__`, compare and hash by value, print as
`Name(field=value, ...)` and refuse assignment. Defining them costs a plain
class statement: importing `dataclasses` and exec-ing generated methods for
every class was most of the import time of a generated module.

Type checkers see `ConfigClass` subclasses as frozen keyword-only dataclasses
through PEP 681's `dataclass_transform`, which exists only for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from typing_extensions import Self, dataclass_transform
else:

    def dataclass_transform(**_: object) -> Any:
        """Stand in for `typing_extensions.dataclass_transform`, for checkers only."""
        return lambda cls: cls


__all__ = [
    "ConfigClass",
    "Frozen",
    "assign",
    "dataclass_transform",
    "fields_of",
]

_set = object.__setattr__


class Frozen:
    """Base of a frozen value class whose fields are its `__slots__`.

    Fields are ordered as the class body annotates them, inherited ones first;
    `fields_of` gives them, computed once per class. Subclasses write `__init__`.
    """

    __slots__ = ()
    _spockc_fields: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        names: list[str] = []
        for klass in reversed(cls.__mro__):
            names.extend(_own_fields(klass))
        cls._spockc_fields = tuple(names)

    def _spockc_items(self) -> list[tuple[str, object]]:
        return [(name, getattr(self, name)) for name in self._spockc_fields]

    def __setattr__(self, name: str, value: object) -> None:
        message = f"cannot assign to field {name!r}: {_kind(self)} is frozen"
        raise AttributeError(message)

    def __delattr__(self, name: str) -> None:
        message = f"cannot delete field {name!r}: {_kind(self)} is frozen"
        raise AttributeError(message)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Frozen)
        return self._spockc_items() == other._spockc_items()

    def __hash__(self) -> int:
        # Every field is set (by `__init__`, or by the builder slot by slot):
        # no need for the (name, value) pairs.
        return hash(tuple([getattr(self, name) for name in self._spockc_fields]))

    def __repr__(self) -> str:
        inner = ", ".join(f"{name}={value!r}" for name, value in self._spockc_items())
        return f"{type(self).__qualname__}({inner})"

    def __replace__(self, **changes: Any) -> Self:
        """Return a copy with `changes` applied, as `copy.replace` does (3.13).

        The copy is made by calling the class, so its checks run again; every
        `__init__` here takes each field by its name.
        """
        unknown = [name for name in changes if name not in self._spockc_fields]
        if unknown:
            raise TypeError(f"{type(self).__qualname__} has no field {_names(unknown)}")
        return type(self)(**{**dict(self._spockc_items()), **changes})

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), tuple(self._spockc_items())))


def _own_fields(klass: type) -> list[str]:
    """Return the slots `klass` itself declares, in the order it annotates them.

    The annotations give the order, so `__slots__` may be written sorted. They
    are read from the class dictionary, not with `inspect` (slow to import):
    every module defining these classes uses `from __future__ import
    annotations`, so they are a plain dictionary of strings there.
    """
    slots = klass.__dict__.get("__slots__", ())
    slots = (slots,) if isinstance(slots, str) else tuple(slots)
    annotated = klass.__dict__.get("__annotations__", {})  # noqa: RUF063
    ordered = [name for name in annotated if name in slots]
    return ordered + [name for name in slots if name not in annotated]


def _rebuild(cls: type[Frozen], items: tuple[tuple[str, object], ...]) -> Frozen:
    """Recreate a pickled or copied instance without calling `__init__`."""
    instance = object.__new__(cls)
    for name, value in items:
        _set(instance, name, value)
    return instance


def fields_of(instance_or_class: object) -> tuple[str, ...]:
    """Return the field names of a `Frozen` class or instance, in order."""
    if isinstance(instance_or_class, type) and issubclass(instance_or_class, Frozen):
        return instance_or_class._spockc_fields
    if isinstance(instance_or_class, Frozen):
        return instance_or_class._spockc_fields
    return ()


def assign(instance: Frozen, *values: object) -> None:
    """Set the fields of a new `instance` from `values`, in field order."""
    for name, value in zip(instance._spockc_fields, values, strict=True):
        _set(instance, name, value)


@dataclass_transform(kw_only_default=True, frozen_default=True, eq_default=True)
class ConfigClass(Frozen):
    """Base of generated config classes: every field is a required keyword."""

    __slots__ = ()

    def __init__(self, **values: Any) -> None:
        fields = self._spockc_fields
        try:
            for name in fields:
                _set(self, name, values[name])
        except KeyError:
            missing = [name for name in fields if name not in values]
            message = f"missing required keyword argument {_names(missing)}"
            raise TypeError(f"{type(self).__qualname__}() {message}") from None
        if len(values) != len(fields):
            unknown = [name for name in values if name not in fields]
            message = f"got unexpected keyword argument {_names(unknown)}"
            raise TypeError(f"{type(self).__qualname__}() {message}")


def _kind(instance: object) -> str:
    return f"a {type(instance).__qualname__}"


def _names(names: list[str]) -> str:
    return ", ".join(repr(name) for name in names)
