"""Heartbeats of handed-out trials, and stale trials of dead workers, in one process.

A dead worker is played by a raw Optuna study that asks for a trial, records
one heartbeat, and never tells it.
"""

from __future__ import annotations

import sqlite3
import threading
import time
import warnings
from pathlib import Path
from typing import Any

import optuna
import pytest
from optuna.trial import TrialState

from spockc.runtime import ConfigError, OptunaTunerConfig

from .conftest import SOLVER, C, fixed, open_tuner

optuna.logging.set_verbosity(optuna.logging.WARNING)
# Raw Optuna, playing a dead worker, warns as heartbeats are set and asked with.
pytestmark = [
    pytest.mark.filterwarnings("ignore:Heartbeat of storage:UserWarning"),
    pytest.mark.filterwarnings("ignore::optuna.exceptions.ExperimentalWarning"),
]

HEARTBEAT, GRACE = 1, 2
DISTRIBUTIONS = {
    C: optuna.distributions.FloatDistribution(1e-07, 10.0, log=True),
    SOLVER: optuna.distributions.CategoricalDistribution(("lbfgs", "saga")),
}


def heartbeat_config(path: Path, **kwargs: Any) -> OptunaTunerConfig:
    settings: dict[str, Any] = {
        "storage": f"sqlite:///{path}",
        "study_name": "beats",
        "load_if_exists": True,
        "heartbeat_interval": HEARTBEAT,
        "grace_period": GRACE,
    }
    settings.update(kwargs)
    return OptunaTunerConfig(**settings)


def beating_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("spockc-heart")]


def wait_for(condition: Any, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    return bool(condition())


def dead_worker_trial(path: Path) -> optuna.trial.FrozenTrial:
    """Ask for a trial as a worker that then dies: one heartbeat, never told."""
    storage = optuna.storages.RDBStorage(
        f"sqlite:///{path}", heartbeat_interval=HEARTBEAT, grace_period=GRACE
    )
    study = optuna.create_study(storage=storage, study_name="beats")
    trial = study.ask(fixed_distributions=DISTRIBUTIONS)
    storage.record_heartbeat(trial._trial_id)
    return study.trials[trial.number]


def test_handed_out_trial_has_a_heartbeat_at_once(iris, tmp_path):
    tuner = open_tuner(iris, heartbeat_config(tmp_path / "s.db"))
    tuner.sample(fixed(iris))

    with sqlite3.connect(tmp_path / "s.db") as connection:
        rows = connection.execute("SELECT trial_id FROM trial_heartbeats").fetchall()

    assert rows == [(tuner.status["trial"]._trial_id,)]
    tuner.close()


def test_sampling_with_heartbeats_warns_nothing(iris, tmp_path):
    tuner = open_tuner(iris, heartbeat_config(tmp_path / "s.db"))

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tuner.sample(fixed(iris))

    assert [str(warning.message) for warning in caught] == []
    tuner.close()


def test_trial_of_a_live_worker_outlives_the_grace_period(iris, tmp_path):
    tuner = open_tuner(iris, heartbeat_config(tmp_path / "s.db"))
    tuner.sample(fixed(iris))
    time.sleep(GRACE + 1.5)

    # Opening a tuner fails stale trials; this one has kept beating.
    other = open_tuner(iris, heartbeat_config(tmp_path / "s.db"))

    (trial,) = other.study.get_trials()
    assert trial.state == TrialState.RUNNING
    tuner.close()


def test_heartbeats_stop_once_the_trial_is_told(iris, tmp_path):
    tuner = open_tuner(iris, heartbeat_config(tmp_path / "s.db"))
    tuner.sample(fixed(iris))
    name = f"spockc-heartbeat-{tuner.status['trial']._trial_id}"
    assert name in beating_threads()

    tuner.study.tell(tuner.status["trial"], 0.5)

    assert wait_for(lambda: name not in beating_threads(), HEARTBEAT + 2)


def test_trial_asked_ahead_by_peek_has_heartbeats(iris, tmp_path):
    tuner = open_tuner(iris, heartbeat_config(tmp_path / "s.db"))

    tuner.peek(fixed(iris))

    (trial,) = tuner.study.get_trials()
    assert f"spockc-heartbeat-{trial._trial_id}" in beating_threads()
    tuner.close()


def test_close_stops_heartbeats_of_untold_trials(iris, tmp_path):
    tuner = open_tuner(iris, heartbeat_config(tmp_path / "s.db"))
    tuner.sample(fixed(iris))
    name = f"spockc-heartbeat-{tuner.status['trial']._trial_id}"

    tuner.close()

    assert wait_for(lambda: name not in beating_threads(), 1.0)
    assert [trial.state for trial in tuner.study.get_trials()] == [TrialState.FAIL]


@pytest.fixture(scope="module")
def stale(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Return studies of dead workers, by test, once their grace period is over."""
    folder = tmp_path_factory.mktemp("stale")
    studies = {name: folder / f"{name}.db" for name in ("open", "retry", "no-retry")}
    dead = {name: (path, dead_worker_trial(path)) for name, path in studies.items()}
    time.sleep(GRACE + 1.5)  # one wait for all the tests that need it
    return dead


def test_stale_trial_of_a_dead_worker_is_failed_when_a_tuner_opens(iris, stale):
    path, dead = stale["open"]

    tuner = open_tuner(iris, heartbeat_config(path))

    assert tuner.study.trials[dead.number].state == TrialState.FAIL


def test_stale_trial_is_retried_by_the_next_sample(iris, stale):
    path, dead = stale["retry"]
    config = heartbeat_config(path, retry_stale_trials=1)

    hp = open_tuner(iris, config).sample(fixed(iris))

    assert (hp.LogisticRegressionHP.c, hp.LogisticRegressionHP.solver) == (
        dead.params[C],
        dead.params[SOLVER],
    )


def test_stale_trial_is_not_retried_without_retry_stale_trials(iris, stale):
    path, _ = stale["no-retry"]
    tuner = open_tuner(iris, heartbeat_config(path))

    tuner.sample(fixed(iris))

    states = [trial.state for trial in tuner.study.get_trials()]
    assert states == [TrialState.FAIL, TrialState.RUNNING]
    tuner.close()


def test_storage_object_with_heartbeats_gets_them_recorded(iris, tmp_path):
    storage = optuna.storages.RDBStorage(
        f"sqlite:///{tmp_path / 's.db'}", heartbeat_interval=HEARTBEAT
    )
    tuner = open_tuner(iris, OptunaTunerConfig(storage=storage))

    tuner.sample(fixed(iris))

    name = f"spockc-heartbeat-{tuner.status['trial']._trial_id}"
    assert name in beating_threads()
    tuner.close()


def test_no_heartbeat_thread_without_heartbeat_interval(iris, tmp_path):
    config = OptunaTunerConfig(storage=f"sqlite:///{tmp_path / 's.db'}")
    tuner = open_tuner(iris, config)

    tuner.sample(fixed(iris))

    assert beating_threads() == []
    tuner.close()


# --- settings that cannot work -----------------------------------------------------


@pytest.mark.parametrize(
    ("storage", "reason"),
    [
        (None, "in-memory study lives in one process"),
        ("journal:study.log", "journal file records no heartbeats"),
        (optuna.storages.InMemoryStorage(), "pass heartbeat_interval to RDBStorage"),
    ],
)
def test_heartbeats_without_a_database_url_are_an_error(iris, storage, reason):
    config = OptunaTunerConfig(storage=storage, heartbeat_interval=HEARTBEAT)

    with pytest.raises(ConfigError) as caught:
        open_tuner(iris, config)

    (problem,) = caught.value.problems
    assert problem.key == "OptunaTunerConfig.heartbeat_interval"
    assert reason in problem.message


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"heartbeat_interval": 0}, "heartbeat_interval must be a positive int"),
        ({"heartbeat_interval": 1.5}, "heartbeat_interval must be a positive int"),
        ({"heartbeat_interval": True}, "heartbeat_interval must be a positive int"),
        ({"grace_period": 3}, "grace_period needs heartbeat_interval"),
        ({"retry_stale_trials": 2}, "retry_stale_trials needs heartbeat_interval"),
        (
            {"heartbeat_interval": 1, "retry_stale_trials": -1},
            "retry_stale_trials must be an int >= 0",
        ),
    ],
)
def test_bad_heartbeat_settings_are_refused(settings, message):
    with pytest.raises(ValueError, match=message):
        OptunaTunerConfig(storage="sqlite:///s.db", **settings)
