"""Stage 1: read source text with libcst into the IR; never import user code.

`parse_source` finds the imports, Enum classes and decorated config classes of
a module and records them as written, with 1-based positions. Names are not
resolved here (that is `check`); only decorators are, because they decide which
classes are config classes at all.
"""

from __future__ import annotations

import ast
import inspect
import re
from collections.abc import Mapping, Sequence
from typing import Literal, cast

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

from spockc.compiler import ir
from spockc.compiler.diagnostics import SYNTAX_ERROR, CompileError, Diagnostic

#: Modules whose `spock` / `spockTuner` decorators compile here.
DECORATOR_MODULES = (
    "spockc",
    "spock",
    "spock.config",
    "spock.addons",
    "spock.addons.tune",
)
_DECORATORS = {
    **{f"{module}.spock": "fixed" for module in DECORATOR_MODULES},
    **{f"{module}.spockTuner": "tuner" for module in DECORATOR_MODULES},
}
_ENUM_BASES = {"enum.Enum", "enum.IntEnum", "enum.StrEnum", "enum.Flag", "enum.IntFlag"}
_NOWHERE = ir.Pos(0, 0)
_PARSER_POSITION = re.compile(r"error at (\d+):(\d+):?")
_ENTRY = re.compile(r"^(\w+)\s*(?:\([^)]*\))?\s*:\s*(.*)$")


def parse_source(text: str, path: str, *, positions: bool = True) -> ir.SourceModule:
    """Parse `text`, the content of `path`, into a `SourceModule`.

    Without `positions` every node is placed at 0:0; finding positions costs
    more than parsing, and only diagnostics need them.

    Raises:
        CompileError: the text is not valid Python.
    """
    lines = tuple(text.splitlines())
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as error:
        raise CompileError([_syntax_error(error, text, path, lines)]) from None

    reader = _ModuleReader(_positions(module) if positions else None)
    return reader.read(module, path, lines)


def _positions(module: cst.Module) -> Mapping[cst.CSTNode, CodeRange]:
    """Return the position of every node of `module`.

    Running the provider directly skips the metadata wrapper's extra walk over
    the tree, a third of the cost on large files; the wrapper is the fallback
    should libcst's internals change.
    """
    provider = PositionProvider()
    try:
        provider._gen_impl(module)
        return cast("Mapping[cst.CSTNode, CodeRange]", provider._computed)
    except AttributeError:  # pragma: no cover - a libcst without these internals
        return MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)


def _syntax_error(
    error: cst.ParserSyntaxError, text: str, path: str, lines: tuple[str, ...]
) -> Diagnostic:
    """Return the diagnostic of a syntax error, in Python's words where it has some.

    Python's own parser names the error the way users know it (an unclosed
    bracket at the bracket, an unterminated string at the string); libcst's
    message is the fallback for what only this Python version rejects.
    """
    line, col, detail = _python_syntax_error(text) or _libcst_syntax_error(error)
    message = f"invalid syntax: {detail}"
    source_line = lines[line - 1] if 0 < line <= len(lines) else ""
    hint = "the compiler reads the file with the newest Python grammar"
    return Diagnostic(path, line, col, SYNTAX_ERROR, message, hint, source_line)


def _python_syntax_error(text: str) -> tuple[int, int, str] | None:
    """Return where and why Python rejects `text`, or None if it accepts it."""
    try:
        ast.parse(text)
    except SyntaxError as error:
        if error.lineno is None:
            return None
        return error.lineno, max(error.offset or 1, 1), error.msg
    return None


def _libcst_syntax_error(error: cst.ParserSyntaxError) -> tuple[int, int, str]:
    """Return where and why libcst rejects the source."""
    line, col = error.raw_line, error.raw_column + 1
    # The native parser's raw position can lag; its message names the real one.
    found = _PARSER_POSITION.search(error.message)
    if found is not None:
        line, col = int(found.group(1)), int(found.group(2)) + 1
    detail = _PARSER_POSITION.sub("", error.message).replace("parser error: ", "")
    return line, col, detail.strip(": ")


class _ModuleReader:
    """Walk the top level of one module and build its IR."""

    def __init__(self, positions: Mapping[cst.CSTNode, CodeRange] | None) -> None:
        self._positions = positions
        self.imports: list[ir.ImportedName] = []
        self.module_aliases: list[tuple[str, str]] = []
        self._shell = ir.SourceModule("", "", (), (), (), (), (), ())

    def pos(self, node: cst.CSTNode) -> ir.Pos:
        """Return the 1-based start position of `node`."""
        if self._positions is None:
            return _NOWHERE
        code_range = self._positions[node]
        return ir.Pos(code_range.start.line, code_range.start.column + 1)

    def read(
        self, module: cst.Module, path: str, lines: tuple[str, ...]
    ) -> ir.SourceModule:
        """Return the IR of `module`."""
        for statement in module.body:
            self._read_imports(statement)
        self._shell = ir.SourceModule(
            path, "", (), (), tuple(self.imports), tuple(self.module_aliases), (), lines
        )

        classes: list[ir.ClassDef] = []
        enums: list[ir.EnumDef] = []
        aliases: list[ir.NameValue] = []
        for statement in module.body:
            if isinstance(statement, cst.ClassDef):
                if self._is_enum(statement):
                    enums.append(self._read_enum(statement))
                else:
                    classes.append(self._read_class(statement))
            elif isinstance(statement, cst.SimpleStatementLine):
                aliases.extend(self._decorator_aliases(statement))

        return ir.SourceModule(
            path=path,
            doc=_docstring(module.body),
            classes=tuple(classes),
            enums=tuple(enums),
            imports=tuple(self.imports),
            module_aliases=tuple(self.module_aliases),
            decorator_aliases=tuple(aliases),
            lines=lines,
        )

    def _read_imports(self, statement: cst.CSTNode) -> None:
        if not isinstance(statement, cst.SimpleStatementLine):
            return
        for small in statement.body:
            if isinstance(small, cst.Import):
                for alias in small.names:
                    dotted = _dotted(alias.name) or ""
                    if alias.asname is not None:
                        local = _dotted(alias.asname.name) or dotted
                        self.module_aliases.append((local, dotted))
                    else:
                        head = dotted.partition(".")[0]
                        self.module_aliases.append((head, head))
            elif isinstance(small, cst.ImportFrom) and not isinstance(
                small.names, cst.ImportStar
            ):
                module = "." * len(small.relative) + (
                    _dotted(small.module) or "" if small.module is not None else ""
                )
                for alias in small.names:
                    name = _dotted(alias.name) or ""
                    local = name
                    if alias.asname is not None:
                        local = _dotted(alias.asname.name) or name
                    self.imports.append(
                        ir.ImportedName(local, module, name, self.pos(alias))
                    )

    def _is_enum(self, node: cst.ClassDef) -> bool:
        for base in node.bases:
            dotted = _dotted(base.value)
            if dotted is not None and self._shell.qualify(dotted) in _ENUM_BASES:
                return True
        return False

    def _decorator(self, node: cst.ClassDef) -> ir.Decorator | None:
        for decorator in node.decorators:
            expression = decorator.decorator
            call = expression if isinstance(expression, cst.Call) else None
            dotted = _dotted(call.func if call is not None else expression)
            kind = (
                _DECORATORS.get(self._shell.qualify(dotted) or "") if dotted else None
            )
            if kind is None:
                continue

            keywords = []
            for arg in call.args if call is not None else ():
                name = arg.keyword.value if arg.keyword is not None else ""
                value = self._value(arg.value)
                keywords.append(ir.Keyword(name, value, self.pos(arg)))
            fixed_or_tuner: Literal["fixed", "tuner"] = (
                "fixed" if kind == "fixed" else "tuner"
            )
            return ir.Decorator(fixed_or_tuner, tuple(keywords), self.pos(expression))
        return None

    def _read_class(self, node: cst.ClassDef) -> ir.ClassDef:
        decorator = self._decorator(node)
        bases = tuple(
            ir.NameValue(_dotted(arg.value) or _code(arg.value), self.pos(arg.value))
            for arg in node.bases
            if arg.keyword is None
        )
        body = _body_lines(node)
        doc = _docstring(body)
        attributes = _attribute_help(doc)

        fields: list[ir.Field] = []
        unannotated: list[ir.NameValue] = []
        for line in body:
            for small in line.body:
                if isinstance(small, cst.AnnAssign) and isinstance(
                    small.target, cst.Name
                ):
                    fields.append(self._field(small, line, attributes))
                elif isinstance(small, cst.Assign):
                    for target in small.targets:
                        if isinstance(target.target, cst.Name):
                            name = target.target.value
                            unannotated.append(
                                ir.NameValue(name, self.pos(target.target))
                            )

        return ir.ClassDef(
            name=node.name.value,
            decorator=decorator,
            bases=bases,
            fields=tuple(fields),
            unannotated=tuple(unannotated),
            help=_summary(doc),
            pos=self.pos(node.name),
        )

    def _field(
        self,
        node: cst.AnnAssign,
        line: cst.SimpleStatementLine,
        attributes: dict[str, str],
    ) -> ir.Field:
        assert isinstance(node.target, cst.Name)
        name = node.target.value
        default = self._value(node.value) if node.value is not None else None
        help_text = attributes.get(name) or _comment_help(line)
        annotation = self._type(node.annotation.annotation, None)
        return ir.Field(name, annotation, default, help_text, self.pos(node.target))

    def _read_enum(self, node: cst.ClassDef) -> ir.EnumDef:
        body = _body_lines(node)
        members = []
        for line in body:
            for small in line.body:
                if isinstance(small, cst.Assign) and len(small.targets) == 1:
                    target = small.targets[0].target
                    if isinstance(target, cst.Name) and not target.value.startswith(
                        "_"
                    ):
                        value = self._value(small.value)
                        members.append(
                            ir.EnumMember(target.value, value, self.pos(target))
                        )
        bases = tuple(_dotted(arg.value) or _code(arg.value) for arg in node.bases)
        return ir.EnumDef(
            node.name.value,
            bases,
            tuple(members),
            _docstring(body),
            self.pos(node.name),
        )

    def _decorator_aliases(self, line: cst.SimpleStatementLine) -> list[ir.NameValue]:
        found = []
        for small in line.body:
            if isinstance(small, cst.Assign):
                dotted = _dotted(small.value)
                if dotted and self._shell.qualify(dotted) in _DECORATORS:
                    found.append(ir.NameValue(dotted, self.pos(small)))
        return found

    def _type(self, node: cst.BaseExpression, at: ir.Pos | None) -> ir.TypeExpr:
        pos = at or self.pos(node)
        dotted = _dotted(node)
        if dotted == "None":
            return ir.TypeNone(pos)
        if dotted is not None:
            return ir.TypeName(dotted, pos)
        if isinstance(node, cst.Ellipsis):
            return ir.TypeEllipsis(pos)
        if isinstance(node, cst.BinaryOperation) and isinstance(
            node.operator, cst.BitOr
        ):
            return ir.TypeUnion(
                self._type(node.left, at), self._type(node.right, at), pos
            )
        if isinstance(node, cst.Subscript):
            return self._subscript(node, at, pos)
        if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
            return self._string_type(node, pos)
        return ir.TypeOther(_code(node), pos)

    def _subscript(
        self, node: cst.Subscript, at: ir.Pos | None, pos: ir.Pos
    ) -> ir.TypeExpr:
        base = _dotted(node.value)
        if base is None:
            return ir.TypeOther(_code(node), pos)
        args: list[ir.TypeExpr] = []
        for element in node.slice:
            if isinstance(element.slice, cst.Index):
                args.append(self._type(element.slice.value, at))
            else:
                args.append(ir.TypeOther(_code(element.slice), at or self.pos(element)))
        base_pos = at or self.pos(node.value)
        return ir.TypeSubscript(ir.TypeName(base, base_pos), tuple(args), pos)

    def _string_type(
        self, node: cst.SimpleString | cst.ConcatenatedString, pos: ir.Pos
    ) -> ir.TypeExpr:
        text = node.evaluated_value
        if not isinstance(text, str):
            return ir.TypeOther(_code(node), pos)
        try:
            inner = cst.parse_expression(text.strip())
        except cst.ParserSyntaxError:
            return ir.TypeString(text, None, pos)
        # Nodes parsed from the string have no position of their own: use the string's.
        return ir.TypeString(text, self._type(inner, pos), pos)

    def _value(self, node: cst.BaseExpression, at: ir.Pos | None = None) -> ir.Value:
        pos = at or self.pos(node)
        if isinstance(node, (cst.Integer, cst.Float)):
            return ir.ConstValue(_number(node), pos)
        if isinstance(node, cst.UnaryOperation) and isinstance(
            node.operator, (cst.Minus, cst.Plus)
        ):
            inner = self._value(node.expression, at)
            is_number = isinstance(inner, ir.ConstValue) and type(inner.value) in (
                int,
                float,
            )
            if is_number and isinstance(inner, ir.ConstValue):
                sign = -1 if isinstance(node.operator, cst.Minus) else 1
                return ir.ConstValue(sign * inner.value, pos)  # type: ignore[operator]  # number
            return ir.OtherValue(_code(node), pos)
        if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
            text = node.evaluated_value
            if isinstance(text, str):
                return ir.ConstValue(text, pos)
            return ir.OtherValue(_code(node), pos)

        dotted = _dotted(node)
        if dotted in ("True", "False", "None"):
            return ir.ConstValue(
                {"True": True, "False": False, "None": None}[dotted], pos
            )
        if dotted is not None:
            return ir.NameValue(dotted, pos)
        return self._display(node, at, pos)

    def _display(
        self, node: cst.BaseExpression, at: ir.Pos | None, pos: ir.Pos
    ) -> ir.Value:
        if isinstance(node, (cst.List, cst.Tuple)):
            if any(not isinstance(e, cst.Element) for e in node.elements):
                return ir.OtherValue(_code(node), pos)
            kind: Literal["list", "tuple"] = (
                "list" if isinstance(node, cst.List) else "tuple"
            )
            items = tuple(self._value(e.value, at) for e in node.elements)
            return ir.SequenceValue(kind, items, pos)
        if isinstance(node, cst.Dict):
            pairs = []
            for element in node.elements:
                if not isinstance(element, cst.DictElement):
                    return ir.OtherValue(_code(node), pos)
                pairs.append(
                    (self._value(element.key, at), self._value(element.value, at))
                )
            return ir.DictValue(tuple(pairs), pos)
        if isinstance(node, cst.Call):
            return self._call(node, at, pos)
        return ir.OtherValue(_code(node), pos)

    def _call(self, node: cst.Call, at: ir.Pos | None, pos: ir.Pos) -> ir.Value:
        func = _dotted(node.func)
        if func is None or any(arg.star for arg in node.args):
            return ir.OtherValue(_code(node), pos)
        args = []
        keywords = []
        for arg in node.args:
            value = self._value(arg.value, at)
            if arg.keyword is None:
                args.append(value)
            else:
                keywords.append(
                    ir.Keyword(arg.keyword.value, value, at or self.pos(arg))
                )
        return ir.CallValue(func, tuple(args), tuple(keywords), pos)


def _number(node: cst.Integer | cst.Float) -> int | float:
    """Return the value of a number literal (`ast.literal_eval` is 10x slower)."""
    digits = node.value.replace("_", "")
    if isinstance(node, cst.Float):
        return float(digits)
    try:
        return int(digits, 0)
    except ValueError:  # leading zeros, as in `00`, which base 0 refuses
        value = ast.literal_eval(node.value)
        assert isinstance(value, int)
        return value


def _dotted(node: cst.CSTNode) -> str | None:
    """Return `a.b.c` for a Name or Attribute chain, else None."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        head = _dotted(node.value)
        return f"{head}.{node.attr.value}" if head is not None else None
    return None


def _code(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)


def _body_lines(node: cst.ClassDef) -> list[cst.SimpleStatementLine]:
    body = node.body
    if isinstance(body, cst.SimpleStatementSuite):
        line = cst.SimpleStatementLine(body=body.body)
        return [line]
    return [s for s in body.body if isinstance(s, cst.SimpleStatementLine)]


def _docstring(body: Sequence[cst.CSTNode]) -> str:
    """Return the cleaned docstring at the start of `body`, or an empty string."""
    if not body or not isinstance(body[0], cst.SimpleStatementLine):
        return ""
    first = body[0].body[0] if body[0].body else None
    if not isinstance(first, cst.Expr):
        return ""
    if not isinstance(first.value, (cst.SimpleString, cst.ConcatenatedString)):
        return ""
    text = first.value.evaluated_value
    return inspect.cleandoc(text) if isinstance(text, str) else ""


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


def _comment_help(line: cst.SimpleStatementLine) -> str:
    """Return the comment beside a field, else the comment lines just above it."""
    comment = line.trailing_whitespace.comment
    if comment is not None and _is_help(comment.value):
        return comment.value.lstrip("#").strip()

    above: list[str] = []
    for empty in line.leading_lines:
        if empty.comment is None:
            above = []
        elif _is_help(empty.comment.value):
            above.append(empty.comment.value.lstrip("#").strip())
    return " ".join(above)


def _is_help(comment: str) -> bool:
    text = comment.lstrip("#").strip()
    return bool(text) and not text.startswith(("type:", "noqa", "pyright:", "TODO"))
