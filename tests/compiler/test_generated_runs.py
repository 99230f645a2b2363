"""Generated modules import and build with the runtime, without the source or spock."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

import pytest

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
MODULES = sorted(
    (case.name, path.stem)
    for case in GOLDEN.iterdir()
    if (case / "input").is_dir()
    for path in case.glob("*_spock*.py")
)


def load(case: str, module: str, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """Import a golden output the way a user's program would."""
    monkeypatch.syspath_prepend(str(GOLDEN / case))
    monkeypatch.syspath_prepend(str(GOLDEN / case / "input"))
    for name in [n for n in sys.modules if n.endswith("_spock") or "_spock_" in n]:
        monkeypatch.delitem(sys.modules, name)
    return importlib.import_module(module)


@pytest.mark.parametrize(("case", "module"), MODULES)
def test_golden_module_imports_without_the_source(
    case: str, module: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded = load(case, module, monkeypatch)
    if module.endswith("_sampler"):
        assert callable(loaded.make_distributions)
    else:
        assert loaded.ConfigArgBuilder.schema.classes


def test_namespace_module_never_imports_spock_or_the_source(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "spock", None)  # an import of spock would now fail
    loaded = load("spock_compat", "spock_compat_spock", monkeypatch)
    assert [spec.name for spec in loaded.ConfigArgBuilder.schema.classes] == [
        "A",
        "B",
        "C",
        "D",
        "H",
    ]


def test_c06_nested_default_instances_keep_their_arguments(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ns = load("nested", "nested_spock", monkeypatch)
    required = ["--Net.required", "Layer"]
    built = ns.ConfigArgBuilder(ns.Net, ns.Layer, ns.Aug, args=required).generate()
    assert (built.Net.enc.width, built.Net.enc.depth) == (64, 2)
    assert (built.Net.dec.width, built.Net.dec.depth) == (32, 3)
    assert built.Net.plain == built.Layer


def test_c06_override_of_the_nested_class_reaches_every_instance(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ns = load("nested", "nested_spock", monkeypatch)
    args = ["--Layer.depth", "4", "--Net.required", "Layer"]
    builder = ns.ConfigArgBuilder(ns.Net, ns.Layer, ns.Aug, args=args)
    built = builder.generate()
    assert (built.Net.enc.width, built.Net.enc.depth) == (64, 4)


def test_nested_defaults_inside_a_list_are_built(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ns = load("nested", "nested_spock", monkeypatch)
    args = ["--Net.required", "Layer"]
    built = ns.ConfigArgBuilder(ns.Net, ns.Layer, ns.Aug, args=args).generate()
    assert built.Net.stack == [ns.Layer(width=1, depth=2), ns.Layer(width=8, depth=2)]
