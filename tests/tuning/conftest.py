"""Fixtures of the tuning tests: the iris modules and compiled sources on sys.path."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

IRIS = Path(__file__).resolve().parents[2] / "examples" / "iris"

_GENERATED = ("config_spock", "config_spock_sampler")


def forget_generated() -> None:
    """Drop the generated modules a test imported, so the next one imports its own."""
    for name in _GENERATED:
        sys.modules.pop(name, None)


@pytest.fixture
def on_path() -> Iterator[list[str]]:
    """Let a test put folders on sys.path; forget them and the generated modules."""
    added: list[str] = []
    forget_generated()
    yield added
    for folder in added:
        sys.path.remove(folder)
    forget_generated()


@pytest.fixture
def iris(on_path: list[str]) -> ModuleType:
    """Return the iris example's generated namespace module."""
    sys.path.insert(0, str(IRIS))
    on_path.append(str(IRIS))
    import config_spock

    return config_spock
