"""Measure what `sample()` + `tell` costs per trial next to a raw Optuna loop.

Run from the repository root: `.venv/bin/python benchmarks/tuning_bench.py`.
Both loops ask an in-memory study for the iris example's distributions (a log
float and a two-way choice) and tell it a value; the spockc loop is the seed
page's, through the generated `ConfigArgBuilder` (`sample()`, `tuner_status`),
the raw loop calls `study.ask(fixed_distributions)`. Each loop runs `--trials` trials, `--repeats`
times per sampler, interleaved; the table gives microseconds of CPU time per trial
(min, median, max) and the ratios. CPU time rather than wall time, so that other
processes on a busy machine weigh less on the comparison. Last, a child process tunes without scikit-learn and
reports its peak resident memory.

`--spock-python PATH` also times spock-config's Optuna loop, run by that Python
interpreter (a virtual environment with spock-config installed), when given.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import optuna
from optuna.distributions import CategoricalDistribution, FloatDistribution

ROOT = Path(__file__).resolve().parents[1]
IRIS = ROOT / "examples" / "iris"

DISTRIBUTIONS = {
    "LogisticRegressionHP.c": FloatDistribution(1e-07, 10.0, log=True),
    "LogisticRegressionHP.solver": CategoricalDistribution(("lbfgs", "saga")),
}

Sampler = Callable[[], optuna.samplers.BaseSampler]
SAMPLERS: dict[str, Sampler] = {
    "random": lambda: optuna.samplers.RandomSampler(seed=1),
    "tpe": lambda: optuna.samplers.TPESampler(seed=1),
}


class RawLoop:
    """A raw ask(fixed_distributions) + tell loop, one trial per `step()`."""

    def __init__(self, sampler: Sampler) -> None:
        self.study = optuna.create_study(sampler=sampler(), direction="maximize")

    def step(self) -> None:
        trial = self.study.ask(fixed_distributions=DISTRIBUTIONS)
        self.study.tell(trial, trial.params["LogisticRegressionHP.c"])


class SpockcLoop:
    """The seed page's loop through the generated builder, one trial per `step()`."""

    def __init__(self, sampler: Sampler) -> None:
        import config_spock as iris

        from spockc.runtime import OptunaTunerConfig

        config = OptunaTunerConfig(sampler=sampler(), direction="maximize")
        args = ["--config", str(IRIS / "tune.yaml")]
        self.builder = iris.ConfigArgBuilder(
            iris.LogisticRegressionHP, iris.BasicParams, args=args
        ).tuner(tuner_config=config)

    def step(self) -> None:
        hp = self.builder.sample()
        status = self.builder.tuner_status
        status["study"].tell(status["trial"], hp.LogisticRegressionHP.c)


def time_pair(sampler: Sampler, trials: int) -> tuple[float, float]:
    """Return CPU seconds per trial of the raw and the spockc loop, run in step.

    The two loops take turns trial by trial (alternating which goes first), so
    both meet the same study sizes and the same load on the machine.
    """
    loops = [RawLoop(sampler), SpockcLoop(sampler)]
    spent = [0.0, 0.0]
    clock = time.process_time
    gc.collect()
    for number in range(trials):
        for index in (0, 1) if number % 2 == 0 else (1, 0):
            start = clock()
            loops[index].step()
            spent[index] += clock() - start
    return spent[0] / trials, spent[1] / trials


def summary(label: str, seconds: list[float]) -> str:
    micro = [value * 1e6 for value in seconds]
    low, mid, high = min(micro), statistics.median(micro), max(micro)
    return f"  {label:<14} {low:9.1f} {mid:9.1f} {high:9.1f}"


def ratios(seconds: list[float], baseline: list[float]) -> str:
    """Return the ratios of the minimums and of the medians, as text."""
    of_min = min(seconds) / min(baseline)
    of_median = statistics.median(seconds) / statistics.median(baseline)
    return f"{of_min:.3f} of minimums, {of_median:.3f} of medians"


def compare(name: str, trials: int, repeats: int) -> None:
    """Print the per-trial table of one sampler and the ratios of the loops."""
    sampler = SAMPLERS[name]
    time_pair(sampler, 20)  # warm up imports and caches

    pairs = [time_pair(sampler, trials) for _ in range(repeats)]
    raw = [pair[0] for pair in pairs]
    spockc = [pair[1] for pair in pairs]
    paired = statistics.median(pair[1] / pair[0] for pair in pairs)

    print(f"{name} sampler, {trials} trials x {repeats}, CPU microseconds per trial")
    print(f"  {'loop':<14} {'min':>9} {'median':>9} {'max':>9}")
    print(summary("raw optuna", raw))
    print(summary("spockc", spockc))
    print(f"  spockc / raw: {ratios(spockc, raw)}, {paired:.3f} median of pairs")


_RSS_CHILD = """
import resource, sys
sys.path.insert(0, {iris!r})
import optuna
optuna.logging.set_verbosity(optuna.logging.WARNING)
import config_spock as iris
from spockc import OptunaTunerConfig

builder = iris.ConfigArgBuilder(
    iris.LogisticRegressionHP, iris.BasicParams,
    args=["--config", {tune_yaml!r}, "--BasicParams.n_trials", "{trials}"],
).tuner(tuner_config=OptunaTunerConfig(direction="maximize"))
fixed = builder.generate()
for _ in range(fixed.BasicParams.n_trials):
    hp = builder.sample()
    builder.tuner_status["study"].tell(
        builder.tuner_status["trial"], hp.LogisticRegressionHP.c
    )
assert "sklearn" not in sys.modules
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def peak_rss_mb(trials: int) -> float:
    """Return the peak RSS, in MB, of a child process tuning iris with TPE.

    The child runs the seed page's loop through the builder, with the default
    sampler (TPE), and imports no scikit-learn.
    """
    tune_yaml = str(IRIS / "tune.yaml")
    code = _RSS_CHILD.format(iris=str(IRIS), tune_yaml=tune_yaml, trials=trials)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return int(result.stdout.strip()) / 1024  # Linux reports kilobytes


_SPOCK_CHILD = """
import sys, time, types
try:
    import ax
except ImportError:
    # spock-config's tune add-on imports two Ax names that its Optuna path never
    # uses; stand-ins spare installing Ax (and torch) to time that path.
    for name, attr in [
        ("ax.service.ax_client", "AxClient"),
        ("ax.modelbridge.generation_strategy", "GenerationStrategy"),
    ]:
        parts = name.split(".")
        for end in range(1, len(parts) + 1):
            sys.modules.setdefault(".".join(parts[:end]), types.ModuleType(name))
        setattr(sys.modules[name], attr, type(attr, (), {{}}))
import optuna
optuna.logging.set_verbosity(optuna.logging.WARNING)
from spock import spock, SpockBuilder
from spock.addons.tune import (
    ChoiceHyperParameter, OptunaTunerConfig, RangeHyperParameter, spockTuner,
)

@spockTuner
class LogisticRegressionHP:
    c: RangeHyperParameter
    solver: ChoiceHyperParameter

sys.argv = [sys.argv[0], "--config", {config!r}]
config = OptunaTunerConfig(
    direction="maximize", sampler=optuna.samplers.RandomSampler(seed=1)
)
builder = SpockBuilder(LogisticRegressionHP, desc="bench").tuner(config)
start = time.process_time()
for _ in range({trials}):
    hp = builder.sample()
    status = builder.tuner_status
    status["study"].tell(status["trial"], hp.LogisticRegressionHP.c)
print((time.process_time() - start) / {trials})
"""

_SPOCK_YAML = """\
LogisticRegressionHP:
  c: {type: float, bounds: [1e-07, 10.0], log_scale: true}
  solver: {type: str, choices: ["lbfgs", "saga"]}
"""


def time_spock_config(python: str, trials: int, repeats: int, folder: Path) -> None:
    """Print spock-config's per-trial cost with RandomSampler, if it runs."""
    config = folder / "spock_bench.yaml"
    config.write_text(_SPOCK_YAML)
    code = _SPOCK_CHILD.format(config=str(config), trials=trials)
    seconds = []
    for _ in range(repeats):
        result = subprocess.run([python, "-c", code], capture_output=True, text=True)
        if result.returncode != 0:
            print(f"spock-config did not run:\n{result.stderr[-2000:]}")
            return
        seconds.append(float(result.stdout.strip().splitlines()[-1]))
    raw = [time_pair(SAMPLERS["random"], trials)[0] for _ in range(repeats)]
    print(f"spock-config, random sampler, {trials} trials x {repeats}")
    print(summary("spock-config", seconds))
    print(f"  spock-config / raw (this process): {ratios(seconds, raw)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--tpe-repeats", type=int, default=3)
    parser.add_argument("--spock-python", help="a Python with spock-config")
    args = parser.parse_args()

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    sys.path.insert(0, str(IRIS))

    compare("random", args.trials, args.repeats)
    compare("tpe", args.trials, args.tpe_repeats)
    rss = peak_rss_mb(args.trials)
    print(f"peak RSS of a tuning process without scikit-learn: {rss:.1f} MB")

    if args.spock_python:
        time_spock_config(args.spock_python, args.trials, args.repeats, Path("/tmp"))


if __name__ == "__main__":
    main()
