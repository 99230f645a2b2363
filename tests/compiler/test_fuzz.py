"""Any combination of annotations and defaults compiles or gives diagnostics; never a crash."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spockc.compiler import CompileError, compile_source, emit

PRELUDE = """\
from enum import Enum
from typing import Dict, List, Optional, Tuple
from spockc import ChoiceHyperParameter, RangeHyperParameter, spock, spockTuner

class Color(Enum):
    red = "red"
    blue = "blue"

@spock
class Layer:
    width: int = 8
"""

LEAVES = ["int", "float", "str", "bool", "Color", "Layer", "Unknwn", "None", "set[int]"]
DEFAULTS = [
    "None",
    "1",
    "-2.5",
    '"x"',
    "True",
    "[1, 2]",
    "(1, 'a')",
    '{"a": 1}',
    "[]",
    "Color.red",
    '"red"',
    "Layer()",
    "Layer(width=1)",
    "Layer",
    "1 + 2",
    "foo()",
    "RangeHyperParameter(bounds=[1, 2])",
    'ChoiceHyperParameter(choices=["a"])',
]
MARKERS = [
    "RangeHyperParameter",
    "RangeHyperParameter[int]",
    "ChoiceHyperParameter[str]",
]


def wrap(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        inner.map(lambda t: f"List[{t}]"),
        inner.map(lambda t: f"list[{t}]"),
        inner.map(lambda t: f"Optional[{t}]"),
        inner.map(lambda t: f"{t} | None"),
        inner.map(lambda t: f"tuple[{t}, ...]"),
        st.tuples(inner, inner).map(lambda p: f"Tuple[{p[0]}, {p[1]}]"),
        inner.map(lambda t: f"Dict[str, {t}]"),
        inner.map(lambda t: f"dict[int, {t}]"),
        inner.map(lambda t: f'"{t}"'),
    )


ANNOTATIONS = st.one_of(
    st.recursive(st.sampled_from(LEAVES), wrap, max_leaves=4), st.sampled_from(MARKERS)
)
FIELDS = st.lists(
    st.tuples(ANNOTATIONS, st.none() | st.sampled_from(DEFAULTS)),
    min_size=1,
    max_size=4,
)


def source_of(decorator: str, fields: list[tuple[str, str | None]]) -> str:
    lines = [PRELUDE, f"@{decorator}", "class Generated:"]
    for index, (annotation, default) in enumerate(fields):
        tail = f" = {default}" if default is not None else ""
        lines.append(f"    f{index}: {annotation}{tail}")
    return "\n".join(lines) + "\n"


@settings(max_examples=150, deadline=None)
@given(decorator=st.sampled_from(["spock", "spockTuner"]), fields=FIELDS)
def test_any_field_compiles_to_valid_python_or_gives_diagnostics(
    decorator: str, fields: list[tuple[str, str | None]]
) -> None:
    source = source_of(decorator, fields)
    with pytest.MonkeyPatch.context() as patch:
        # Formatting is ruff's job and costs a process per example: check syntax only.
        patch.setattr(emit, "format_code", lambda text, target: text)
        try:
            generated = compile_source(source, "fuzz.py")
        except CompileError as error:
            assert error.diagnostics
            assert all(d.path == "fuzz.py" and d.line >= 1 for d in error.diagnostics)
            return
    compile(generated.namespace, "fuzz_spock.py", "exec")
    if generated.sampler is not None:
        compile(generated.sampler, "fuzz_spock_sampler.py", "exec")
