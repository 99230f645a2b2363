"""CI smoke run of the benchmarks: spockc side only, smallest sizes, one repetition.

It checks that the suite still runs and reports real numbers; it asserts
nothing about speed (that is what `benchmarks/run` and RESULTS.md are for).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def smoke_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, Any]]:
    """Run `python -m benchmarks --smoke` once; return the report and its JSON."""
    folder = tmp_path_factory.mktemp("bench")
    out = folder / "RESULTS.md"
    command = [
        sys.executable,
        "-m",
        "benchmarks",
        "--smoke",
        "--work",
        str(folder / "work"),
        "--out",
        str(out),
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    return out.read_text(), json.loads(out.with_suffix(".json").read_text())


def positive(summary: dict[str, float]) -> bool:
    """Tell whether a min / median / max summary holds real, ordered timings."""
    return 0 < summary["min"] <= summary["median"] <= summary["max"]


def test_smoke_report_has_every_figure_heading(smoke_run: Any) -> None:
    text, _ = smoke_run
    for heading in ("## Headline", "## 1. Import", "## 2. Build", "## 3. Tuning"):
        assert heading in text
    assert "## 4. Compile" in text


def test_smoke_import_of_generated_module_loads_no_optuna_or_yaml(
    smoke_run: Any,
) -> None:
    _, figures = smoke_run
    [row] = [row for row in figures["imports"] if "generated" in row["label"]]
    assert positive(row["process_s"])
    assert positive(row["import_s"])
    assert row["loaded"] == []


def test_smoke_build_reports_first_and_later_calls_of_the_seed_classes(
    smoke_run: Any,
) -> None:
    _, figures = smoke_run
    [row] = figures["builds"]
    assert (row["size"], row["classes"], row["side"]) == ("small", 2, "spockc")
    assert positive(row["first_s"])
    assert positive(row["later_s"])
    assert positive(row["process_s"])
    assert row["rss_mb"]["median"] > 1


def test_smoke_tuning_times_both_samplers_against_raw_optuna(smoke_run: Any) -> None:
    _, figures = smoke_run
    assert [(row["sampler"], row["side"]) for row in figures["tuning"]] == [
        ("random", "spockc"),
        ("tpe", "spockc"),
    ]
    for row in figures["tuning"]:
        assert positive(row["raw_us"])
        assert positive(row["impl_us"])
    [memory] = figures["memory"]
    assert memory["rss_mb"]["median"] > 1


def test_smoke_compile_reports_time_and_generated_size(smoke_run: Any) -> None:
    _, figures = smoke_run
    [row] = figures["compiles"]
    assert row["classes"] == 50
    assert row["generated_lines"] > row["source_lines"] > 500
    assert positive(row["process_s"])
    assert positive(row["ast_s"])
    assert positive(row["libcst_s"])


def test_smoke_report_names_the_machine_and_the_command(smoke_run: Any) -> None:
    text, _ = smoke_run
    assert "- machine: " in text
    assert "--smoke" in text
    assert "- spockc environment: Python 3." in text


def test_smoke_breakdown_names_the_generated_module_and_runtime_files(
    smoke_run: Any,
) -> None:
    _, figures = smoke_run
    modules = [row["module"] for row in figures["import_breakdown"]]
    assert "bench_small_spock" in modules
    files = [row["file"] for row in figures["build_breakdown"]["rows"]]
    assert any(name.startswith("spockc/runtime/") for name in files)
    assert sum(row["share"] for row in figures["build_breakdown"]["rows"]) > 0.99


def test_profiled_files_are_named_from_the_package_in_a_clone_named_spockc(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.syspath_prepend(str(ROOT))
    from benchmarks.breakdown import _short

    clone = "/home/me/spockc"
    assert _short(f"{clone}/spockc/runtime/decode.py") == "spockc/runtime/decode.py"
    site = f"{clone}/.venv/lib/python3.11/site-packages"
    assert _short(f"{site}/yaml/__init__.py") == "yaml/__init__.py"
