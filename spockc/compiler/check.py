"""Stage 3: resolve and validate a parsed source file into a `CheckedModule`.

Every rule reports through one `Reporter`, so a file's errors come out
together, sorted by position. Config classes imported from other source files
are read from their parsed IR and emitted into this file's module when used.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from spockc.compiler import diagnostics as codes
from spockc.compiler import ir
from spockc.compiler.defaults import DefaultContext, read_default
from spockc.compiler.diagnostics import Reporter, did_you_mean, refusal_errors
from spockc.compiler.hyper import Report, check_hyper
from spockc.compiler.resolve import (
    FindModule,
    HyperMarker,
    Symbol,
    Symbols,
    TypeResolver,
)
from spockc.compiler.syntax import explain_unreadable

#: Names the generated module defines itself; a config class or Enum cannot use them.
RESERVED = frozenset(
    {"Spockspace", "SampledSpockspace", "ConfigArgBuilder", "SpockBuilder"}
    | {"dataclasses", "enum", "Literal", "annotations"}
)
_DECORATOR_KEYWORDS = ("dynamic",)


@dataclass(frozen=True, slots=True)
class _Written:
    """A field as written in some class of some file."""

    module: ir.SourceModule
    owner: str
    field: ir.Field


@dataclass(frozen=True, slots=True)
class _Resolved:
    """A field whose annotation has been resolved, default still as written."""

    written: _Written
    type: ir.ResolvedType | HyperMarker
    help: str


def check_module(main: ir.SourceModule, find_module: FindModule) -> ir.CheckedModule:
    """Return the checked form of `main`.

    Raises:
        CompileError: anything in the file (or a file it imports) is wrong.
    """
    checker = _Checker(main, find_module)
    checker.reporter.diagnostics.extend(refusal_errors(main))
    checked = checker.run()
    unique = list(dict.fromkeys(checker.reporter.diagnostics))
    checker.reporter.diagnostics = unique
    checker.reporter.raise_if_any()
    return checked


class _Checker:
    def __init__(self, main: ir.SourceModule, find_module: FindModule) -> None:
        self.main = main
        self.symbols = Symbols(find_module)
        self.reporter = Reporter()
        self.classes: dict[str, Symbol] = {}
        self.enums: dict[str, Symbol] = {}
        self.fields: dict[str, list[_Resolved]] = {}
        self._flattening: set[tuple[str, str]] = set()

    def error(
        self,
        module: ir.SourceModule,
        pos: ir.Pos,
        code: str,
        message: str,
        hint: str = "",
    ) -> None:
        where = (pos.line, pos.col)
        self.reporter.error(module.path, module.lines, where, code, message, hint)

    def run(self) -> ir.CheckedModule:
        self._check_module_level()
        for enum in self.main.enums:
            self.enums.setdefault(
                enum.name, Symbol("enum", self.main, enum, None, enum.name)
            )

        pending = [
            Symbol("config", self.main, cls, None, cls.name)
            for cls in self.main.classes
            if cls.decorator is not None
        ]
        while pending:
            symbol = pending.pop(0)
            if symbol.bound in self.classes:
                continue
            self.classes[symbol.bound] = symbol
            pending.extend(self._resolve_class(symbol))

        self._check_cycles()
        checked = [self._checked_class(name) for name in self.classes]
        enums = [self._checked_enum(symbol) for symbol in self.enums.values()]
        return ir.CheckedModule(
            source_name=self.main.path.replace("\\", "/").rsplit("/", 1)[-1],
            doc=self.main.doc,
            enums=tuple(e for e in enums if e is not None),
            classes=tuple(c for c in checked if c is not None),
        )

    def _check_module_level(self) -> None:
        m = self.main
        for alias in m.decorator_aliases:
            message = f"`{alias.name}` is assigned to another name; the compiler only reads decorators used directly"
            hint = f"write @{alias.name.rsplit('.', 1)[-1]} on the class instead of an alias"
            self.error(m, alias.pos, codes.DECORATOR_ALIAS, message, hint)

        seen: dict[str, ir.Pos] = {}
        named: list[tuple[str, ir.Pos, bool]] = [(e.name, e.pos, True) for e in m.enums]
        named += [(c.name, c.pos, c.decorator is not None) for c in m.classes]
        for name, pos, generated in sorted(
            named, key=lambda item: (item[1].line, item[1].col)
        ):
            if name in seen:
                first = seen[name]
                message = (
                    f"class `{name}` is defined twice (first at line {first.line})"
                )
                self.error(m, pos, codes.DUPLICATE_CLASS, message, "rename one of them")
            seen.setdefault(name, pos)
            if generated and name in RESERVED:
                message = f"`{name}` is a name the generated module defines itself"
                self.error(m, pos, codes.RESERVED_NAME, message, "rename the class")

        for cls in m.classes:
            if cls.decorator is not None:
                self._check_decorator(cls.decorator)

    def _check_decorator(self, decorator: ir.Decorator) -> None:
        for keyword in decorator.keywords:
            if keyword.name not in _DECORATOR_KEYWORDS:
                shown = keyword.name or "a positional argument"
                message = f"unknown decorator keyword `{shown}`"
                hint = (
                    did_you_mean(keyword.name, _DECORATOR_KEYWORDS)
                    or "the only keyword is `dynamic`"
                )
                self.error(
                    self.main, keyword.pos, codes.DECORATOR_KEYWORD, message, hint
                )
            elif not (
                isinstance(keyword.value, ir.ConstValue)
                and isinstance(keyword.value.value, bool)
            ):
                message = "`dynamic` must be True or False"
                self.error(self.main, keyword.pos, codes.DECORATOR_KEYWORD, message)

    def _flatten(
        self, module: ir.SourceModule, cls: ir.ClassDef, dynamic: bool
    ) -> list[_Written]:
        """Return the fields of `cls`, bases first; an override keeps the base's place."""
        key = (module.path, cls.name)
        if key in self._flattening:
            return []
        self._flattening.add(key)

        fields: list[_Written] = []
        for base in cls.bases:
            for inherited in self._base_fields(module, base, dynamic):
                fields = _merge(fields, inherited)

        seen: set[str] = set()
        for field in cls.fields:
            if field.name in seen:
                message = f"`{cls.name}.{field.name}` is declared twice"
                self.error(
                    module, field.pos, codes.DUPLICATE_FIELD, message, "remove one"
                )
            seen.add(field.name)
            self._check_field_name(module, cls.name, field)
            fields = _merge(fields, _Written(module, cls.name, field))

        self._flattening.discard(key)
        return fields

    def _check_field_name(
        self, module: ir.SourceModule, owner: str, field: ir.Field
    ) -> None:
        """Reject names that cannot be attributes of the generated class."""
        where = f"{owner}.{field.name}"
        if field.name.startswith("__"):
            message = f"{where}: Python mangles names that start with two underscores"
            self.error(module, field.pos, codes.RESERVED_NAME, message, "rename it")
        elif field.name.startswith("_spockc"):
            message = f"{where}: names starting with `_spockc` belong to the runtime"
            self.error(module, field.pos, codes.RESERVED_NAME, message, "rename it")

    def _base_fields(
        self, module: ir.SourceModule, base: ir.NameValue, dynamic: bool
    ) -> list[_Written]:
        if base.name in ("object", "typing.Generic"):
            return []
        symbol = self.symbols.lookup(module, base.name)
        if (
            symbol is not None
            and symbol.module is not None
            and isinstance(symbol.node, ir.ClassDef)
        ):
            node = symbol.node
            if symbol.kind == "config":
                decorator = node.decorator
                return self._flatten(symbol.module, node, _is_dynamic(decorator))
            if dynamic:
                return self._flatten(symbol.module, node, dynamic)
            message = f"base class `{base.name}` is not a config class"
            hint = "decorate it with @spock, or use @spock(dynamic=True) on this class"
            self.error(module, base.pos, codes.BAD_BASE, message, hint)
            return []
        message = f"cannot read base class `{base.name}`"
        hint = "config classes may inherit only from classes of source files the compiler reads"
        unreadable = module.unreadable_class(base.name)
        if unreadable is not None:
            message, hint = explain_unreadable(unreadable)
        self.error(module, base.pos, codes.BAD_BASE, message, hint)
        return []

    def _resolve_class(self, symbol: Symbol) -> list[Symbol]:
        """Resolve the field types of a config class; return the classes it nests."""
        assert symbol.module is not None and isinstance(symbol.node, ir.ClassDef)
        cls = symbol.node
        for name in cls.unannotated:
            message = f"{cls.name}.{name.name}: attribute has no type annotation"
            hint = f"annotate it: `{name.name}: <type> = ...`"
            self.error(symbol.module, name.pos, codes.UNANNOTATED, message, hint)

        written = self._flatten(symbol.module, cls, _is_dynamic(cls.decorator))
        resolved: list[_Resolved] = []
        nested: list[Symbol] = []
        for item in written:
            where = f"{item.owner}.{item.field.name}"
            resolver = TypeResolver(self.symbols, self.reporter, item.module, where)
            declared = resolver.annotation(item.field.annotation)
            nested.extend(self._collect(resolver, item))
            if declared is not None:
                resolved.append(_Resolved(item, declared, item.field.help))
        self.fields[symbol.bound] = resolved
        return nested

    def _collect(self, resolver: TypeResolver, item: _Written) -> list[Symbol]:
        """Record the Enums and classes a field uses; report name clashes."""
        found: list[Symbol] = []
        for name, symbol in [*resolver.enums.items(), *resolver.nested.items()]:
            known = self.enums.get(name) or self.classes.get(name)
            if known is not None and known.key != symbol.key:
                message = f"two different classes are named `{name}` ({known.key[0]} and {symbol.key[0]})"
                self.error(
                    item.module,
                    item.field.pos,
                    codes.DUPLICATE_CLASS,
                    message,
                    "rename one of them",
                )
                continue
            if symbol.kind == "enum":
                self.enums.setdefault(name, symbol)
            else:
                found.append(symbol)
        return found

    def _check_cycles(self) -> None:
        edges = {
            name: [(r, _nested_names(r.type)) for r in fields]
            for name, fields in self.fields.items()
        }
        reported: set[frozenset[str]] = set()
        for start in edges:
            path = _find_cycle(start, edges)
            if path is None or frozenset(path) in reported:
                continue
            reported.add(frozenset(path))
            first = next(r for r, names in edges[start] if path[1 % len(path)] in names)
            chain = " -> ".join([*path, path[0]])
            message = f"config classes nest each other in a cycle: {chain}"
            written = first.written
            self.error(
                written.module,
                written.field.pos,
                codes.NESTED_CYCLE,
                message,
                "break the cycle",
            )

    def _checked_class(self, name: str) -> ir.CheckedClass | None:
        symbol = self.classes[name]
        assert (
            isinstance(symbol.node, ir.ClassDef) and symbol.node.decorator is not None
        )
        is_tuner = symbol.node.decorator.kind == "tuner"
        self._check_shadowing(self.fields[name])
        fields = []
        for resolved in self.fields[name]:
            field = self._checked_field(resolved, is_tuner)
            if field is not None:
                fields.append(field)
        return ir.CheckedClass(name, is_tuner, tuple(fields), symbol.node.help)

    def _check_shadowing(self, fields: list[_Resolved]) -> None:
        """Reject a field named like a class or Enum that a later field's type uses."""
        earlier: dict[str, _Resolved] = {}
        for resolved in fields:
            used = _type_names(resolved.type)
            for name in sorted(used & set(earlier)):
                written = earlier[name].written
                message = f"field `{written.owner}.{name}` hides the type `{name}` from the fields after it"
                hint = "rename the field"
                self.error(
                    written.module,
                    written.field.pos,
                    codes.SHADOWED_TYPE,
                    message,
                    hint,
                )
                del earlier[name]
            earlier[resolved.written.field.name] = resolved

    def _checked_field(
        self, resolved: _Resolved, is_tuner: bool
    ) -> ir.CheckedField | None:
        written = resolved.written
        field = written.field
        where = f"{written.owner}.{field.name}"

        def report(pos: ir.Pos, code: str, message: str, hint: str) -> None:
            self.error(written.module, pos, code, f"{where}: {message}", hint)

        is_hyper = isinstance(resolved.type, HyperMarker)
        if is_hyper and not is_tuner:
            message = "hyper-parameters belong in a @spockTuner class"
            hint = "decorate the class with @spockTuner"
            report(field.pos, codes.HYPER_PARAMETER_IN_FIXED, message, hint)
            return None
        if is_tuner and not is_hyper:
            message = "a @spockTuner class holds only RangeHyperParameter and ChoiceHyperParameter fields"
            hint = "move this field to a @spock class"
            report(field.pos, codes.NOT_A_HYPER_PARAMETER, message, hint)
            return None

        if is_hyper:
            return self._checked_hyper_field(resolved, report)
        return self._checked_fixed_field(resolved, report)

    def _checked_hyper_field(
        self, resolved: _Resolved, report: Report
    ) -> ir.CheckedField | None:
        written, field = resolved.written, resolved.written.field
        assert isinstance(resolved.type, HyperMarker)
        default = field.default
        is_call = isinstance(default, ir.CallValue) and self._is_marker_call(
            written, default
        )
        param = check_hyper(resolved.type, default, is_call, report)
        if param is None:
            return None
        return ir.CheckedField(field.name, param, None, resolved.help)

    def _checked_fixed_field(
        self, resolved: _Resolved, report: Report
    ) -> ir.CheckedField | None:
        written, field = resolved.written, resolved.written.field
        assert not isinstance(resolved.type, HyperMarker)
        context = DefaultContext(
            lookup=lambda dotted: self.symbols.lookup(written.module, dotted),
            enum_members=self._enum_members,
            nested_field=self._nested_field,
            report=report,
        )

        default = _implicit_default(resolved.type)
        if field.default is not None:
            default = read_default(field.default, resolved.type, context)
            if default is None:
                return None
        return ir.CheckedField(field.name, resolved.type, default, resolved.help)

    def _is_marker_call(self, written: _Written, call: ir.CallValue) -> bool:
        qualified = written.module.qualify(call.func) or ""
        return qualified.rsplit(".", 1)[-1] in (
            "RangeHyperParameter",
            "ChoiceHyperParameter",
        )

    def _enum_members(self, name: str) -> tuple[tuple[str, ir.Const], ...] | None:
        symbol = self.enums.get(name)
        if symbol is None or not isinstance(symbol.node, ir.EnumDef):
            return None
        members = []
        for member in symbol.node.members:
            if not isinstance(member.value, ir.ConstValue):
                return None
            members.append((member.name, member.value.value))
        return tuple(members)

    def _nested_field(self, cls: str, field: str) -> ir.ResolvedType | None:
        for resolved in self.fields.get(cls, []):
            if resolved.written.field.name == field and not isinstance(
                resolved.type, HyperMarker
            ):
                return resolved.type
        return None

    def _checked_enum(self, symbol: Symbol) -> ir.CheckedEnum | None:
        if symbol.via is not None or not isinstance(symbol.node, ir.EnumDef):
            return ir.CheckedEnum(symbol.bound, symbol.via, symbol.bound, (), (), "")
        enum = symbol.node
        members = []
        for member in enum.members:
            if not isinstance(member.value, ir.ConstValue):
                message = f"`{enum.name}.{member.name}` must have a literal value to be copied into the generated module"
                self.error(
                    self.main,
                    member.pos,
                    codes.UNSUPPORTED_DEFAULT,
                    message,
                    "write the value out",
                )
                return None
            members.append((member.name, member.value.value))
        bases = tuple(_enum_base(self.main, base) for base in enum.bases)
        return ir.CheckedEnum(
            enum.name, None, enum.name, bases, tuple(members), enum.doc
        )


def _is_dynamic(decorator: ir.Decorator | None) -> bool:
    if decorator is None:
        return False
    for keyword in decorator.keywords:
        if keyword.name not in _DECORATOR_KEYWORDS:
            # Already reported; reading it as dynamic avoids a second, derived error.
            return True
        if keyword.name == "dynamic" and isinstance(keyword.value, ir.ConstValue):
            return keyword.value.value is True
    return False


def _merge(fields: list[_Written], new: _Written) -> list[_Written]:
    for index, old in enumerate(fields):
        if old.field.name == new.field.name:
            if not new.field.help:
                # An override without help text keeps the help of the base's field.
                field = dataclasses.replace(new.field, help=old.field.help)
                new = _Written(new.module, new.owner, field)
            return [*fields[:index], new, *fields[index + 1 :]]
    return [*fields, new]


def _implicit_default(declared: ir.ResolvedType) -> ir.Default | None:
    if isinstance(declared, ir.OptionalType):
        return ir.ConstDefault(None)
    if declared == ir.ScalarType("bool"):
        return ir.ConstDefault(False)
    return None


def _type_names(declared: ir.ResolvedType | HyperMarker) -> set[str]:
    """Return the class and Enum names (and `Literal`) a generated annotation uses."""
    if isinstance(declared, HyperMarker):
        return {"Literal"} if declared.kind == "choice" else set()
    if isinstance(declared, ir.EnumType):
        return {declared.name}
    if isinstance(declared, ir.ListType):
        return _type_names(declared.item)
    if isinstance(declared, ir.OptionalType):
        return _type_names(declared.inner)
    if isinstance(declared, ir.DictType):
        return _type_names(declared.value)
    if isinstance(declared, ir.TupleType):
        return set().union(*(_type_names(item) for item in declared.items))
    return _nested_names(declared)


def _nested_names(declared: ir.ResolvedType | HyperMarker) -> set[str]:
    if isinstance(declared, ir.NestedType):
        return {declared.name}
    if isinstance(declared, (ir.ListType,)):
        return _nested_names(declared.item)
    if isinstance(declared, ir.OptionalType):
        return _nested_names(declared.inner)
    if isinstance(declared, ir.DictType):
        return _nested_names(declared.value)
    if isinstance(declared, ir.TupleType):
        return set().union(*(_nested_names(item) for item in declared.items))
    return set()


def _find_cycle(
    start: str, edges: dict[str, list[tuple[_Resolved, set[str]]]]
) -> list[str] | None:
    """Return the classes of a cycle through `start`, or None."""
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    visited: set[str] = set()
    while stack:
        node, path = stack.pop()
        for _, names in edges.get(node, []):
            for name in sorted(names):
                if name == start:
                    return path
                if name not in visited:
                    visited.add(name)
                    stack.append((name, [*path, name]))
    return None


def _enum_base(module: ir.SourceModule, base: str) -> str:
    qualified = module.qualify(base)
    return qualified if qualified is not None else base
