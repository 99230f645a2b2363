"""Part of stage 3 (check): resolve names and annotations of the source IR.

A name in a source file is a config class, a plain class (a `dynamic=True`
base) or an Enum, found by reading the file that defines it; a name whose file
cannot be read is unknown.
Annotations resolve to `ir.ResolvedType`, or to the hyper-parameter markers.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from spockc.compiler import diagnostics as codes
from spockc.compiler import ir
from spockc.compiler.diagnostics import Reporter, did_you_mean
from spockc.compiler.parse import DECORATOR_MODULES
from spockc.compiler.syntax import explain_unreadable

#: Find the parsed module that `spec` (as written in an import of `importer`) names.
FindModule = Callable[[ir.SourceModule, str], "ir.SourceModule | None"]

_TYPING = ("typing", "typing_extensions")
_SCALARS = ("bool", "int", "float", "str")
_TYPING_GENERICS = ("Optional", "Union", "List", "Tuple", "Dict")
_BARE_GENERICS = ("list", "tuple", "dict", "typing.List", "typing.Tuple", "typing.Dict")
_SUPPORTED = (
    "use bool, int, float, str, list, tuple, dict, Optional, an Enum or a config class"
)
_MARKERS = {
    **{f"{module}.RangeHyperParameter": "range" for module in DECORATOR_MODULES},
    **{f"{module}.ChoiceHyperParameter": "choice" for module in DECORATOR_MODULES},
}


@dataclass(frozen=True, slots=True)
class Symbol:
    """What a class or Enum name refers to.

    `via` is the import spec, as the compiled file writes it, through which the
    generated module can import the object (None: defined in the compiled file);
    `bound` is the name it has in that module.
    """

    kind: Literal["config", "plain", "enum"]
    module: ir.SourceModule | None
    node: ir.ClassDef | ir.EnumDef | None
    via: str | None
    bound: str

    @property
    def key(self) -> tuple[str, str]:
        """Identify the definition: defining file and name."""
        path = self.module.path if self.module is not None else f"<{self.via}>"
        return (path, self.bound if self.node is None else self.node.name)


class Symbols:
    """Look names up in the compiled file and the source files it imports."""

    def __init__(self, find_module: FindModule) -> None:
        self._find_module = find_module
        self._via: dict[str, str] = {}
        self._looking_up: set[tuple[str, str]] = set()
        self._definitions: dict[str, dict[str, ir.ClassDef | ir.EnumDef]] = {}

    def lookup(
        self, module: ir.SourceModule, dotted: str, via: str | None = None
    ) -> Symbol | None:
        """Return the symbol `dotted` names in `module`, or None if unknown."""
        if via is None:
            via = self._via.get(module.path)
        if "." not in dotted:
            local = self._local(module, dotted, via)
            if local is not None:
                return local

        key = (module.path, dotted)
        if key in self._looking_up:
            return None  # source files importing a name from each other
        self._looking_up.add(key)
        try:
            return self._imported(module, dotted, via)
        finally:
            self._looking_up.discard(key)

    def can_find(self, module: ir.SourceModule, spec: str) -> bool:
        """Tell whether the source file of `spec`, imported by `module`, exists."""
        return self._find_module(module, spec) is not None

    def explain_missing(
        self, module: ir.SourceModule, spec: str, name: str
    ) -> tuple[str, str] | None:
        """Say why `name`, imported by `module` from `spec`, is not found there.

        None when the file of `spec` cannot be found, or when it imports the
        name from elsewhere in turn (the generic message then fits best).
        """
        target = self._find_module(module, spec)
        if target is None or any(i.local == name for i in target.imports):
            return None
        unreadable = target.unreadable_class(name)
        if unreadable is not None:
            message, hint = explain_unreadable(unreadable)
            return f"{target.path}: {message}", hint
        names = _definitions_of(target)
        if name in names:
            return None
        refused = next((r for r in target.refused if r.kind == "import"), None)
        if refused is not None:  # the name may come from that line
            return f"{target.path}:{refused.pos.line}: {refused.message}", refused.hint
        hint = did_you_mean(name, names) or f"define `{name}` in {target.path}"
        return f"`{spec}` ({target.path}) has no class or Enum `{name}`", hint

    def _imported(
        self, module: ir.SourceModule, dotted: str, via: str | None
    ) -> Symbol | None:
        head, _, rest = dotted.partition(".")
        for imported in module.imports:
            if imported.local == head:
                name = f"{imported.name}.{rest}" if rest else imported.name
                return self._through(module, imported.module, name, via)
        for local_name, spec in module.module_aliases:
            if local_name == head and rest:
                spec_rest, _, name = f"{spec}.{rest}".rpartition(".")
                return self._through(module, spec_rest, name, via)
        return None

    def _local(
        self, module: ir.SourceModule, name: str, via: str | None
    ) -> Symbol | None:
        definitions = self._definitions.get(module.path)
        if definitions is None:
            definitions = _definitions_of(module)
            self._definitions[module.path] = definitions
        node = definitions.get(name)
        if isinstance(node, ir.EnumDef):
            return Symbol("enum", module, node, via, name)
        if node is not None:
            kind: Literal["config", "plain"] = "config" if node.decorator else "plain"
            return Symbol(kind, module, node, via, name)
        return None

    def _through(
        self, module: ir.SourceModule, spec: str, name: str, via: str | None
    ) -> Symbol | None:
        if "." in name:
            return None
        if spec in _TYPING or spec in DECORATOR_MODULES or spec in ("enum", "builtins"):
            return None

        target = self._find_module(module, spec)
        outer_via = spec if via is None else via
        if target is not None:
            self._via.setdefault(target.path, outer_via)
        if target is None:
            return None
        found = self.lookup(target, name, outer_via)
        if found is None:
            return None
        if via is None:
            # The compiled file imports it from `spec` under this name.
            return Symbol(found.kind, found.module, found.node, spec, name)
        return found


def _is_tuner(symbol: Symbol) -> bool:
    node = symbol.node
    return (
        isinstance(node, ir.ClassDef)
        and node.decorator is not None
        and node.decorator.kind == "tuner"
    )


def _definitions_of(module: ir.SourceModule) -> dict[str, ir.ClassDef | ir.EnumDef]:
    """Index the classes and Enums of `module` by name; the first definition wins."""
    definitions: dict[str, ir.ClassDef | ir.EnumDef] = {}
    for enum in module.enums:
        definitions.setdefault(enum.name, enum)
    for cls in module.classes:
        definitions.setdefault(cls.name, cls)
    return definitions


@dataclass(frozen=True, slots=True)
class HyperMarker:
    """A hyper-parameter annotation: the marker kind and its subscript type."""

    kind: Literal["range", "choice"]
    value_type: ir.ScalarKind | None
    pos: ir.Pos


class TypeResolver:
    """Resolve the annotations written in one source file, reporting what fails."""

    def __init__(
        self, symbols: Symbols, reporter: Reporter, module: ir.SourceModule, where: str
    ) -> None:
        self.symbols = symbols
        self.reporter = reporter
        self.module = module
        self.where = where
        self.enums: dict[str, Symbol] = {}
        self.nested: dict[str, Symbol] = {}

    def error(self, pos: ir.Pos, code: str, message: str, hint: str = "") -> None:
        """Report `message` about the field being resolved."""
        text = f"{self.where}: {message}"
        m = self.module
        self.reporter.error(m.path, m.lines, (pos.line, pos.col), code, text, hint)

    def annotation(self, expr: ir.TypeExpr) -> ir.ResolvedType | HyperMarker | None:
        """Resolve a field annotation; None after reporting why it cannot be."""
        if isinstance(expr, ir.TypeString) and expr.expr is not None:
            return self._resolve(expr.expr, in_string=True, top=True)
        return self._resolve(expr, in_string=False, top=True)

    def _resolve(
        self, expr: ir.TypeExpr, *, in_string: bool, top: bool = False
    ) -> ir.ResolvedType | HyperMarker | None:
        if isinstance(expr, ir.TypeString):
            if expr.expr is None:
                self.error(
                    expr.pos, codes.UNSUPPORTED_TYPE, f"cannot parse {expr.text!r}"
                )
                return None
            return self._resolve(expr.expr, in_string=True, top=top)
        if isinstance(expr, ir.TypeUnion):
            return self._union([expr.left, expr.right], expr.pos, in_string)
        if isinstance(expr, ir.TypeSubscript):
            return self._subscript(expr, in_string, top)
        if isinstance(expr, ir.TypeName):
            return self._name(expr, in_string, top)
        what = "None" if isinstance(expr, ir.TypeNone) else getattr(expr, "code", "...")
        self.error(
            expr.pos, codes.UNSUPPORTED_TYPE, f"`{what}` is not a supported type"
        )
        return None

    def _qualified(self, name: str) -> str:
        """Return `typing.List` for `List` imported from typing, else `name`."""
        qualified = self.module.qualify(name)
        if qualified is None:
            return name
        module, _, attr = qualified.rpartition(".")
        if module in _TYPING:
            return f"typing.{attr}"
        return qualified

    def _name(
        self, expr: ir.TypeName, in_string: bool, top: bool
    ) -> ir.ResolvedType | HyperMarker | None:
        qualified = self._qualified(expr.name)
        if (
            qualified in _SCALARS
            and self.symbols.lookup(self.module, qualified) is None
        ):
            return ir.ScalarType(qualified)  # type: ignore[arg-type]  # one of _SCALARS
        marker = _MARKERS.get(qualified)
        if marker is not None:
            return self._marker(marker, None, expr.pos, top)
        if qualified in _BARE_GENERICS:
            message = f"`{expr.name}` needs item types, like `{expr.name}[int]`"
            self.error(expr.pos, codes.TYPE_ARGUMENTS, message, "give the item types")
            return None

        symbol = self.symbols.lookup(self.module, expr.name)
        if symbol is None:
            self._unknown(expr, in_string, qualified)
            return None
        return self._class_type(expr, symbol)

    def _class_type(self, expr: ir.TypeName, symbol: Symbol) -> ir.ResolvedType | None:
        """Return the type of a field annotated with the class `symbol`."""
        if symbol.kind == "enum":
            self.enums.setdefault(symbol.bound, symbol)
            return ir.EnumType(symbol.bound)
        if symbol.kind == "config" and _is_tuner(symbol):
            message = f"`{expr.name}` is a @spockTuner class, which no class can hold"
            hint = f"give {expr.name} to ConfigArgBuilder beside this class instead"
            self.error(expr.pos, codes.NESTED_TUNER, message, hint)
            return None
        if symbol.kind == "config":
            self.nested.setdefault(symbol.bound, symbol)
            return ir.NestedType(symbol.bound)

        message = f"`{expr.name}` is neither a config class nor an Enum"
        hint = "decorate it with @spock"
        if symbol.via is not None:
            message = f"`{expr.name}` from `{symbol.via}` is neither a config class nor an Enum"
            hint = _SUPPORTED
        self.error(expr.pos, codes.UNSUPPORTED_TYPE, message, hint)
        return None

    def _unknown(self, expr: ir.TypeName, in_string: bool, qualified: str) -> None:
        """Report a type name that is no type the compiler knows."""
        if qualified == expr.name:
            code, message, hint = self._unknown_here(expr, in_string)
        elif qualified.startswith(("typing.", "spock")):
            code, hint = codes.UNSUPPORTED_TYPE, _SUPPORTED
            message = f"`{expr.name}` ({qualified}) is not a supported type"
        else:
            code = codes.UNSUPPORTED_TYPE
            message, hint = self._unknown_import(expr.name, qualified)
        self.error(expr.pos, code, message, hint)

    def _unknown_import(self, name: str, qualified: str) -> tuple[str, str]:
        """Say why `name`, imported from another file as `qualified`, is no type."""
        module, _, imported = qualified.rpartition(".")
        if not self.symbols.can_find(self.module, module):
            message = f"`{name}`: cannot find the source file of `{module}`"
            hint = "the compiler looks beside this file, above its outermost package (the folders with __init__.py) and on sys.path"
            return message, hint
        explained = self.symbols.explain_missing(self.module, module, imported)
        if explained is not None:
            return explained
        message = f"`{name}` from `{module}` is not a config class or Enum the compiler can read"
        return message, "make it a @spock class or an Enum"

    def _unknown_here(self, expr: ir.TypeName, in_string: bool) -> tuple[str, str, str]:
        """Say why `expr`, a name neither defined nor imported here, is no type."""
        unreadable = self.module.unreadable_class(expr.name)
        if unreadable is not None:
            return (codes.UNKNOWN_TYPE, *explain_unreadable(unreadable))
        if hasattr(builtins, expr.name):  # `complex`, `bytes`, `set`: known, not ours
            message = f"`{expr.name}` is not a supported type"
            return codes.UNSUPPORTED_TYPE, message, _SUPPORTED

        place = " in string annotation" if in_string else ""
        message = f"unknown type name '{expr.name}'{place}"
        known = [*_SCALARS, "list", "tuple", "dict"]
        known += [c.name for c in self.module.classes]
        known += [e.name for e in self.module.enums]
        known += [i.local for i in self.module.imports]
        hint = did_you_mean(expr.name, known) or "define or import it in this file"
        return codes.UNKNOWN_TYPE, message, hint

    def _marker(
        self,
        kind: str,
        args: tuple[ir.TypeExpr, ...] | None,
        pos: ir.Pos,
        top: bool,
    ) -> HyperMarker | None:
        name = "RangeHyperParameter" if kind == "range" else "ChoiceHyperParameter"
        if not top:
            message = f"`{name}` must be the whole annotation of a field"
            self.error(pos, codes.UNSUPPORTED_TYPE, message)
            return None
        value_type: ir.ScalarKind | None = None
        if args is not None:
            allowed = ("int", "float") if kind == "range" else _SCALARS
            arg = args[0] if len(args) == 1 else None
            resolved = self._resolve(arg, in_string=False) if arg is not None else None
            if not isinstance(resolved, ir.ScalarType) or resolved.kind not in allowed:
                message = f"`{name}[...]` takes one of {', '.join(allowed)}"
                self.error(pos, codes.TYPE_ARGUMENTS, message)
                return None
            value_type = resolved.kind
        return HyperMarker("range" if kind == "range" else "choice", value_type, pos)

    def _subscript(
        self, expr: ir.TypeSubscript, in_string: bool, top: bool
    ) -> ir.ResolvedType | HyperMarker | None:
        base = self._qualified(expr.base.name)
        args = expr.args
        marker = _MARKERS.get(base)
        if marker is not None:
            return self._marker(marker, args, expr.pos, top)
        if base == "typing.Optional":
            if len(args) != 1:
                self.error(expr.pos, codes.TYPE_ARGUMENTS, "`Optional` takes one type")
                return None
            return self._union([args[0], ir.TypeNone(expr.pos)], expr.pos, in_string)
        if base == "typing.Union":
            return self._union(list(args), expr.pos, in_string)
        if base in ("list", "typing.List"):
            return self._list(expr, in_string)
        if base in ("tuple", "typing.Tuple"):
            return self._tuple(expr, in_string)
        if base in ("dict", "typing.Dict"):
            return self._dict(expr, in_string)

        message = f"`{expr.base.name}[...]` is not a supported type"
        self.error(expr.pos, codes.UNSUPPORTED_TYPE, message, self._generic_hint(expr))
        return None

    def _generic_hint(self, expr: ir.TypeSubscript) -> str:
        """Suggest the import, or the generic, that `Name[...]` probably meant."""
        name = expr.base.name
        if name in _TYPING_GENERICS and self._qualified(name) == name:
            return f"import it: `from typing import {name}`"
        known = ["list", "tuple", "dict", *_TYPING_GENERICS]
        known += [imported.local for imported in self.module.imports]
        return did_you_mean(name, known) or "use list, tuple, dict or Optional"

    def _inner(self, expr: ir.TypeExpr, in_string: bool) -> ir.ResolvedType | None:
        resolved = self._resolve(expr, in_string=in_string)
        if isinstance(resolved, HyperMarker):
            return None
        return resolved

    def _list(self, expr: ir.TypeSubscript, in_string: bool) -> ir.ResolvedType | None:
        if len(expr.args) != 1:
            self.error(expr.pos, codes.TYPE_ARGUMENTS, "a list takes one item type")
            return None
        item = self._inner(expr.args[0], in_string)
        return ir.ListType(item) if item is not None else None

    def _tuple(self, expr: ir.TypeSubscript, in_string: bool) -> ir.ResolvedType | None:
        args = expr.args
        if len(args) == 2 and isinstance(args[1], ir.TypeEllipsis):
            item = self._inner(args[0], in_string)
            return ir.TupleType((item,), variadic=True) if item is not None else None
        if not args or any(isinstance(arg, ir.TypeEllipsis) for arg in args):
            message = "a tuple takes item types, or one type and `...`"
            self.error(expr.pos, codes.TYPE_ARGUMENTS, message)
            return None
        items = [self._inner(arg, in_string) for arg in args]
        if any(item is None for item in items):
            return None
        return ir.TupleType(tuple(i for i in items if i is not None), variadic=False)

    def _dict(self, expr: ir.TypeSubscript, in_string: bool) -> ir.ResolvedType | None:
        if len(expr.args) != 2:
            self.error(
                expr.pos, codes.TYPE_ARGUMENTS, "a dict takes a key and a value type"
            )
            return None
        key = self._inner(expr.args[0], in_string)
        value = self._inner(expr.args[1], in_string)
        if key is not None and key != ir.ScalarType("str"):
            message = "dict keys must be str: config files only have string keys"
            pos = expr.args[0].pos
            self.error(pos, codes.DICT_KEY_NOT_STR, message, "use dict[str, ...]")
            return None
        return ir.DictType(value) if value is not None else None

    def _union(
        self, members: list[ir.TypeExpr], pos: ir.Pos, in_string: bool
    ) -> ir.ResolvedType | None:
        flat = _flatten_union(members)
        others = [m for m in flat if not isinstance(m, ir.TypeNone)]
        if len(others) != 1 or len(others) == len(flat):
            message = "unions other than `T | None` are not supported"
            hint = "use one type, or Optional[T]"
            self.error(pos, codes.UNSUPPORTED_TYPE, message, hint)
            return None
        inner = self._inner(others[0], in_string)
        if inner is None:
            return None
        if isinstance(inner, ir.OptionalType):
            return inner
        return ir.OptionalType(inner)


def _flatten_union(members: list[ir.TypeExpr]) -> list[ir.TypeExpr]:
    flat: list[ir.TypeExpr] = []
    for member in members:
        if isinstance(member, ir.TypeUnion):
            flat.extend(_flatten_union([member.left, member.right]))
        elif isinstance(member, ir.TypeString) and isinstance(
            member.expr, ir.TypeUnion
        ):
            flat.extend(_flatten_union([member.expr]))
        else:
            flat.append(member)
    return flat
