"""Measure what `sample()` + `tell` costs per trial next to a raw Optuna loop.

Run from the repository root: `.venv/bin/python benchmarks/tuning_bench.py`.
Both loops ask an in-memory study for the iris example's distributions (a log
float and a two-way choice) and tell it a value; the spockc loop goes through
`Tuner.sample()` and `tuner_status`'s trial, the raw loop through
`study.ask(fixed_distributions)`. Each loop runs `--trials` trials, `--repeats`
times per sampler; the table gives microseconds per trial (min, median, max) and
the ratio of the medians. Last, a child process tunes without scikit-learn and
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


def time_raw(sampler: Sampler, trials: int) -> float:
    """Return seconds per trial of a raw ask(fixed_distributions) + tell loop."""
    study = optuna.create_study(sampler=sampler(), direction="maximize")
    start = time.perf_counter()
    for _ in range(trials):
        trial = study.ask(fixed_distributions=DISTRIBUTIONS)
        study.tell(trial, trial.params["LogisticRegressionHP.c"])
    return (time.perf_counter() - start) / trials


def time_spockc(sampler: Sampler, trials: int) -> float:
    """Return seconds per trial of a `Tuner.sample()` + tell loop on iris."""
    import config_spock as iris

    from spockc.runtime import (
        Choices,
        Definitions,
        FloatRange,
        OptunaTunerConfig,
        make_space,
    )
    from spockc.runtime.tuning import Tuner

    definitions = Definitions(
        {
            "LogisticRegressionHP.c": FloatRange(1e-07, 10.0, log=True),
            "LogisticRegressionHP.solver": Choices(("lbfgs", "saga")),
        }
    )
    config = OptunaTunerConfig(sampler=sampler(), direction="maximize")
    tuner = Tuner(iris._SCHEMA, ["LogisticRegressionHP"], definitions, config)
    params = iris.BasicParams(n_trials=trials, max_iter=150)
    fixed = make_space(iris.Spockspace, {"BasicParams": params})

    start = time.perf_counter()
    for _ in range(trials):
        hp = tuner.sample(fixed)
        status = tuner.status
        status["study"].tell(status["trial"], hp.LogisticRegressionHP.c)
    return (time.perf_counter() - start) / trials


def repeat(measure: Callable[[], float], repeats: int) -> list[float]:
    """Return `repeats` measurements, collecting garbage before each."""
    results = []
    for _ in range(repeats):
        gc.collect()
        results.append(measure())
    return results


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
    """Print the per-trial table of one sampler, interleaving the two loops."""
    sampler = SAMPLERS[name]
    time_raw(sampler, 20)  # warm up imports and caches
    time_spockc(sampler, 20)

    raw: list[float] = []
    spockc: list[float] = []
    for _ in range(repeats):  # interleaved, so drifts in machine load hit both
        gc.collect()
        spockc.append(time_spockc(sampler, trials))
        gc.collect()
        raw.append(time_raw(sampler, trials))

    print(f"{name} sampler, {trials} trials x {repeats}, microseconds per trial")
    print(f"  {'loop':<14} {'min':>9} {'median':>9} {'max':>9}")
    print(summary("raw optuna", raw))
    print(summary("spockc", spockc))
    print(f"  spockc / raw: {ratios(spockc, raw)}")


_RSS_CHILD = """
import resource, sys
sys.path.insert(0, {iris!r})
import optuna
optuna.logging.set_verbosity(optuna.logging.WARNING)
import config_spock as iris
from spockc.runtime import Choices, Definitions, FloatRange, OptunaTunerConfig
from spockc.runtime import make_space
from spockc.runtime.tuning import Tuner

definitions = Definitions({{
    "LogisticRegressionHP.c": FloatRange(1e-07, 10.0, log=True),
    "LogisticRegressionHP.solver": Choices(("lbfgs", "saga")),
}})
config = OptunaTunerConfig(direction="maximize")
tuner = Tuner(iris._SCHEMA, ["LogisticRegressionHP"], definitions, config)
fixed = make_space(iris.Spockspace, {{
    "BasicParams": iris.BasicParams(n_trials={trials}, max_iter=150)
}})
for _ in range({trials}):
    hp = tuner.sample(fixed)
    tuner.status["study"].tell(tuner.status["trial"], hp.LogisticRegressionHP.c)
assert "sklearn" not in sys.modules
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def peak_rss_mb(trials: int) -> float:
    """Return the peak RSS, in MB, of a child process tuning iris with TPE."""
    code = _RSS_CHILD.format(iris=str(IRIS), trials=trials)
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
start = time.perf_counter()
for _ in range({trials}):
    hp = builder.sample()
    status = builder.tuner_status
    status["study"].tell(status["trial"], hp.LogisticRegressionHP.c)
print((time.perf_counter() - start) / {trials})
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
    raw = repeat(lambda: time_raw(SAMPLERS["random"], trials), repeats)
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
