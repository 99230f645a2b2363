"""Stage 1: read a module's syntax tree into the IR; never import user code.

`parse_source` finds the imports, Enum classes and decorated config classes of
a module and records them as written, with 1-based positions. Names are not
resolved here (that is `check`); only decorators are, because they decide which
classes are config classes at all. The syntax tree comes from `syntax`.
"""

from __future__ import annotations

import ast
import re
from typing import Literal

from spockc.compiler import ir
from spockc.compiler.diagnostics import CompileError
from spockc.compiler.syntax import (
    NEWER_PYTHON_HINT,
    PYTHON_VERSION,
    Unreadable,
    parse_expression,
    read_syntax,
    too_deep,
)

#: Modules whose `spock` / `spockTuner` decorators compile here.
DECORATOR_MODULES = (
    "spockc",
    "spock",
    "spock.config",
    "spock.addons",
    "spock.addons.tune",
)
_DECORATORS: dict[str, Literal["fixed", "tuner"]] = {
    **{f"{module}.spock": "fixed" for module in DECORATOR_MODULES},
    **{f"{module}.spockTuner": "tuner" for module in DECORATOR_MODULES},
}
_ENUM_BASES = {"enum.Enum", "enum.IntEnum", "enum.StrEnum", "enum.Flag", "enum.IntFlag"}
_TYPE_CHECKING = {"typing.TYPE_CHECKING", "typing_extensions.TYPE_CHECKING"}
_ENTRY = re.compile(r"^(\w+)\s*(?:\([^)]*\))?\s*:\s*(.*)$")
_CLASS_NAME = re.compile(r"class\s+(?=\w)")


def parse_source(text: str, path: str) -> ir.SourceModule:
    """Parse `text`, the content of `path`, into a `SourceModule`.

    Raises:
        CompileError: the text is not valid Python.
    """
    try:
        tree = read_syntax(text, path)
        reader = _ModuleReader(tree.lines)
        reader.read_imports(tree.module)
        return reader.read(tree.module, path, tree.unreadable)
    except RecursionError:
        raise CompileError([too_deep(path)]) from None


class _ModuleReader:
    """Walk the top level of one module and build its IR."""

    def __init__(self, lines: tuple[str, ...]) -> None:
        self._lines = lines
        self.imports: list[ir.ImportedName] = []
        self.module_aliases: list[tuple[str, str]] = []
        # The imports alone, to qualify names before the module is read.
        self._imported = _imports_only((), ())

    def pos(self, node: ast.expr | ast.stmt | ast.alias | ast.keyword) -> ir.Pos:
        """Return the 1-based start position of `node`, in characters."""
        return ir.Pos(node.lineno, self._column(node.lineno, node.col_offset) + 1)

    def _column(self, line: int, offset: int) -> int:
        """Turn `ast`'s UTF-8 byte offset on `line` into a character offset."""
        text = self._lines[line - 1] if 0 < line <= len(self._lines) else ""
        if text.isascii():
            return offset
        return len(text.encode("utf-8")[:offset].decode("utf-8", "replace"))

    def code(self, node: ast.expr) -> str:
        """Return the source text of `node`, as written."""
        first, last = node.lineno - 1, (node.end_lineno or node.lineno) - 1
        end = node.end_col_offset or 0
        encoded = [line.encode("utf-8") for line in self._lines[first : last + 1]]
        if len(encoded) == 1:
            return encoded[0][node.col_offset : end].decode("utf-8", "replace")
        encoded[0], encoded[-1] = encoded[0][node.col_offset :], encoded[-1][:end]
        return "\n".join(part.decode("utf-8", "replace") for part in encoded)

    def read_imports(self, module: ast.Module) -> None:
        """Record the top-level imports of `module`; `read` and `refuse` need them."""
        for statement in module.body:
            self._read_imports(statement)
        self._imported = _imports_only(tuple(self.imports), tuple(self.module_aliases))

    def refuse(self, unreadable: Unreadable) -> ir.Refusal | None:
        """Return a refusal if the compiler needs a statement it cannot read."""
        if unreadable.kind == "import":
            message = f"Python {PYTHON_VERSION} cannot read this line of imports: {unreadable.error}"
        elif unreadable.kind == "class" and any(
            self._decorator_kind(_call_name(code)) for code in unreadable.decorators
        ):
            message = f"Python {PYTHON_VERSION} cannot read config class `{unreadable.name}`: {unreadable.error}"
        else:
            return None
        kind: Literal["class", "import"] = (
            "import" if unreadable.kind == "import" else "class"
        )
        return ir.Refusal(kind, unreadable.error_pos, message, NEWER_PYTHON_HINT)

    def read(
        self, module: ast.Module, path: str, unreadable: tuple[Unreadable, ...]
    ) -> ir.SourceModule:
        """Return the IR of `module`, after `read_imports`."""
        classes: list[ir.ClassDef] = []
        enums: list[ir.EnumDef] = []
        aliases: list[ir.NameValue] = []
        for statement in module.body:
            if isinstance(statement, ast.ClassDef):
                if self._is_enum(statement):
                    enums.append(self._read_enum(statement))
                else:
                    classes.append(self._read_class(statement))
            elif isinstance(statement, ast.Assign):
                aliases.extend(self._decorator_aliases(statement))

        return ir.SourceModule(
            path=path,
            doc=_docstring(module),
            classes=tuple(classes),
            enums=tuple(enums),
            imports=tuple(self.imports),
            module_aliases=tuple(self.module_aliases),
            decorator_aliases=tuple(aliases),
            lines=self._lines,
            unreadable=tuple(
                ir.NameValue(u.name, u.name_pos)
                for u in unreadable
                if u.kind == "class"
            ),
            refused=tuple(
                refusal
                for refusal in map(self.refuse, unreadable)
                if refusal is not None
            ),
        )

    def _read_imports(self, statement: ast.stmt) -> None:
        if isinstance(statement, ast.If) and self._is_type_checking(statement.test):
            # Names imported for type checkers only are types all the same: the
            # generated module imports what it needs at run time itself.
            for inner in statement.body:
                self._read_imports(inner)
        elif isinstance(statement, ast.Import):
            for alias in statement.names:
                if alias.asname is not None:
                    self.module_aliases.append((alias.asname, alias.name))
                else:
                    head = alias.name.partition(".")[0]
                    self.module_aliases.append((head, head))
        elif isinstance(statement, ast.ImportFrom):
            module = "." * statement.level + (statement.module or "")
            for alias in statement.names:
                if alias.name == "*":
                    continue
                local = alias.asname or alias.name
                self.imports.append(
                    ir.ImportedName(local, module, alias.name, self.pos(alias))
                )

    def _is_type_checking(self, test: ast.expr) -> bool:
        """Tell whether `test` is `TYPE_CHECKING` from `typing`, as imported so far."""
        dotted = _dotted(test)
        if dotted is None:
            return False
        imported = _imports_only(tuple(self.imports), tuple(self.module_aliases))
        return imported.qualify(dotted) in _TYPE_CHECKING

    def _is_enum(self, node: ast.ClassDef) -> bool:
        for base in node.bases:
            dotted = _dotted(base)
            if dotted is not None and self._imported.qualify(dotted) in _ENUM_BASES:
                return True
        return False

    def _decorator(self, node: ast.ClassDef) -> ir.Decorator | None:
        for expression in node.decorator_list:
            call = expression if isinstance(expression, ast.Call) else None
            kind = self._decorator_kind(
                _dotted(call.func if call is not None else expression)
            )
            if kind is None:
                continue

            keywords = self._decorator_keywords(call) if call is not None else ()
            return ir.Decorator(kind, keywords, self.pos(expression))
        return None

    def _decorator_kind(self, dotted: str | None) -> Literal["fixed", "tuner"] | None:
        """Return "fixed" or "tuner" if `dotted` names one of our decorators."""
        if dotted is None:
            return None
        return _DECORATORS.get(self._imported.qualify(dotted) or "")

    def _decorator_keywords(self, call: ast.Call) -> tuple[ir.Keyword, ...]:
        """Return the arguments of a decorator call in source order; unnamed ones as ''."""
        keywords = [
            ir.Keyword("", self._value(arg), self.pos(arg)) for arg in call.args
        ]
        keywords += [
            ir.Keyword(keyword.arg or "", self._value(keyword.value), self.pos(keyword))
            for keyword in call.keywords
        ]
        return tuple(sorted(keywords, key=lambda k: (k.pos.line, k.pos.col)))

    def _read_class(self, node: ast.ClassDef) -> ir.ClassDef:
        decorator = self._decorator(node)
        bases = tuple(
            ir.NameValue(_dotted(base) or self.code(base), self.pos(base))
            for base in node.bases
        )
        doc = _docstring(node)
        attributes = _attribute_help(doc)

        fields: list[ir.Field] = []
        unannotated: list[ir.NameValue] = []
        comments = _CommentFinder(self._lines, node)
        for statement in node.body:
            # `(x): int` annotates nothing at run time (`simple` is 0): not a field.
            if isinstance(statement, ast.AnnAssign) and statement.simple:
                assert isinstance(statement.target, ast.Name)
                name = statement.target.id
                help_text = attributes.get(name) or comments.help_of(statement)
                fields.append(self._field(statement, statement.target, help_text))
            elif isinstance(statement, ast.Assign):
                unannotated += [
                    ir.NameValue(target.id, self.pos(target))
                    for target in statement.targets
                    if isinstance(target, ast.Name)
                ]

        return ir.ClassDef(
            name=node.name,
            decorator=decorator,
            bases=bases,
            fields=tuple(fields),
            unannotated=tuple(unannotated),
            help=_summary(doc),
            pos=self._name_pos(node),
        )

    def _name_pos(self, node: ast.ClassDef) -> ir.Pos:
        """Return the position of the class's name (`ast` gives the `class` keyword)."""
        start = self.pos(node)
        line = self._lines[start.line - 1]
        keyword = _CLASS_NAME.match(line, start.col - 1)
        if keyword is None:  # the name is on a continuation line: use the keyword's
            return start
        return ir.Pos(start.line, keyword.end() + 1)

    def _field(self, node: ast.AnnAssign, target: ast.Name, help_text: str) -> ir.Field:
        default = self._value(node.value) if node.value is not None else None
        annotation = self._type(node.annotation, None)
        return ir.Field(target.id, annotation, default, help_text, self.pos(target))

    def _read_enum(self, node: ast.ClassDef) -> ir.EnumDef:
        members = []
        for statement in node.body:
            if not isinstance(statement, ast.Assign) or len(statement.targets) != 1:
                continue
            target = statement.targets[0]
            if isinstance(target, ast.Name) and not target.id.startswith("_"):
                value = self._value(statement.value)
                members.append(ir.EnumMember(target.id, value, self.pos(target)))
        bases = tuple(_dotted(base) or self.code(base) for base in node.bases)
        return ir.EnumDef(
            node.name, bases, tuple(members), _docstring(node), self._name_pos(node)
        )

    def _decorator_aliases(self, statement: ast.Assign) -> list[ir.NameValue]:
        dotted = _dotted(statement.value)
        if dotted and self._imported.qualify(dotted) in _DECORATORS:
            return [ir.NameValue(dotted, self.pos(statement))]
        return []

    def _type(self, node: ast.expr, at: ir.Pos | None) -> ir.TypeExpr:
        pos = at or self.pos(node)
        if isinstance(node, ast.Constant):
            return self._constant_type(node, pos)
        dotted = _dotted(node)
        if dotted is not None:
            return ir.TypeName(dotted, pos)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            return ir.TypeUnion(
                self._type(node.left, at), self._type(node.right, at), pos
            )
        if isinstance(node, ast.Subscript):
            return self._subscript(node, at, pos)
        return ir.TypeOther(self.code(node), pos)

    def _constant_type(self, node: ast.Constant, pos: ir.Pos) -> ir.TypeExpr:
        value = node.value
        if value is None:
            return ir.TypeNone(pos)
        if value is Ellipsis:
            return ir.TypeEllipsis(pos)
        if isinstance(value, bool):
            return ir.TypeName(str(value), pos)
        if not isinstance(value, str):
            return ir.TypeOther(self.code(node), pos)

        text = value.strip()
        inner = parse_expression(text)
        if inner is None:
            return ir.TypeString(value, None, pos)
        # Nodes parsed from the string are placed at the string, and read from it.
        string_reader = _ModuleReader(tuple(text.splitlines()))
        return ir.TypeString(value, string_reader._type(inner, pos), pos)

    def _subscript(
        self, node: ast.Subscript, at: ir.Pos | None, pos: ir.Pos
    ) -> ir.TypeExpr:
        base = _dotted(node.value)
        if base is None:
            return ir.TypeOther(self.code(node), pos)
        inside = node.slice
        elements = inside.elts if isinstance(inside, ast.Tuple) else [inside]
        args = tuple(self._type(element, at) for element in elements)
        base_pos = at or self.pos(node.value)
        return ir.TypeSubscript(ir.TypeName(base, base_pos), args, pos)

    def _value(self, node: ast.expr) -> ir.Value:
        pos = self.pos(node)
        if isinstance(node, ast.Constant):
            value = node.value
            if value is None or isinstance(value, (bool, int, float, str)):
                return ir.ConstValue(value, pos)
            return ir.OtherValue(self.code(node), pos)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            inner = self._value(node.operand)
            number = inner.value if isinstance(inner, ir.ConstValue) else None
            if isinstance(number, (int, float)) and not isinstance(number, bool):
                negative = isinstance(node.op, ast.USub)
                return ir.ConstValue(-number if negative else number, pos)
            return ir.OtherValue(self.code(node), pos)

        dotted = _dotted(node)
        if dotted is not None:
            return ir.NameValue(dotted, pos)
        return self._display(node, pos)

    def _display(self, node: ast.expr, pos: ir.Pos) -> ir.Value:
        if isinstance(node, (ast.List, ast.Tuple)):
            if any(isinstance(e, ast.Starred) for e in node.elts):
                return ir.OtherValue(self.code(node), pos)
            kind: Literal["list", "tuple"] = (
                "list" if isinstance(node, ast.List) else "tuple"
            )
            items = tuple(self._value(e) for e in node.elts)
            return ir.SequenceValue(kind, items, pos)
        if isinstance(node, ast.Dict):
            pairs = []
            for key, value in zip(node.keys, node.values, strict=True):
                if key is None:  # `**other`
                    return ir.OtherValue(self.code(node), pos)
                pairs.append((self._value(key), self._value(value)))
            return ir.DictValue(tuple(pairs), pos)
        if isinstance(node, ast.Call):
            return self._call(node, pos)
        return ir.OtherValue(self.code(node), pos)

    def _call(self, node: ast.Call, pos: ir.Pos) -> ir.Value:
        func = _dotted(node.func)
        starred = any(isinstance(arg, ast.Starred) for arg in node.args)
        if func is None or starred or any(k.arg is None for k in node.keywords):
            return ir.OtherValue(self.code(node), pos)
        args = tuple(self._value(arg) for arg in node.args)
        keywords = tuple(
            ir.Keyword(k.arg or "", self._value(k.value), self.pos(k))
            for k in node.keywords
        )
        return ir.CallValue(func, args, keywords, pos)


class _CommentFinder:
    """Find the comment beside or above each statement of one class body.

    A comment beside a line belongs to every statement on it; comment lines
    just above a line belong to the statements starting on it. A blank line or
    code in between parts them, and so does deeper indentation after a block
    (such a comment ends the method or `if` above, as libcst reads it too).
    """

    def __init__(self, lines: tuple[str, ...], node: ast.ClassDef) -> None:
        self._lines = lines
        # Where each line's last statement ends: a comment can only follow it.
        self._ends: dict[int, int] = {}
        for statement in node.body:
            end_line = statement.end_lineno or statement.lineno
            end = statement.end_col_offset or 0
            self._ends[end_line] = max(end, self._ends.get(end_line, 0))

        # For each statement, the last one that ended on an earlier line.
        self._before: dict[int, ast.stmt] = {}
        ended = 0  # how many statements end before the current one starts
        for statement in node.body:
            while (node.body[ended].end_lineno or 0) < statement.lineno:
                ended += 1
            if ended:
                self._before[id(statement)] = node.body[ended - 1]
        self._header_end = _find_header_end(node)

    def help_of(self, statement: ast.stmt) -> str:
        """Return the comment beside `statement`, else the comment lines just above it."""
        end_line = statement.end_lineno or statement.lineno
        beside = self._find_comment_after(end_line, self._ends[end_line])
        if beside is not None and _is_help(beside):
            return beside.lstrip("#").strip()

        before = self._before.get(id(statement))
        first = (before.end_lineno or before.lineno) if before else self._header_end
        ends_block = before is not None and hasattr(before, "body")
        indent = _indent(self._lines[statement.lineno - 1])
        above: list[str] = []
        for number in range(first + 1, statement.lineno):
            line = self._lines[number - 1]
            text = line.strip()
            inside_block = ends_block and _indent(line) > indent
            if not text.startswith("#") or inside_block:
                above = []
            elif _is_help(text):
                above.append(text.lstrip("#").strip())
        return " ".join(above)

    def _find_comment_after(self, line: int, offset: int) -> str | None:
        rest = self._lines[line - 1].encode("utf-8")[offset:].decode("utf-8", "replace")
        rest = rest.strip().lstrip(";").strip()  # `x: int = 1;  # help` is allowed
        return rest if rest.startswith("#") else None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _find_header_end(node: ast.ClassDef) -> int:
    """Return the last line of a class header that `ast` tells about.

    The closing `):` of a header spread over lines may come later; it is code,
    so it parts any comment before it from the first field anyway.
    """
    ends = [
        part.end_lineno or part.lineno
        for part in (*node.bases, *(k.value for k in node.keywords))
    ]
    return max([node.lineno, *ends])


def _imports_only(
    imports: tuple[ir.ImportedName, ...], module_aliases: tuple[tuple[str, str], ...]
) -> ir.SourceModule:
    """Return a module holding only imports, to qualify names with."""
    return ir.SourceModule(
        path="",
        doc="",
        classes=(),
        enums=(),
        imports=imports,
        module_aliases=module_aliases,
        decorator_aliases=(),
        lines=(),
    )


def _call_name(code: str) -> str | None:
    """Return the dotted name a decorator written as `code` calls or names."""
    expression = parse_expression(code)
    if isinstance(expression, ast.Call):
        expression = expression.func
    return _dotted(expression) if expression is not None else None


def _dotted(node: ast.expr) -> str | None:
    """Return `a.b.c` for a Name or Attribute chain, else None."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        head = _dotted(node.value)
        return f"{head}.{node.attr}" if head is not None else None
    return None


def _docstring(node: ast.Module | ast.ClassDef) -> str:
    """Return the cleaned docstring of `node`, or an empty string."""
    return ast.get_docstring(node, clean=True) or ""


def _summary(doc: str) -> str:
    """Return the first paragraph of a docstring, on one line."""
    paragraph = doc.strip().split("\n\n", 1)[0]
    return " ".join(paragraph.split())


def _attribute_help(doc: str) -> dict[str, str]:
    """Return the entries of the Google-style `Attributes:` section of `doc`."""
    entries: dict[str, list[str]] = {}
    current: list[str] | None = None
    entry_indent = -1
    in_section = False
    for line in doc.splitlines():
        indent = len(line) - len(line.lstrip())
        stripped = line.strip()
        if not in_section:
            in_section = stripped == "Attributes:" and indent == 0
            continue
        if stripped and indent == 0:
            break
        if not stripped:
            current = None
            continue
        match = _ENTRY.match(stripped)
        if match and (entry_indent < 0 or indent <= entry_indent):
            entry_indent = indent
            current = entries.setdefault(match.group(1), [])
            current.append(match.group(2))
        elif current is not None:
            current.append(stripped)
    return {name: " ".join(" ".join(parts).split()) for name, parts in entries.items()}


def _is_help(comment: str) -> bool:
    text = comment.lstrip("#").strip()
    return bool(text) and not text.startswith(("type:", "noqa", "pyright:", "TODO"))
