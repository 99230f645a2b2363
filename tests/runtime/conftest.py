"""Fixtures of the runtime tests: compile inline sources and import the result."""

from __future__ import annotations

import itertools
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest

from spockc.compiler import compile_source
from spockc.runtime import ConfigError, Problem

Compile = Callable[[str], ModuleType]

_HEADER = (
    "from enum import Enum\n"
    "from typing import Dict, List, Optional, Tuple\n\n"
    "from spockc import ChoiceHyperParameter, RangeHyperParameter, spock, spockTuner\n\n"
)


@pytest.fixture(scope="session")
def _compile_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Compile]:
    """Compile each distinct source once per session, under a name of its own."""
    folder = tmp_path_factory.mktemp("generated")
    counter = itertools.count()
    modules: dict[str, ModuleType] = {}
    sys.path.insert(0, str(folder))

    def compile_and_import(source: str) -> ModuleType:
        text = textwrap.dedent(source)
        if "from spockc import" not in text:
            text = _HEADER + text
        if text in modules:
            return modules[text]
        stem = f"cfg_{next(counter)}"
        (folder / f"{stem}.py").write_text(text)
        generated = compile_source(text, f"{stem}.py", namespace_module=f"{stem}_spock")
        (folder / f"{stem}_spock.py").write_text(generated.namespace)
        if generated.sampler is not None:
            (folder / f"{stem}_spock_sampler.py").write_text(generated.sampler)
        __import__(f"{stem}_spock")
        modules[text] = sys.modules[f"{stem}_spock"]
        return modules[text]

    yield compile_and_import

    sys.path.remove(str(folder))
    for name in list(sys.modules):
        if name.startswith("cfg_"):
            del sys.modules[name]


@pytest.fixture
def compiled(_compile_cache: Compile) -> Compile:
    """Return a function that compiles a config source and imports its module.

    Sources without a `from spockc import` line get the usual imports prepended.
    The generated modules are never changed by tests, so each distinct source is
    compiled once per session.
    """
    return _compile_cache


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], str]:
    """Return a function that writes a dedented config file and returns its path."""

    def write_file(name: str, text: str) -> str:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"))
        return str(path)

    return write_file


def problems_of(build: Callable[[], object]) -> list[Problem]:
    """Return the problems of the ConfigError that `build` raises."""
    with pytest.raises(ConfigError) as caught:
        build()
    return list(caught.value.problems)
