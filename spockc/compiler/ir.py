"""The compiler's intermediate representation: plain frozen dataclasses.

`parse` turns source text into a `SourceModule`: the config classes, enums and
imports as written, every node with its 1-based source position. `check`
resolves names and validates it into a `CheckedModule`, which `emit` renders.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# --- What parse produces: the source as written. -----------------------------


@dataclass(frozen=True, slots=True)
class Pos:
    """A 1-based line and column in a source file."""

    line: int
    col: int


@dataclass(frozen=True, slots=True)
class TypeName:
    """A type written as a (dotted) name: `int`, `typing.List`, `Layer`."""

    name: str
    pos: Pos


@dataclass(frozen=True, slots=True)
class TypeSubscript:
    """A subscripted type: `List[int]`, `dict[str, float]`."""

    base: TypeName
    args: tuple[TypeExpr, ...]
    pos: Pos


@dataclass(frozen=True, slots=True)
class TypeUnion:
    """A union written with `|`."""

    left: TypeExpr
    right: TypeExpr
    pos: Pos


@dataclass(frozen=True, slots=True)
class TypeNone:
    """`None` inside a type."""

    pos: Pos


@dataclass(frozen=True, slots=True)
class TypeEllipsis:
    """The `...` of `tuple[int, ...]`."""

    pos: Pos


@dataclass(frozen=True, slots=True)
class TypeString:
    """A string annotation; `expr` is its parsed content, None if unparsable."""

    text: str
    expr: TypeExpr | None
    pos: Pos


@dataclass(frozen=True, slots=True)
class TypeOther:
    """An expression that cannot be a type, kept as its source code."""

    code: str
    pos: Pos


TypeExpr = (
    TypeName
    | TypeSubscript
    | TypeUnion
    | TypeNone
    | TypeEllipsis
    | TypeString
    | TypeOther
)

Const = bool | int | float | str | None


@dataclass(frozen=True, slots=True)
class ConstValue:
    """A literal: number (negative too), string, bool or None."""

    value: Const
    pos: Pos


@dataclass(frozen=True, slots=True)
class SequenceValue:
    """A list or tuple display."""

    kind: Literal["list", "tuple"]
    items: tuple[Value, ...]
    pos: Pos


@dataclass(frozen=True, slots=True)
class DictValue:
    """A dict display."""

    items: tuple[tuple[Value, Value], ...]
    pos: Pos


@dataclass(frozen=True, slots=True)
class NameValue:
    """A (dotted) name: an Enum member `Act.relu`, or a class used as a default."""

    name: str
    pos: Pos


@dataclass(frozen=True, slots=True)
class Keyword:
    """One `name=value` argument of a call."""

    name: str
    value: Value
    pos: Pos


@dataclass(frozen=True, slots=True)
class CallValue:
    """A call: `Layer(width=64)`, `RangeHyperParameter(type="float", ...)`."""

    func: str
    args: tuple[Value, ...]
    keywords: tuple[Keyword, ...]
    pos: Pos


@dataclass(frozen=True, slots=True)
class OtherValue:
    """An expression the compiler does not evaluate, kept as its source code."""

    code: str
    pos: Pos


Value = ConstValue | SequenceValue | DictValue | NameValue | CallValue | OtherValue


@dataclass(frozen=True, slots=True)
class Field:
    """An annotated attribute of a class body."""

    name: str
    annotation: TypeExpr
    default: Value | None
    help: str
    pos: Pos


@dataclass(frozen=True, slots=True)
class Decorator:
    """A spockc/spock decorator: its kind and the keywords it was called with."""

    kind: Literal["fixed", "tuner"]
    keywords: tuple[Keyword, ...]
    pos: Pos


@dataclass(frozen=True, slots=True)
class ClassDef:
    """A class of the source: a config class when `decorator` is set."""

    name: str
    decorator: Decorator | None
    bases: tuple[NameValue, ...]
    fields: tuple[Field, ...]
    unannotated: tuple[NameValue, ...]
    help: str
    pos: Pos


@dataclass(frozen=True, slots=True)
class EnumMember:
    """One member of an Enum: its name and literal value."""

    name: str
    value: Value
    pos: Pos


@dataclass(frozen=True, slots=True)
class EnumDef:
    """An Enum subclass of the source."""

    name: str
    bases: tuple[str, ...]
    members: tuple[EnumMember, ...]
    doc: str
    pos: Pos


@dataclass(frozen=True, slots=True)
class ImportedName:
    """`from module import name as local`; `module` as written (`.base`)."""

    local: str
    module: str
    name: str
    pos: Pos


@dataclass(frozen=True, slots=True)
class Refusal:
    """A statement the compiler needs but the running Python cannot read."""

    kind: Literal["class", "import"]
    pos: Pos
    message: str
    hint: str


@dataclass(frozen=True, slots=True)
class SourceModule:
    """One parsed source file."""

    path: str
    doc: str
    classes: tuple[ClassDef, ...]
    enums: tuple[EnumDef, ...]
    imports: tuple[ImportedName, ...]
    module_aliases: tuple[tuple[str, str], ...]
    decorator_aliases: tuple[NameValue, ...]
    lines: tuple[str, ...]
    #: Classes in syntax newer than the running Python, left unread.
    unreadable: tuple[NameValue, ...] = ()
    #: Config classes and imports among them: errors, reported with the others.
    refused: tuple[Refusal, ...] = ()

    def unreadable_class(self, name: str) -> NameValue | None:
        """Return where class `name` stands if it is in syntax left unread."""
        return next((c for c in self.unreadable if c.name == name), None)

    def qualify(self, dotted: str) -> str | None:
        """Return the imported, fully qualified name of `dotted`, or None if local."""
        head, _, rest = dotted.partition(".")
        for imported in self.imports:
            if imported.local == head:
                qualified = f"{imported.module}.{imported.name}"
                return f"{qualified}.{rest}" if rest else qualified
        for local, module in self.module_aliases:
            if local == head:
                return f"{module}.{rest}" if rest else module
        return None


# --- What check produces: resolved and validated, ready to emit. -------------

ScalarKind = Literal["bool", "int", "float", "str"]


@dataclass(frozen=True, slots=True)
class ScalarType:
    """`bool`, `int`, `float` or `str`."""

    kind: ScalarKind


@dataclass(frozen=True, slots=True)
class ListType:
    """`list[item]`."""

    item: ResolvedType


@dataclass(frozen=True, slots=True)
class TupleType:
    """`tuple[a, b]`, or `tuple[a, ...]` when `variadic`."""

    items: tuple[ResolvedType, ...]
    variadic: bool


@dataclass(frozen=True, slots=True)
class DictType:
    """`dict[str, value]`."""

    value: ResolvedType


@dataclass(frozen=True, slots=True)
class OptionalType:
    """`inner | None`."""

    inner: ResolvedType


@dataclass(frozen=True, slots=True)
class EnumType:
    """An Enum, by its name in the generated module."""

    name: str


@dataclass(frozen=True, slots=True)
class NestedType:
    """Another config class of the generated module."""

    name: str


ResolvedType = (
    ScalarType | ListType | TupleType | DictType | OptionalType | EnumType | NestedType
)


@dataclass(frozen=True, slots=True)
class RangeDef:
    """A range definition written in the source."""

    type: Literal["int", "float"] | None
    bounds: tuple[int | float, int | float] | None
    log_scale: bool
    step: int | float | None


@dataclass(frozen=True, slots=True)
class ChoiceDef:
    """A choice definition written in the source."""

    type: ScalarKind | None
    choices: tuple[Const, ...] | None


@dataclass(frozen=True, slots=True)
class RangeParam:
    """A `RangeHyperParameter` field."""

    value_type: Literal["int", "float"] | None
    default: RangeDef | None


@dataclass(frozen=True, slots=True)
class ChoiceParam:
    """A `ChoiceHyperParameter` field; `allowed` is known when compiling."""

    value_type: ScalarKind | None
    default: ChoiceDef | None
    allowed: tuple[Const, ...] | None


@dataclass(frozen=True, slots=True)
class ConstDefault:
    """A literal default."""

    value: Const


@dataclass(frozen=True, slots=True)
class SequenceDefault:
    """A list or tuple default."""

    kind: Literal["list", "tuple"]
    items: tuple[Default, ...]


@dataclass(frozen=True, slots=True)
class DictDefault:
    """A dict default with str keys."""

    items: tuple[tuple[str, Default], ...]


@dataclass(frozen=True, slots=True)
class EnumDefault:
    """An Enum member, by member name, or by value when the members are unknown."""

    enum: str
    member: str | None
    value: Const = None


@dataclass(frozen=True, slots=True)
class NestedDefault:
    """A nested config instance default, with the keyword arguments written."""

    cls: str
    kwargs: tuple[tuple[str, Default], ...]


Default = ConstDefault | SequenceDefault | DictDefault | EnumDefault | NestedDefault


@dataclass(frozen=True, slots=True)
class CheckedField:
    """A field of a generated class; `default` None means the user must give it."""

    name: str
    type: ResolvedType | RangeParam | ChoiceParam
    default: Default | None
    help: str


@dataclass(frozen=True, slots=True)
class CheckedClass:
    """A generated config class, fields flattened through inheritance."""

    name: str
    is_tuner: bool
    fields: tuple[CheckedField, ...]
    help: str


@dataclass(frozen=True, slots=True)
class CheckedEnum:
    """An Enum the generated module defines (`module` None) or imports."""

    name: str
    module: str | None
    imported_name: str
    bases: tuple[str, ...]
    members: tuple[tuple[str, Const], ...]
    doc: str


@dataclass(frozen=True, slots=True)
class CheckedModule:
    """Everything emit needs for one source file."""

    source_name: str
    doc: str
    enums: tuple[CheckedEnum, ...]
    classes: tuple[CheckedClass, ...]
