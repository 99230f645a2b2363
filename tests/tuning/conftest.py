"""Fixtures of the tuning tests: the iris modules and compiled sources on sys.path."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest


def _stub_builder_if_missing() -> None:
    # TODO: temporary, until spockc/runtime/builder.py lands: a stand-in with the
    # two names the runtime package re-exports, so the tuner can be tested alone.
    try:
        import spockc.runtime  # noqa: F401
    except ModuleNotFoundError as exc:
        if exc.name != "spockc.runtime.builder":
            raise
        from typing import Any, Generic, TypedDict, TypeVar

        fixed_t, sampled_t = TypeVar("fixed_t"), TypeVar("sampled_t")
        stub = ModuleType("spockc.runtime.builder")

        class ConfigArgBuilder(Generic[fixed_t, sampled_t]):
            pass

        stub.ConfigArgBuilder = ConfigArgBuilder  # type: ignore[attr-defined]
        stub.TunerStatus = TypedDict("TunerStatus", {"study": Any, "trial": Any})  # type: ignore[attr-defined]
        sys.modules["spockc.runtime.builder"] = stub


_stub_builder_if_missing()

IRIS = Path(__file__).resolve().parents[2] / "examples" / "iris"

_GENERATED = ("config_spock", "config_spock_sampler")


def _forget_generated() -> None:
    for name in _GENERATED:
        sys.modules.pop(name, None)


@pytest.fixture
def on_path() -> Iterator[list[str]]:
    """Let a test put folders on sys.path; forget them and the generated modules."""
    added: list[str] = []
    _forget_generated()
    yield added
    for folder in added:
        sys.path.remove(folder)
    _forget_generated()


@pytest.fixture
def iris(on_path: list[str]) -> ModuleType:
    """Return the iris example's generated namespace module."""
    sys.path.insert(0, str(IRIS))
    on_path.append(str(IRIS))
    import config_spock

    return config_spock
