"""Say where spockc's time goes, so a missed target comes with its reason.

Two breakdowns, both of the spockc side only: the import of a generated module
by module (`python -X importtime`), and a steady-state build by source file
(`cProfile`, own time of each function summed per file).
"""

from __future__ import annotations

import cProfile
import importlib
import pstats
import statistics
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from benchmarks.inputs import Case


def import_breakdown(
    python: str, folder: Path, module: str, repeats: int
) -> list[dict[str, Any]]:
    """Return the modules whose own import time is largest, median of `repeats`.

    Each row gives the module, its own time and its cumulative time, in ms;
    modules a bare interpreter imports at startup are left out.
    """
    code = f"import sys; sys.path.insert(0, {str(folder)!r}); import {module}"
    bare = subprocess.run(
        [python, "-X", "importtime", "-c", "import sys"],
        capture_output=True,
        text=True,
        check=True,
    )
    # What the interpreter imports at startup anyway is not the module's cost.
    startup = {name for name, _, _ in _importtime_rows(bare.stderr)}
    own: dict[str, list[float]] = defaultdict(list)
    cumulative: dict[str, list[float]] = defaultdict(list)
    for _ in range(max(repeats, 1)):
        done = subprocess.run(
            [python, "-X", "importtime", "-c", code],
            capture_output=True,
            text=True,
            check=True,
        )
        for name, self_us, total_us in _importtime_rows(done.stderr):
            own[name].append(self_us / 1e3)
            cumulative[name].append(total_us / 1e3)

    rows: list[dict[str, Any]] = [
        {
            "module": name,
            "own_ms": statistics.median(values),
            "cumulative_ms": statistics.median(cumulative[name]),
        }
        for name, values in own.items()
        if name not in startup
    ]
    rows.sort(key=lambda row: row["own_ms"], reverse=True)
    return rows


def _importtime_rows(stderr: str) -> list[tuple[str, int, int]]:
    """Parse `-X importtime` lines: `import time: self | cumulative | name`."""
    rows = []
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "[us]" in line:
            continue
        self_us, total_us, name = line.removeprefix("import time:").split("|")
        rows.append((name.strip(), int(self_us), int(total_us)))
    return rows


def build_breakdown(case: Case, calls: int = 10) -> dict[str, Any]:
    """Profile `calls` steady-state spockc builds of `case`; time per source file.

    Runs in this process (the spockc environment) after one unprofiled build,
    so imports and first-call caches are out of the picture.
    """
    sys.path.insert(0, str(case.source.parent))
    module = importlib.import_module(f"{case.module}_spock")
    classes = [getattr(module, name) for name in case.classes]
    command_line = case.command_line()

    def build() -> None:
        module.ConfigArgBuilder(*classes, args=command_line).generate()

    build()
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(calls):
        build()
    profile.disable()

    by_file: dict[str, float] = defaultdict(float)
    raw_stats: dict[Any, Any] = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    for (filename, _, _), (_, _, own, _, _) in raw_stats.items():
        by_file[_short(filename)] += own
    total = sum(by_file.values())
    rows = [
        {"file": name, "ms_per_call": seconds / calls * 1e3, "share": seconds / total}
        for name, seconds in sorted(by_file.items(), key=lambda item: -item[1])
    ]
    return {"size": case.name, "calls": calls, "rows": rows}


def _short(filename: str) -> str:
    """Name a profiled file by its package path, or say it is built in."""
    if filename == "~":
        return "built-in functions"
    parts = Path(filename).parts
    for anchor in ("site-packages", "spockc"):
        if anchor in parts:
            # The last one: a clone of the repository may itself be named spockc.
            last = len(parts) - 1 - parts[::-1].index(anchor)
            return "/".join(parts[last + (anchor == "site-packages") :])
    return "standard library" if "lib" in parts else Path(filename).name
