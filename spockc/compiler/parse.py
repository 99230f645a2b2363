"""Stage 1: read source text into the IR; never import user code.

`parse_source` finds the imports, Enum classes and decorated config classes of
a module and records them as written, with 1-based positions. Names are not
resolved here (that is `check`); only decorators are, because they decide which
classes are config classes at all.

The reader is Python's own `ast`: importing libcst and parsing a 200-class file
with it takes 0.7-1 s, `ast` about 30 ms. libcst, which reads every Python
version, takes over when the running Python rejects a file (`_parse_newer`).
"""

from __future__ import annotations

import ast
import re
import sys
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from spockc.compiler import ir
from spockc.compiler.diagnostics import SYNTAX_ERROR, CompileError, Diagnostic

if TYPE_CHECKING:
    from collections.abc import Mapping

    import libcst
    from libcst.metadata import CodeRange

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
_ENTRY = re.compile(r"^(\w+)\s*(?:\([^)]*\))?\s*:\s*(.*)$")
_CLASS_NAME = re.compile(r"class\s+(?=\w)")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_PYTHON = ".".join(str(part) for part in sys.version_info[:2])
_NEWER_PYTHON_HINT = "if it is syntax of a newer Python, run spockc with that Python"


def explain_unreadable(cls: ir.NameValue) -> tuple[str, str]:
    """Return the message and hint for using a class left unread."""
    message = f"class `{cls.name}` (line {cls.pos.line}) uses syntax Python {_PYTHON} cannot read"
    return message, _NEWER_PYTHON_HINT


def parse_source(text: str, path: str) -> ir.SourceModule:
    """Parse `text`, the content of `path`, into a `SourceModule`.

    Raises:
        CompileError: the text is not valid Python.
    """
    text = text.removeprefix("\ufeff")  # a byte-order mark is not code, for Python
    lines = tuple(_LINE_BREAK.split(text))
    if lines and not lines[-1]:
        lines = lines[:-1]

    try:
        module, unreadable = _syntax_tree(text, path, lines)
        reader = _ModuleReader(lines)
        reader.read_imports(module)
        refused = [reader.refuse(statement, path) for statement in unreadable]
        problems = [problem for problem in refused if problem is not None]
        if problems:
            raise CompileError(problems)

        return reader.read(module, path, unreadable)
    except RecursionError:
        # Thousands of operators in a row: Python's parser gives up the same way.
        message = "invalid syntax: an expression nests too deeply to read"
        raise CompileError(
            [Diagnostic(path, 1, 1, SYNTAX_ERROR, message, "split it up", "")]
        ) from None


@dataclass(frozen=True, slots=True)
class _Unreadable:
    """A top-level statement this Python cannot read, left out of the tree."""

    kind: Literal["class", "import", "other"]
    name: str
    decorators: tuple[str, ...]
    name_pos: ir.Pos
    error_pos: ir.Pos
    error: str


def _syntax_tree(
    text: str, path: str, lines: tuple[str, ...]
) -> tuple[ast.Module, tuple[_Unreadable, ...]]:
    """Return the syntax tree of `text` and the statements left out of it."""
    try:
        return _parse(text), ()
    except (SyntaxError, ValueError) as error:  # ValueError: a null byte, on 3.11
        return _parse_newer(text, path, lines, error)


def _parse(text: str) -> ast.Module:
    """Parse `text` with the grammar of the running Python.

    Python warns about code it compiles, such as an invalid escape sequence; the
    user hears that when running the file, not from the compiler.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(text)


def _parse_expression(text: str) -> ast.expr | None:
    """Return the expression `text`, or None when it is not one."""
    try:
        body = _parse(text).body
    except (SyntaxError, ValueError):
        return None
    if len(body) == 1 and isinstance(body[0], ast.Expr):
        return body[0].value
    return None


def _parse_newer(
    text: str, path: str, lines: tuple[str, ...], error: SyntaxError | ValueError
) -> tuple[ast.Module, tuple[_Unreadable, ...]]:
    """Parse `text`, which this Python rejects, without what it cannot read.

    libcst reads the grammar of every Python version. When it rejects the text
    too, the text is wrong for any Python. Otherwise each top-level statement
    this Python cannot read is replaced by `pass` on its first line and blank
    lines after, so that every line keeps its number.

    Raises:
        CompileError: the text is not valid Python.
    """
    import libcst as cst  # half a second to import: only for such files
    from libcst.metadata import MetadataWrapper, PositionProvider

    try:
        tree = cst.parse_module(text)
        spans = MetadataWrapper(tree, unsafe_skip_copy=True).resolve(PositionProvider)
    except (cst.ParserSyntaxError, RecursionError):
        raise CompileError([_diagnose_syntax_error(error, path, lines)]) from None

    kept = list(lines)
    unreadable = []
    for statement in tree.body:
        parts = [*getattr(statement, "decorators", ()), statement]
        first, last = spans[parts[0]].start.line, spans[statement].end.line
        problem = _locate_python_error(lines[first - 1 : last], first)
        if problem is None:
            continue
        kept[first - 1 : last] = ["pass"] + [""] * (last - first)
        unreadable.append(_describe(statement, tree, spans, problem))

    try:
        return _parse("\n".join(kept)), tuple(unreadable)
    except (SyntaxError, ValueError):
        raise CompileError([_diagnose_syntax_error(error, path, lines)]) from None


def _locate_python_error(
    lines: tuple[str, ...], first: int
) -> tuple[ir.Pos, str] | None:
    """Return where and why this Python rejects `lines`, which start at line `first`."""
    try:
        _parse("\n" * (first - 1) + "\n".join(lines))
    except SyntaxError as error:
        return ir.Pos(error.lineno or first, max(error.offset or 1, 1)), error.msg
    except ValueError as error:  # a null byte, on 3.11
        return ir.Pos(first, 1), str(error)
    return None


def _describe(
    statement: libcst.CSTNode,
    tree: libcst.Module,
    spans: Mapping[libcst.CSTNode, CodeRange],
    problem: tuple[ir.Pos, str],
) -> _Unreadable:
    """Say what an unreadable top-level statement defines, for `_ModuleReader.refuse`."""
    import libcst as cst

    error_pos, message = problem
    if isinstance(statement, cst.ClassDef):
        start = spans[statement.name].start
        decorators = tuple(
            tree.code_for_node(d.decorator) for d in statement.decorators
        )
        name_pos = ir.Pos(start.line, start.column + 1)
        return _Unreadable(
            "class", statement.name.value, decorators, name_pos, error_pos, message
        )
    imports = isinstance(statement, cst.SimpleStatementLine) and any(
        isinstance(small, (cst.Import, cst.ImportFrom)) for small in statement.body
    )
    kind: Literal["import", "other"] = "import" if imports else "other"
    return _Unreadable(kind, "", (), error_pos, error_pos, message)


def _diagnose_syntax_error(
    error: SyntaxError | ValueError, path: str, lines: tuple[str, ...]
) -> Diagnostic:
    """Return the diagnostic of a syntax error, in Python's words.

    The line Python stops at may hold newer syntax that libcst reads; the real
    error is then further on, and Python finds it once such lines are blank.
    """
    error = _past_newer_syntax(error, list(lines))
    line, col, detail = 1, 1, str(error)
    if isinstance(error, SyntaxError):
        line, col, detail = error.lineno or 1, max(error.offset or 1, 1), error.msg
    elif "\0" in "\n".join(lines):
        line = next(n for n, text in enumerate(lines, 1) if "\0" in text)
        col = lines[line - 1].index("\0") + 1

    source_line = lines[line - 1] if 0 < line <= len(lines) else ""
    message = f"invalid syntax: {detail}"
    hint = "the file must be valid Python"
    return Diagnostic(path, line, col, SYNTAX_ERROR, message, hint, source_line)


def _past_newer_syntax(
    error: SyntaxError | ValueError, lines: list[str]
) -> SyntaxError | ValueError:
    """Return Python's first error that is not on a line of newer syntax."""
    while isinstance(error, SyntaxError) and _is_newer_syntax(lines, error.lineno):
        lines[(error.lineno or 1) - 1] = ""
        try:
            _parse("\n".join(lines))
        except (SyntaxError, ValueError) as later:
            error = later
            continue
        break
    return error


def _is_newer_syntax(lines: list[str], line: int | None) -> bool:
    """Tell whether libcst reads line `line` on its own (this Python did not)."""
    import libcst as cst

    if line is None or not 0 < line <= len(lines) or not lines[line - 1].strip():
        return False
    try:
        cst.parse_module(lines[line - 1].strip() + "\n")
    except (cst.ParserSyntaxError, RecursionError):
        return False
    return True


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

    def refuse(self, unreadable: _Unreadable, path: str) -> Diagnostic | None:
        """Return an error if the compiler needs a statement it cannot read."""
        if unreadable.kind == "import":
            message = (
                f"Python {_PYTHON} cannot read this line of imports: {unreadable.error}"
            )
        elif unreadable.kind == "class" and any(
            self._decorator_kind(_call_name(code)) for code in unreadable.decorators
        ):
            message = f"Python {_PYTHON} cannot read config class `{unreadable.name}`: {unreadable.error}"
        else:
            return None
        line, col = unreadable.error_pos.line, unreadable.error_pos.col
        source_line = self._lines[line - 1] if 0 < line <= len(self._lines) else ""
        return Diagnostic(
            path, line, col, SYNTAX_ERROR, message, _NEWER_PYTHON_HINT, source_line
        )

    def read(
        self, module: ast.Module, path: str, unreadable: tuple[_Unreadable, ...]
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
        )

    def _read_imports(self, statement: ast.stmt) -> None:
        if isinstance(statement, ast.Import):
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
        inner = _parse_expression(text)
        if inner is None:
            return ir.TypeString(value, None, pos)
        # Nodes parsed from the string are placed at the string, and read from it.
        string_reader = _ModuleReader(tuple(_LINE_BREAK.split(text)))
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
    expression = _parse_expression(code)
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
