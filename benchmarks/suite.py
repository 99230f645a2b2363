"""The four figures: import, build, tuning and compile, each spockc vs spock-config.

Every figure runs both implementations in the same run, repetition by
repetition, swapping which goes first each time, and keeps every number so the
report can give min / median / max and the spockc / spock ratio of medians.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.breakdown import build_breakdown, import_breakdown
from benchmarks.child import import_code
from benchmarks.inputs import SIZES, Case, generated_source, write_case
from benchmarks.measure import Process, Stats, run_child, run_process

ROOT = Path(__file__).resolve().parents[1]
IRIS = ROOT / "examples" / "iris"


@dataclass(frozen=True)
class Settings:
    """What one run measures, and with which interpreters."""

    work: Path
    sizes: tuple[str, ...]
    compile_sizes: tuple[int, ...]
    repeats: int
    trials: int
    spock_python: str | None
    ax_stand_in: bool
    warm_up: bool = True
    spock_build_limit: float = 20.0
    python: str = sys.executable


@dataclass
class Figures:
    """Every measurement of a run, as JSON-ready values."""

    imports: list[dict[str, Any]] = field(default_factory=list)
    builds: list[dict[str, Any]] = field(default_factory=list)
    tuning: list[dict[str, Any]] = field(default_factory=list)
    memory: list[dict[str, Any]] = field(default_factory=list)
    compiles: list[dict[str, Any]] = field(default_factory=list)
    import_breakdown: list[dict[str, Any]] = field(default_factory=list)
    build_breakdown: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def alternate(
    repeats: int, runs: dict[str, Callable[[], Any]], warm_up: bool = True
) -> dict[str, list[Any]]:
    """Call each run `repeats` times, reversing their order every other round.

    With `warm_up`, each run is called once more first and that result dropped:
    the first process after writing a module also writes its bytecode cache.
    """
    names = list(runs)
    if warm_up:
        for name in names:
            runs[name]()
    results: dict[str, list[Any]] = {name: [] for name in names}
    for round_number in range(repeats):
        for name in names if round_number % 2 == 0 else names[::-1]:
            results[name].append(runs[name]())
    return results


def stats(values: list[float]) -> dict[str, float]:
    """Return min / median / max of `values` as a dict."""
    return Stats.of(values).as_dict()


def prepare_cases(settings: Settings) -> dict[str, Case]:
    """Write every size's source and YAML, and compile each source with spockc."""
    cases = {name: write_case(name, settings.work) for name in settings.sizes}
    spockc = str(Path(settings.python).with_name("spockc"))
    for case in cases.values():
        subprocess.run(
            [spockc, "compile", str(case.source)], check=True, capture_output=True
        )
        write_main_scripts(case, settings.ax_stand_in)
    return cases


def write_main_scripts(case: Case, ax_stand_in: bool) -> None:
    """Write the two whole programs that build `case` from their command line."""
    names = ", ".join(case.classes)
    spockc = [
        f"from {case.module}_spock import ConfigArgBuilder, {names}",
        "",
        f'ConfigArgBuilder({names}, desc="bench").generate()',
    ]
    spock = [
        "import warnings",
        "",
        'warnings.simplefilter("ignore")',
        *_stand_in_lines(ax_stand_in),
        "from spock import SpockBuilder",
        f"from {case.module} import {names}",
        "",
        f'SpockBuilder({names}, desc="bench").generate()',
    ]
    folder = case.source.parent
    (folder / f"main_spockc_{case.name}.py").write_text("\n".join(spockc) + "\n")
    (folder / f"main_spock_{case.name}.py").write_text("\n".join(spock) + "\n")


def _stand_in_lines(ax_stand_in: bool) -> list[str]:
    """Return the lines that install child.py's Ax stand-in, when it is used."""
    if not ax_stand_in:
        return []
    return [
        "import sys",
        f"sys.path.insert(0, {str(Path(__file__).parent)!r})",
        "import child",
        "child.install_ax_stand_in()",
    ]


def measure_imports(
    settings: Settings, cases: dict[str, Case], figures: Figures
) -> None:
    """Figure 1: a fresh interpreter importing each side's modules."""
    case = cases["medium"] if "medium" in cases else cases[settings.sizes[0]]
    path = str(settings.work)

    def importer(
        python: str, modules: list[str], stand_in: bool = False
    ) -> Callable[[], Process]:
        arguments = {"path": path, "modules": modules, "ax_stand_in": stand_in}
        command = [python, "-c", import_code(arguments)]
        return lambda: run_process(command, cwd=settings.work)

    runs = {
        "spockc: bare interpreter": importer(settings.python, []),
        f"spockc: generated {case.name} module + runtime": importer(
            settings.python, [f"{case.module}_spock"]
        ),
    }
    if settings.spock_python:
        python = settings.spock_python
        runs |= {
            "spock-config: bare interpreter": importer(python, []),
            "spock-config: import spock": importer(python, ["spock"]),
            "spock-config: import spock.addons.tune": importer(
                python, ["spock", "spock.addons.tune"], settings.ax_stand_in
            ),
            f"spock-config: import spock + define the {case.name} classes": importer(
                python, [case.module], settings.ax_stand_in
            ),
        }
    results = alternate(settings.repeats, runs, settings.warm_up)
    figures.import_breakdown = import_breakdown(
        settings.python, settings.work, f"{case.module}_spock", settings.repeats
    )[:12]

    bare: dict[str, float] = {}
    bare_cpu: dict[str, float] = {}
    for label, processes in results.items():
        wall = Stats.of([p.seconds for p in processes])
        side = label.split(":")[0]
        if label.endswith("bare interpreter"):
            bare[side] = wall.median
        cpu = Stats.of([p.cpu_seconds for p in processes])
        if label.endswith("bare interpreter"):
            bare_cpu[side] = cpu.median
        figures.imports.append(
            {
                "label": label,
                "side": side,
                "process_s": wall.as_dict(),
                "process_cpu_s": cpu.as_dict(),
                "over_bare_s": wall.median - bare.get(side, wall.median),
                "over_bare_cpu_s": cpu.median - bare_cpu.get(side, cpu.median),
                "import_s": stats([p.result["seconds"] for p in processes]),
                "import_cpu_s": stats([p.result["cpu_seconds"] for p in processes]),
                "rss_mb": stats([p.rss_mb for p in processes]),
                "loaded": processes[0].result["loaded"],
            }
        )


def measure_builds(
    settings: Settings, cases: dict[str, Case], figures: Figures
) -> None:
    """Figure 2: `ConfigArgBuilder(...).generate()` in process and as a process."""
    for name, case in cases.items():
        calls = 20 if SIZES[name] <= 20 else 5 if SIZES[name] <= 200 else 3
        sides: dict[str, str] = {"spockc": settings.python}
        if settings.spock_python and not _spock_too_slow(figures, name, settings):
            sides["spock-config"] = settings.spock_python
        elif settings.spock_python:
            figures.notes.append(
                f"spock-config is not built at size {name}: a {_previous(name)} build "
                f"already took over {settings.spock_build_limit:.0f} s a call."
            )

        runs: dict[str, Callable[[], Any]] = {}
        for side, python in sides.items():
            runs[f"{side} in process"] = _builder_run(
                settings, case, side, python, calls
            )
            runs[f"{side} whole process"] = _program_run(case, side, python)
        results = alternate(settings.repeats, runs, settings.warm_up)

        for side in sides:
            in_process = results[f"{side} in process"]
            whole = results[f"{side} whole process"]
            later = [min(p.result["later"]) for p in in_process if p.result["later"]]
            later_cpu = [
                min(p.result["later_cpu"]) for p in in_process if p.result["later_cpu"]
            ]
            figures.builds.append(
                {
                    "size": name,
                    "classes": SIZES[name],
                    "side": side,
                    "first_s": stats([p.result["first"] for p in in_process]),
                    "later_s": stats(later) if later else None,
                    "first_cpu_s": stats([p.result["first_cpu"] for p in in_process]),
                    "later_cpu_s": stats(later_cpu) if later_cpu else None,
                    "process_s": stats([p.seconds for p in whole]),
                    "process_cpu_s": stats([p.cpu_seconds for p in whole]),
                    "rss_mb": stats([p.rss_mb for p in whole]),
                }
            )


def profile_build(cases: dict[str, Case], figures: Figures) -> None:
    """Profile spockc's steady-state build at the largest size up to 200 classes."""
    sizes = [name for name in cases if SIZES[name] <= 200]
    largest = max(sizes, key=lambda name: SIZES[name])
    figures.build_breakdown = build_breakdown(cases[largest])


def _builder_run(
    settings: Settings, case: Case, side: str, python: str, calls: int
) -> Callable[[], Process]:
    arguments = {
        "impl": "spockc" if side == "spockc" else "spock",
        "path": str(settings.work),
        "module": case.module,
        "classes": list(case.classes),
        "argv": case.command_line(),
        "calls": calls,
        "ax_stand_in": settings.ax_stand_in,
    }
    return lambda: run_child(python, "build", arguments)


def _program_run(case: Case, side: str, python: str) -> Callable[[], Process]:
    script = "main_spockc" if side == "spockc" else "main_spock"
    command = [python, f"{script}_{case.name}.py", *case.command_line()]
    return lambda: run_process(command, cwd=case.source.parent)


def _previous(name: str) -> str:
    names = list(SIZES)
    return names[max(names.index(name) - 1, 0)]


def _spock_too_slow(figures: Figures, name: str, settings: Settings) -> bool:
    """Tell whether spock-config's build at `name` would pass the time limit.

    The estimate scales the build time at the size before linearly.
    """
    before = _previous(name)
    for row in figures.builds:
        if row["size"] == before and row["side"] == "spock-config":
            estimate = row["first_s"]["median"] * SIZES[name] / SIZES[before]
            return bool(estimate > settings.spock_build_limit)
    return False


def measure_tuning(
    settings: Settings, cases: dict[str, Case], figures: Figures
) -> None:
    """Figure 3: CPU time per trial of sample() + tell next to raw Optuna."""
    small = cases["small"]
    for sampler in ("random", "tpe"):
        runs: dict[str, Callable[[], Any]] = {
            "spockc": _tuning_run(settings, "tune-spockc", settings.python, sampler)
        }
        if settings.spock_python:
            runs["spock-config"] = _tuning_run(
                settings, "tune-spock", settings.spock_python, sampler, small
            )
        results = alternate(settings.repeats, runs, settings.warm_up)

        for side, processes in results.items():
            pairs = [p.result["impl"] / p.result["raw"] for p in processes]
            figures.tuning.append(
                {
                    "sampler": sampler,
                    "side": side,
                    "raw_us": Stats.of([p.result["raw"] for p in processes])
                    .scaled(1e6)
                    .as_dict(),
                    "impl_us": Stats.of([p.result["impl"] for p in processes])
                    .scaled(1e6)
                    .as_dict(),
                    "pair_ratio": stats(pairs),
                }
            )

    _measure_tuning_memory(settings, small, figures)


def _tuning_run(
    settings: Settings,
    mode: str,
    python: str,
    sampler: str,
    small: Case | None = None,
) -> Callable[[], Process]:
    arguments = {
        "sampler": sampler,
        "trials": settings.trials,
        "root": str(ROOT),
        "iris": str(IRIS),
        "path": str(settings.work),
        "config": str(small.config) if small else "",
        "ax_stand_in": settings.ax_stand_in,
    }
    return lambda: run_child(python, mode, arguments)


def _measure_tuning_memory(settings: Settings, small: Case, figures: Figures) -> None:
    """Peak memory of a whole tuning process (TPE) without scikit-learn."""
    sys.path.insert(0, str(ROOT))
    from benchmarks import tuning_bench

    runs: dict[str, Callable[[], Any]] = {
        "spockc": lambda: tuning_bench.peak_rss_mb(settings.trials)
    }
    if settings.spock_python:
        python = settings.spock_python
        arguments = {
            "path": str(settings.work),
            "config": str(small.config),
            "trials": settings.trials,
            "ax_stand_in": settings.ax_stand_in,
        }
        runs["spock-config"] = lambda: run_child(
            python, "tune-rss-spock", arguments
        ).result["rss_mb"]
    results = alternate(settings.repeats, runs, settings.warm_up)
    for side, values in results.items():
        figures.memory.append({"side": side, "rss_mb": stats(values)})


def measure_compiles(settings: Settings, figures: Figures) -> None:
    """Figure 4: `spockc compile` time and output size against class count.

    Parsing alone is timed with `ast`, the compiler's parser, and with libcst,
    the parser it used before (and uses for syntax newer than this Python).
    """
    import ast

    import libcst

    from spockc.compiler import compile_source

    spockc = str(Path(settings.python).with_name("spockc"))
    folder = settings.work / "compile"
    folder.mkdir(parents=True, exist_ok=True)
    for count in settings.compile_sizes:
        source = folder / f"compile_{count}.py"
        text = generated_source(count)
        source.write_text(text)

        def parse_ast(text: str = text) -> float:
            start = time.perf_counter()
            ast.parse(text)
            return time.perf_counter() - start

        def parse_libcst(text: str = text) -> float:
            start = time.perf_counter()
            libcst.parse_module(text)
            return time.perf_counter() - start

        def compile_in_process(text: str = text, source: Path = source) -> float:
            start = time.perf_counter()
            compile_source(text, str(source))
            return time.perf_counter() - start

        def compile_process(source: Path = source) -> Process:
            return run_process([spockc, "compile", str(source)])

        runs: dict[str, Callable[[], Any]] = {
            "process": compile_process,
            "in_process": compile_in_process,
            "ast": parse_ast,
            "libcst": parse_libcst,
        }
        results = alternate(settings.repeats, runs, settings.warm_up)
        generated = folder / f"compile_{count}_spock.py"
        output = generated.read_text()
        figures.compiles.append(
            {
                "classes": count,
                "source_lines": text.count("\n"),
                "generated_lines": output.count("\n"),
                "generated_kb": len(output.encode()) / 1024,
                "process_s": stats([p.seconds for p in results["process"]]),
                "process_cpu_s": stats([p.cpu_seconds for p in results["process"]]),
                "in_process_s": stats(results["in_process"]),
                "ast_s": stats(results["ast"]),
                "libcst_s": stats(results["libcst"]),
            }
        )
