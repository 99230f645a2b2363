"""One tuning worker of the distributed tests, run as its own process.

It tunes the iris example's classes the documented way (builder, `sample()`,
`tuner_status["study"].tell`) against a shared study, with a made-up objective
so that no trial fits a model. Each trial it tells is printed as one JSON line;
`--hang` prints the first trial it is handed and then sleeps until killed. A
retry of a dead worker's trial always completes; `--until-retry` stops there.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import optuna

IRIS = Path(__file__).resolve().parents[2] / "examples" / "iris"
sys.path.insert(0, str(IRIS))

from config_spock import BasicParams, ConfigArgBuilder, LogisticRegressionHP  # noqa: E402

from spockc import OptunaTunerConfig  # noqa: E402


def parse_flags() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--storage", required=True)
    parser.add_argument("--study", default="distributed")
    parser.add_argument("--trials", type=int, default=5)
    parser.add_argument("--barrier", help="a folder where all workers meet")
    parser.add_argument("--parties", type=int, default=1)
    parser.add_argument("--trial-seconds", type=float, default=0.0)
    parser.add_argument("--heartbeat", type=int)
    parser.add_argument("--grace", type=int)
    parser.add_argument("--retry", type=int, default=0)
    parser.add_argument("--save-best")
    parser.add_argument("--hang", action="store_true")
    parser.add_argument("--until-retry", action="store_true")
    return parser.parse_args()


def outcome(number: int) -> str:
    """Return how trial `number` ends: some are pruned, some fail, most complete."""
    if number % 5 == 3:
        return "PRUNED"
    if number % 7 == 5:
        return "FAIL"
    return "COMPLETE"


def score(hp: Any) -> float:
    return -abs(math.log10(hp.LogisticRegressionHP.c) + 2)


def retried_number(study: optuna.Study, number: int) -> int | None:
    """Return the number of the dead worker's trial that trial `number` retries."""
    (frozen,) = [t for t in study.get_trials(deepcopy=False) if t.number == number]
    return optuna.storages.RetryHeartbeatStaleTrialCallback.retried_trial_number(frozen)


def meet(barrier: Path, parties: int) -> None:
    """Return once `parties` workers have reached `barrier` (at most a minute)."""
    (barrier / str(os.getpid())).touch()
    deadline = time.monotonic() + 60
    while len(list(barrier.iterdir())) < parties and time.monotonic() < deadline:
        time.sleep(0.005)


def main() -> None:
    flags = parse_flags()
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
    config = OptunaTunerConfig(
        storage=flags.storage,
        sampler=optuna.samplers.RandomSampler(),
        study_name=flags.study,
        direction="maximize",
        load_if_exists=True,
        heartbeat_interval=flags.heartbeat,
        grace_period=flags.grace,
        retry_stale_trials=flags.retry,
    )
    args = ["--config", str(IRIS / "tune.yaml"), "--BasicParams.n_trials", "0"]
    builder = ConfigArgBuilder(LogisticRegressionHP, BasicParams, args=args)

    # Every worker opens the study at the same moment, as a cluster job starts.
    if flags.barrier:
        meet(Path(flags.barrier), flags.parties)
    builder.tuner(tuner_config=config)

    for _ in range(flags.trials):
        hp = builder.sample()
        status = builder.tuner_status
        study, trial = status["study"], status["trial"]
        if flags.hang:
            print(
                json.dumps({"asked": trial.number, "params": trial.params}), flush=True
            )
            time.sleep(3600)
        time.sleep(flags.trial_seconds)

        # A retried trial always completes, so a test sees the retry through.
        retry_of = retried_number(study, trial.number)
        state = outcome(trial.number) if retry_of is None else "COMPLETE"
        if state == "COMPLETE":
            study.tell(trial, score(hp))
        else:
            study.tell(trial, state=optuna.trial.TrialState[state])
        told = {
            "number": trial.number,
            "state": state,
            "params": trial.params,
            "retry_of": retry_of,
        }
        print(json.dumps(told), flush=True)
        if flags.save_best and state == "COMPLETE":
            builder.save_best(user_specified_path=flags.save_best, file_name="best")
        if flags.until_retry and retry_of is not None:
            break


if __name__ == "__main__":
    main()
