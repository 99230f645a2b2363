"""Stage 4: render a `CheckedModule` to the text of the generated modules.

Everything the templates print is decided here, in Python: annotations,
schema expressions, docstrings, local names. The templates only loop. The
rendered text is then passed through ruff (import sorting and formatting)
with the target path, so the user's project settings apply.
"""

from __future__ import annotations

import builtins
import importlib.util
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from spockc.compiler import ir
from spockc.compiler.defaults import describe
from spockc.compiler.format import format_code

_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
_SCALAR_SPECS = {
    "bool": "_rt.BOOL",
    "int": "_rt.INT",
    "float": "_rt.FLOAT",
    "str": "_rt.STR",
}
_SHADOWABLE = frozenset({"bool", "int", "float", "str", "list", "tuple", "dict"})
_SAMPLER_NAMES = frozenset(
    {"definitions", "distributions", "classes", "study", "trial", "params", "built"}
    | {"optuna", "Collection", "Mapping", "Any", "build"}
    | {"BaseDistribution", "FloatDistribution"}
    | {"IntDistribution", "CategoricalDistribution", "make_distributions", "sample"}
    | set(dir(builtins))
)


@dataclass(frozen=True, slots=True)
class Target:
    """Where generated modules go and how their header names the source.

    `source` is the source path relative to the generated files' directory;
    `directory` is that directory, used only to find the formatter's settings.
    """

    source: str
    regenerate: str
    directory: str
    namespace_module: str
    package: str | None


@dataclass(frozen=True, slots=True)
class GeneratedModules:
    """The text of the generated namespace module and, with tuner classes, sampler."""

    namespace: str
    sampler: str | None


def render(module: ir.CheckedModule, target: Target) -> GeneratedModules:
    """Render and format the generated modules of `module`."""
    environment = _environment()
    namespace = environment.get_template("namespace.py.j2").render(
        **_namespace_context(module, target)
    )
    namespace_path = str(Path(target.directory) / f"{target.namespace_module}.py")
    namespace = format_code(namespace, namespace_path)

    if not any(cls.is_tuner for cls in module.classes):
        return GeneratedModules(namespace, None)
    sampler = environment.get_template("sampler.py.j2").render(
        **_sampler_context(module, target)
    )
    sampler_path = str(Path(target.directory) / f"{target.namespace_module}_sampler.py")
    return GeneratedModules(namespace, format_code(sampler, sampler_path))


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(_TEMPLATES),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )


def docstring(text: str) -> str:
    """Return `text` as a triple-quoted string literal, escaped."""
    body = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    if body.endswith('"'):
        body = body[:-1] + '\\"'
    return f'"""{body}"""'


def literal(value: ir.Const) -> str:
    """Return Python source for a constant."""
    if isinstance(value, float) and not math.isfinite(value):
        return f'float("{value}")'
    return repr(value)


# --- Namespace module. --------------------------------------------------------


def _namespace_context(module: ir.CheckedModule, target: Target) -> dict[str, object]:
    fixed = [cls.name for cls in module.classes if not cls.is_tuner]
    tuned = [cls.name for cls in module.classes if cls.is_tuner]
    local_enums = [enum for enum in module.enums if enum.module is None]

    names = [cls.name for cls in module.classes] + [enum.name for enum in local_enums]
    names += ["ConfigArgBuilder", "SpockBuilder", "Spockspace"]
    if tuned:
        names.append("SampledSpockspace")

    title = f"Typed configuration compiled from {module.source_name}."
    doc = f"{title}\n\n{module.doc.strip()}\n" if module.doc.strip() else title
    return {
        "source": target.source,
        "regenerate": target.regenerate,
        "source_name": module.source_name,
        "module_doc": docstring(doc),
        "imports": _namespace_imports(module, target),
        "all_names": sorted(names),
        "enums": [_enum_view(enum) for enum in local_enums],
        "classes": [_class_view(cls) for cls in module.classes],
        "fixed": fixed,
        "tuned": tuned,
        "fixed_slots": slots_literal(fixed),
        "tuned_slots": slots_literal(tuned),
        "sampled_space": "SampledSpockspace" if tuned else "Spockspace",
        "sampler": 'f"{__name__}_sampler"' if tuned else "None",
    }


def _import_spec(spec: str, target: Target) -> str:
    """Return how the generated module imports `spec`, which the source imports.

    A relative import names a sibling of the source; generated files written
    elsewhere (`--out-dir`) reach it through the source's package instead.
    """
    is_beside_source = "/" not in target.source
    if is_beside_source or not spec.startswith(".") or target.package is None:
        return spec
    return importlib.util.resolve_name(spec, target.package)


def _namespace_imports(module: ir.CheckedModule, target: Target) -> list[str]:
    imports = {"from spockc import runtime as _rt"}
    if any(enum.module is None for enum in module.enums):
        imports.add("import enum")
    for enum in module.enums:
        if enum.module is not None:
            alias = f" as {enum.name}" if enum.imported_name != enum.name else ""
            spec = _import_spec(enum.module, target)
            imports.add(f"from {spec} import {enum.imported_name}{alias}")
    annotations = [text for cls in module.classes for text in class_annotations(cls)]
    uses_literal = any("Literal[" in text for text in annotations)
    if any("builtins." in text for text in annotations):
        imports.add("import builtins")
    if uses_literal:
        imports.add("from typing import Literal")
    return sorted(imports)


def _enum_view(enum: ir.CheckedEnum) -> dict[str, object]:
    bases = list(enum.bases)
    return {
        "name": enum.name,
        "bases": ", ".join(bases) or "enum.Enum",
        "doc": docstring(enum.doc) if enum.doc else "",
        "members": [(name, literal(value)) for name, value in enum.members],
    }


def class_annotations(cls: ir.CheckedClass) -> list[str]:
    """Return the annotation of each field, avoiding names earlier fields shadow.

    A field named `int` or `list` hides that builtin from the annotations after
    it in the class body, for type checkers; those are written `builtins.int`.
    """
    annotations = []
    shadowed: set[str] = set()
    for field in cls.fields:
        text = annotation(field.type)
        for name in sorted(shadowed):
            text = re.sub(rf"(?<![\w.]){name}\b", f"builtins.{name}", text)
        annotations.append(text)
        if field.name in _SHADOWABLE:
            shadowed.add(field.name)
    return annotations


def _class_view(cls: ir.CheckedClass) -> dict[str, object]:
    fields = [
        {
            "name": field.name,
            "annotation": text,
            "doc": _field_doc(field, cls.is_tuner),
            "spec": field_spec(field),
        }
        for field, text in zip(cls.fields, class_annotations(cls), strict=True)
    ]
    return {
        "name": cls.name,
        "doc": docstring(cls.help) if cls.help else "",
        "help": literal(cls.help) if cls.help else "",
        "is_tuner": cls.is_tuner,
        "fields": fields,
        "slots": slots_literal([field.name for field in cls.fields]),
    }


def slots_literal(names: Sequence[str]) -> str:
    """Return a `__slots__` tuple of `names`, sorted as ruff's RUF023 wants them.

    The runtime orders fields by their annotations, so the slots' order is free;
    ruff sorts by code point, comparing runs of digits as numbers.
    """
    ordered = sorted(names, key=_natural_key)
    return (
        f"({', '.join(repr(name) for name in ordered)}{',' if len(names) == 1 else ''})"
    )


def _natural_key(name: str) -> list[tuple[int, int, str]]:
    chunks = re.findall(r"\d+|\D+", name)
    return [(0, int(c), c) if c.isdigit() else (1, 0, c) for c in chunks]


def _field_doc(field: ir.CheckedField, is_tuner: bool) -> str:
    parts = [field.help] if field.help else []
    if field.default is not None and not is_tuner:
        shown = f"(default: {show_default(field.default)})"
        parts.append(shown)
    return docstring(" ".join(parts)) if parts else ""


def annotation(declared: ir.ResolvedType | ir.RangeParam | ir.ChoiceParam) -> str:
    """Return the annotation of a generated field."""
    if isinstance(declared, ir.RangeParam):
        return declared.value_type or "int | float"
    if isinstance(declared, ir.ChoiceParam):
        return _choice_annotation(declared)
    return describe(declared)


def _choice_annotation(param: ir.ChoiceParam) -> str:
    allowed = param.allowed
    can_be_literal = allowed is not None and all(
        isinstance(choice, (bool, int, str)) for choice in allowed
    )
    if param.value_type == "float" or not can_be_literal or allowed is None:
        return param.value_type or "str | int | float | bool"
    unique = list(dict.fromkeys((type(c), c) for c in allowed))
    return f"Literal[{', '.join(literal(c) for _, c in unique)}]"


def show_default(default: ir.Default) -> str:
    """Return a default as the field docstring shows it."""
    if isinstance(default, ir.NestedDefault):
        kwargs = ", ".join(f"{name}={show_default(v)}" for name, v in default.kwargs)
        return f"{default.cls}({kwargs})"
    return default_code(default, nested_as_schema=False)


def default_code(default: ir.Default, nested_as_schema: bool = True) -> str:
    """Return Python source for a default, as the schema holds it."""
    if isinstance(default, ir.ConstDefault):
        return literal(default.value)
    if isinstance(default, ir.SequenceDefault):
        items = [default_code(item, nested_as_schema) for item in default.items]
        if default.kind == "list":
            return f"[{', '.join(items)}]"
        return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"
    if isinstance(default, ir.DictDefault):
        pairs = [
            f"{literal(k)}: {default_code(v, nested_as_schema)}"
            for k, v in default.items
        ]
        return "{" + ", ".join(pairs) + "}"
    if isinstance(default, ir.EnumDefault):
        if default.member is not None:
            return f"{default.enum}.{default.member}"
        return f"{default.enum}({literal(default.value)})"
    if not nested_as_schema:
        return show_default(default)
    if not default.kwargs:
        return "_rt.NestedDefault()"
    pairs = [f"{literal(name)}: {default_code(v)}" for name, v in default.kwargs]
    return "_rt.NestedDefault({" + ", ".join(pairs) + "})"


def type_spec(declared: ir.ResolvedType) -> str:
    """Return the `_rt` TypeSpec expression of a declared type."""
    if isinstance(declared, ir.ScalarType):
        return _SCALAR_SPECS[declared.kind]
    if isinstance(declared, ir.ListType):
        return f"_rt.ListOf({type_spec(declared.item)})"
    if isinstance(declared, ir.TupleType):
        items = [type_spec(item) for item in declared.items]
        inner = f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"
        variadic = ", variadic=True" if declared.variadic else ""
        return f"_rt.TupleOf({inner}{variadic})"
    if isinstance(declared, ir.DictType):
        return f"_rt.DictOf({type_spec(declared.value)})"
    if isinstance(declared, ir.OptionalType):
        return f"_rt.OptionalOf({type_spec(declared.inner)})"
    if isinstance(declared, ir.EnumType):
        return f"_rt.EnumOf({declared.name})"
    return f"_rt.NestedOf({literal(declared.name)})"


def field_spec(field: ir.CheckedField) -> str:
    """Return the schema entry of one field."""
    declared = field.type
    args = [literal(field.name)]
    if isinstance(declared, ir.RangeParam):
        kind = "RangeSpec"
        if declared.value_type is not None:
            args.append(f"value_type={literal(declared.value_type)}")
        if declared.default is not None:
            args.append(f"default={_range_definition(declared.default)}")
    elif isinstance(declared, ir.ChoiceParam):
        kind = "ChoiceSpec"
        if declared.value_type is not None:
            args.append(f"value_type={literal(declared.value_type)}")
        if declared.default is not None:
            args.append(f"default={_choice_definition(declared.default)}")
        if declared.allowed is not None:
            args.append(f"allowed={_const_tuple(declared.allowed)}")
    else:
        kind = "FieldSpec"
        args.append(type_spec(declared))
        if field.default is not None:
            args.append(f"default={default_code(field.default)}")
    if field.help:
        args.append(f"help={literal(field.help)}")
    return _call(f"_rt.{kind}", args)


def _call(func: str, args: Sequence[str]) -> str:
    """Return a call with a trailing comma, so the formatter puts one argument a line."""
    return f"{func}({', '.join(args)},)"


def _const_tuple(values: Sequence[ir.Const]) -> str:
    items = [literal(value) for value in values]
    return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"


def _range_definition(definition: ir.RangeDef) -> str:
    args = []
    if definition.type is not None:
        args.append(f"type={literal(definition.type)}")
    if definition.bounds is not None:
        args.append(f"bounds={_const_tuple(definition.bounds)}")
    if definition.log_scale:
        args.append("log_scale=True")
    if definition.step is not None:
        args.append(f"step={literal(definition.step)}")
    return _call("_rt.RangeDefinition", args) if args else "_rt.RangeDefinition()"


def _choice_definition(definition: ir.ChoiceDef) -> str:
    args = []
    if definition.type is not None:
        args.append(f"type={literal(definition.type)}")
    if definition.choices is not None:
        args.append(f"choices={_const_tuple(definition.choices)}")
    return _call("_rt.ChoiceDefinition", args) if args else "_rt.ChoiceDefinition()"


# --- Sampler module. -----------------------------------------------------------


def _sampler_context(module: ir.CheckedModule, target: Target) -> dict[str, object]:
    tuned = [cls for cls in module.classes if cls.is_tuner]
    reserved = set(_SAMPLER_NAMES) | {cls.name for cls in tuned}
    used: set[str] = set()
    distributions: set[str] = {"BaseDistribution"}
    classes = []
    for cls in tuned:
        params = []
        for field in cls.fields:
            local = _local_name(cls.name, field.name, reserved | used)
            used.add(local)
            getter, code, kinds = _distribution(field, local)
            distributions |= kinds
            key = f"{cls.name}.{field.name}"
            params.append(
                {
                    "name": field.name,
                    "key": key,
                    "local": local,
                    "getter": getter,
                    "distribution": code,
                }
            )
        classes.append({"name": cls.name, "params": params})

    imports = [
        "from collections.abc import Collection, Mapping",
        "from typing import Any",
        "import optuna",
        f"from optuna.distributions import {', '.join(sorted(distributions))}",
        "from spockc import runtime as _rt",
    ]
    # Whether a linter files the sibling namespace module as first- or
    # third-party depends on where it runs and on whether the file exists yet, so
    # it stays out of the sorted block, on one line that never wraps.
    if target.package:
        namespace_import = f"from . import {target.namespace_module} as _ns"
    else:
        namespace_import = f"import {target.namespace_module} as _ns"
    return {
        "source": target.source,
        "regenerate": target.regenerate,
        "source_name": module.source_name,
        "imports": sorted(imports),
        "namespace_import": f"{namespace_import}  # isort: skip",
        "classes": classes,
    }


def _local_name(cls: str, field: str, taken: set[str]) -> str:
    name = field
    if name in taken or name.startswith("_"):
        name = f"{cls.lower()}_{field.lstrip('_')}"
    while name in taken:
        name += "_"
    return name


def _distribution(field: ir.CheckedField, local: str) -> tuple[str, str, set[str]]:
    declared = field.type
    if isinstance(declared, ir.ChoiceParam):
        return (
            "choices",
            f"CategoricalDistribution({local}.choices)",
            {"CategoricalDistribution"},
        )
    assert isinstance(declared, ir.RangeParam)

    bounds = f"{local}.low, {local}.high, log={local}.log, step={local}.step"
    integer = f"IntDistribution({bounds})"
    real = f"FloatDistribution({bounds})"
    if declared.value_type == "int":
        return "int_range", integer, {"IntDistribution"}
    if declared.value_type == "float":
        return "float_range", real, {"FloatDistribution"}
    either = f"({integer} if isinstance({local}, _rt.IntRange) else {real})"
    return "range", either, {"IntDistribution", "FloatDistribution"}
