"""Run the benchmarks and write the report: `python -m benchmarks [options]`.

`benchmarks/run` sets up the spock-config environment and calls this with
`--spock-python`; without it only spockc is measured (the CI smoke test does so).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

from benchmarks import report, suite
from benchmarks.inputs import SIZES

HERE = Path(__file__).resolve().parent
PLOT = HERE / "plot.py"
_VERSIONS = """
import importlib.metadata as m, json, platform
names = {names!r}
found = {{"Python": platform.python_version()}}
for name in names:
    try:
        found[name] = m.version(name)
    except m.PackageNotFoundError:
        pass
print(json.dumps(found))
"""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--spock-python", help="a Python with spock-config installed")
    parser.add_argument(
        "--ax-stand-in",
        action="store_true",
        help="stand in for Ax in spock's tune add-on (Ax not installed)",
    )
    parser.add_argument("--sizes", default="small,medium,large,xlarge")
    parser.add_argument("--compile-sizes", default="50,200,1000")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--work", type=Path, default=HERE / "work")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument(
        "--cpu",
        default="last",
        help="run every measured process on this CPU: a number, 'last' (the"
        " default: the highest-numbered CPU allowed) or 'none' to let it move",
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="smallest sizes, one repetition, no warm-up, 50 trials (what CI runs)",
    )
    args = parser.parse_args(argv)
    allowed = (
        sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    )
    if args.cpu not in ("last", "none") and (
        not args.cpu.isdigit() or int(args.cpu) not in allowed
    ):
        parser.error(f"--cpu takes 'last', 'none' or one of the CPUs {allowed}")
    if args.smoke:
        args.sizes, args.compile_sizes, args.repeats = "small", "50", 1
        args.trials = 50
    return args


def pin(choice: str) -> int | None:
    """Keep this process and the children it starts on one CPU; return it.

    The CPUs of a shared machine are not equally fast: here a 20-class build ran
    in 0.58 ms on CPU 0 and 0.41 ms on CPU 1, a gap larger than most the
    benchmarks measure. Children inherit the affinity, so both libraries run on
    the same CPU.
    """
    if choice == "none" or not hasattr(os, "sched_setaffinity"):
        return None
    cpu = max(os.sched_getaffinity(0)) if choice == "last" else int(choice)
    os.sched_setaffinity(0, {cpu})
    return cpu


def versions(python: str, names: list[str]) -> dict[str, str]:
    """Return the installed versions of `names` in the environment of `python`."""
    code = _VERSIONS.format(names=names)
    result = subprocess.run([python, "-c", code], capture_output=True, text=True)
    found: dict[str, str] = json.loads(result.stdout) if result.returncode == 0 else {}
    return found


def draw_plot(pythons: list[str], results: Path, out: Path) -> str | None:
    """Draw the PNG with the first interpreter that has matplotlib; None if none."""
    for python in pythons:
        done = subprocess.run(
            [python, str(PLOT), str(results), str(out)], capture_output=True, text=True
        )
        if done.returncode == 0:
            return out.name
    return None


def main(argv: list[str] | None = None) -> int:
    """Run every figure, then write RESULTS.md, the JSON results and the plot."""
    args = parse_args(argv)
    sizes = tuple(size for size in args.sizes.split(",") if size)
    unknown = [size for size in sizes if size not in SIZES]
    if unknown or "small" not in sizes:
        print(
            f"--sizes must include small and name only {', '.join(SIZES)}",
            file=sys.stderr,
        )
        return 2

    if args.spock_python and os.path.exists(args.spock_python):
        # Children run in other folders: a relative path would not find it there.
        args.spock_python = os.path.abspath(args.spock_python)
    settings = suite.Settings(
        work=args.work.resolve(),
        sizes=sizes,
        compile_sizes=tuple(int(count) for count in args.compile_sizes.split(",")),
        repeats=args.repeats,
        trials=args.trials,
        spock_python=args.spock_python,
        ax_stand_in=args.ax_stand_in,
        warm_up=not args.smoke,
    )
    figures = suite.Figures()
    cpu = pin(args.cpu)
    if cpu is not None:
        figures.notes.append(
            f"Every measured process ran on CPU {cpu} (`--cpu`), both libraries alike."
        )
    if args.ax_stand_in:
        figures.notes.append(
            "Ax could not be installed in the spock-config environment: its two "
            "imports in `spock.addons.tune` were given stand-in modules, so the "
            "spock-config import and memory figures are lower than a real install's."
        )

    cases = suite.prepare_cases(settings)
    for step in ("import", "build", "tuning", "compile"):
        print(f"benchmarks: measuring {step} ...", file=sys.stderr, flush=True)
        if step == "import":
            suite.measure_imports(settings, cases, figures)
        elif step == "build":
            suite.measure_builds(settings, cases, figures)
            suite.profile_build(cases, figures)
        elif step == "tuning":
            suite.measure_tuning(settings, cases, figures)
        else:
            suite.measure_compiles(settings, figures)

    found = {
        "spockc": versions(settings.python, ["spockc", "optuna", "libcst", "PyYAML"])
    }
    if args.spock_python:
        names = ["spock-config", "optuna", "ax-platform", "torch", "attrs", "PyYAML"]
        found["spock-config"] = versions(args.spock_python, names)

    results = args.out.with_suffix(".json")
    results.write_text(json.dumps(dataclasses.asdict(figures), indent=1) + "\n")
    pythons = [p for p in (args.spock_python, settings.python) if p]
    plot = draw_plot(pythons, results, args.out.with_suffix(".png"))
    if plot is None:
        figures.notes.append("No plot: no interpreter of this run has matplotlib.")

    given = shlex.join(argv if argv is not None else sys.argv[1:])
    command = os.environ.get("BENCH_COMMAND", f"python -m benchmarks {given}").strip()
    text = report.render(figures, command, found, args.repeats, args.trials, plot)
    args.out.write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
