"""Run one measurement in a fresh interpreter and print its result as JSON.

This script runs under either Python: the project's (spockc) or the benchmark
environment's (spock-config). It imports nothing from the project at module
level, only the standard library, so each measurement pays for exactly the
imports it names. Usage: `python child.py MODE JSON-ARGUMENTS`.
"""

from __future__ import annotations

import importlib
import json
import resource
import sys
import time
import types
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

Result = dict[str, Any]


def peak_rss_mb() -> float:
    """Return this process's peak resident memory in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def quiet_spock_warnings() -> None:
    """Silence spock-config's import-time deprecation warnings on stderr."""
    warnings.simplefilter("ignore")


def install_ax_stand_in() -> None:
    """Stand in for the two Ax names spock's tune add-on imports but its Optuna
    path never uses, for a benchmark environment where Ax could not be installed.
    """
    names = [
        ("ax.service.ax_client", "AxClient"),
        ("ax.modelbridge.generation_strategy", "GenerationStrategy"),
    ]
    for dotted, attribute in names:
        parts = dotted.split(".")
        for end in range(1, len(parts) + 1):
            prefix = ".".join(parts[:end])
            sys.modules.setdefault(prefix, types.ModuleType(prefix))
        setattr(sys.modules[dotted], attribute, type(attribute, (), {}))


def import_code(args: Result) -> str:
    """Return a `python -c` program that times importing `args["modules"]`.

    The program imports nothing but `sys` and `time` (both built in) before the
    measured imports, so a bare run of it is a bare interpreter: this script's
    own imports (json, typing, ...) would otherwise be paid for in advance.
    """
    lines = ["import sys, time", f"sys.path.insert(0, {args['path']!r})"]
    if args.get("ax_stand_in"):
        here = str(Path(__file__).resolve().parent)
        lines += [f"sys.path.insert(0, {here!r})", "import child"]
        lines.append("child.install_ax_stand_in()")
    lines.append("start, cpu = time.perf_counter(), time.process_time()")
    lines += [f"import {name}" for name in args["modules"]]
    lines += [
        "seconds = time.perf_counter() - start",
        "cpu = time.process_time() - cpu",
        "watched = ('libcst', 'optuna', 'yaml')",
        "loaded = [name for name in watched if name in sys.modules]",
        "loaded = '[' + ', '.join('\"%s\"' % name for name in loaded) + ']'",
        'text = \'{"seconds": %r, "cpu_seconds": %r, "loaded": %s}\'',
        "print('BENCH-RESULT ' + text % (seconds, cpu, loaded))",
    ]
    return "\n".join(lines)


def spockc_builder(args: Result) -> Callable[[], object]:
    """Return a function that builds and generates the spockc space once."""
    module = importlib.import_module(args["module"] + "_spock")
    classes = [getattr(module, name) for name in args["classes"]]
    command_line = args["argv"]

    def build() -> object:
        builder = module.ConfigArgBuilder(*classes, desc="bench", args=command_line)
        return builder.generate()

    return build


def spock_builder(args: Result) -> Callable[[], object]:
    """Return a function that builds and generates the spock-config space once."""
    module = importlib.import_module(args["module"])
    spock = importlib.import_module("spock")
    classes = [getattr(module, name) for name in args["classes"]]
    command_line = [sys.argv[0], *args["argv"]]

    def build() -> object:
        # spock-config reads the command line from sys.argv only.
        sys.argv = command_line
        return spock.SpockBuilder(*classes, desc="bench").generate()

    return build


def run_build(args: Result) -> Result:
    """Time the first `ConfigArgBuilder(...).generate()` call, then later calls."""
    sys.path.insert(0, args["path"])
    if args["impl"] == "spock":
        quiet_spock_warnings()
        if args.get("ax_stand_in"):
            install_ax_stand_in()
    make = spockc_builder if args["impl"] == "spockc" else spock_builder
    build = make(args)

    times, cpu_times = [], []
    for _ in range(args["calls"]):
        start, cpu_start = time.perf_counter(), time.process_time()
        build()
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu_start)
    return {
        "first": times[0],
        "later": times[1:],
        "first_cpu": cpu_times[0],
        "later_cpu": cpu_times[1:],
        "rss_mb": peak_rss_mb(),
    }


def spock_tuning_loop(sampler: object, config: str) -> Callable[[], None]:
    """Return one trial of the seed page's loop through spock-config's builder."""
    spock = importlib.import_module("spock")
    tune = importlib.import_module("spock.addons.tune")
    seed = importlib.import_module("bench_small")

    sys.argv = [sys.argv[0], "--config", config]
    tuner_config = tune.OptunaTunerConfig(direction="maximize", sampler=sampler)
    builder = spock.SpockBuilder(
        seed.BasicParams, seed.LogisticRegressionHP, desc="bench"
    ).tuner(tuner_config)

    def step() -> None:
        hp = builder.sample()
        status = builder.tuner_status
        status["study"].tell(status["trial"], hp.LogisticRegressionHP.c)

    return step


def raw_tuning_loop(optuna: Any, sampler: object) -> Callable[[], None]:
    """Return one trial of a raw `ask(fixed_distributions)` + `tell` loop."""
    distributions = {
        "LogisticRegressionHP.c": optuna.distributions.FloatDistribution(
            1e-07, 10.0, log=True
        ),
        "LogisticRegressionHP.solver": optuna.distributions.CategoricalDistribution(
            ("lbfgs", "saga")
        ),
    }
    study = optuna.create_study(sampler=sampler, direction="maximize")

    def step() -> None:
        trial = study.ask(fixed_distributions=distributions)
        study.tell(trial, trial.params["LogisticRegressionHP.c"])

    return step


def make_sampler(optuna: Any, name: str) -> object:
    """Return a seeded Optuna sampler by its short name."""
    if name == "random":
        return optuna.samplers.RandomSampler(seed=1)
    return optuna.samplers.TPESampler(seed=1)


def interleave(steps: list[Callable[[], None]], trials: int) -> list[float]:
    """Run the loops trial by trial, alternating which goes first; CPU s/trial."""
    spent = [0.0] * len(steps)
    order = list(range(len(steps)))
    for number in range(trials):
        for index in order if number % 2 == 0 else order[::-1]:
            start = time.process_time()
            steps[index]()
            spent[index] += time.process_time() - start
    return [total / trials for total in spent]


def run_tune_spock(args: Result) -> Result:
    """Time spock-config's loop and a raw Optuna loop in step, in this process."""
    sys.path.insert(0, args["path"])
    quiet_spock_warnings()
    if args.get("ax_stand_in"):
        install_ax_stand_in()
    optuna = importlib.import_module("optuna")
    optuna.logging.set_verbosity(optuna.logging.WARNING)

    sampler = args["sampler"]
    raw = raw_tuning_loop(optuna, make_sampler(optuna, sampler))
    loop = spock_tuning_loop(make_sampler(optuna, sampler), args["config"])
    interleave([raw, loop], 20)  # warm up

    raw = raw_tuning_loop(optuna, make_sampler(optuna, sampler))
    loop = spock_tuning_loop(make_sampler(optuna, sampler), args["config"])
    raw_seconds, spock_seconds = interleave([raw, loop], args["trials"])
    return {"raw": raw_seconds, "impl": spock_seconds, "rss_mb": peak_rss_mb()}


def run_tune_spockc(args: Result) -> Result:
    """Time spockc's loop and a raw Optuna loop in step, with tuning_bench's code."""
    sys.path.insert(0, args["root"])
    sys.path.insert(0, args["iris"])
    optuna = importlib.import_module("optuna")
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    bench = importlib.import_module("benchmarks.tuning_bench")

    sampler = bench.SAMPLERS[args["sampler"]]
    bench.time_pair(sampler, 20)  # warm up
    raw_seconds, spockc_seconds = bench.time_pair(sampler, args["trials"])
    return {"raw": raw_seconds, "impl": spockc_seconds, "rss_mb": peak_rss_mb()}


def run_tune_rss_spock(args: Result) -> Result:
    """Tune the seed loop with spock-config (TPE); report peak memory."""
    sys.path.insert(0, args["path"])
    quiet_spock_warnings()
    if args.get("ax_stand_in"):
        install_ax_stand_in()
    optuna = importlib.import_module("optuna")
    optuna.logging.set_verbosity(optuna.logging.WARNING)

    step = spock_tuning_loop(optuna.samplers.TPESampler(seed=1), args["config"])
    for _ in range(args["trials"]):
        step()
    return {"rss_mb": peak_rss_mb(), "sklearn": "sklearn" in sys.modules}


MODES: dict[str, Callable[[Result], Result]] = {
    "build": run_build,
    "tune-spock": run_tune_spock,
    "tune-spockc": run_tune_spockc,
    "tune-rss-spock": run_tune_rss_spock,
}


def main() -> None:
    """Run the mode named on the command line and print its JSON result."""
    mode, arguments = sys.argv[1], json.loads(sys.argv[2])
    result = MODES[mode](arguments)
    print("BENCH-RESULT " + json.dumps(result))


if __name__ == "__main__":
    main()
