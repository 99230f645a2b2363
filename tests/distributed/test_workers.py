"""Worker processes sharing one study: PostgreSQL, SQLite and a journal file.

Each worker is `worker.py` in its own process, tuning the iris classes through
the builder as a user's script does.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import optuna
import pytest
import yaml
from optuna.trial import TrialState

from .conftest import SOLVER, C, storage_url, worker_command

WORKERS = 4
TRIALS = 5
FINISHED = {TrialState.COMPLETE, TrialState.PRUNED, TrialState.FAIL}


def load_study(url: str, name: str = "distributed") -> optuna.Study:
    """Load the study as an outside observer: no heartbeats, no failing."""
    if url.startswith("journal:"):
        from optuna.storages.journal import JournalFileBackend

        backend = JournalFileBackend(url.removeprefix("journal:"))
        storage: Any = optuna.storages.JournalStorage(backend)
    else:
        storage = url
    return optuna.load_study(study_name=name, storage=storage)


def told_lines(output: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def start_workers(
    url: str, count: int, folder: Path, *flags: str
) -> list[subprocess.Popen[str]]:
    """Start `count` workers that open the study together, once all have started."""
    barrier = folder / "barrier"
    barrier.mkdir()
    meeting = ("--barrier", str(barrier), "--parties", str(count))
    command = worker_command(url, *meeting, *flags)
    return [
        subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(count)
    ]


def finish(worker: subprocess.Popen[str]) -> list[dict[str, Any]]:
    stdout, stderr = worker.communicate(timeout=120)
    assert worker.returncode == 0, stderr
    return told_lines(stdout)


class Run:
    """Four workers started together on a fresh storage, each telling its share.

    Each worker rewrites its best file after every completed trial, while this
    process reads those files as fast as it can.
    """

    def __init__(self, url: str, folder: Path) -> None:
        self.best = folder / "best"
        flags = ("--trials", str(TRIALS), "--save-best", str(self.best))
        workers = start_workers(url, WORKERS, folder, *flags, "--trial-seconds", "0.05")
        self.reads = read_while_running(workers, self.best)
        self.shares = [finish(worker) for worker in workers]
        self.told = [line for share in self.shares for line in share]
        self.trials = load_study(url).get_trials()


def read_while_running(
    workers: list[subprocess.Popen[str]], folder: Path
) -> list[dict[str, Any]]:
    """Return every best file read while the workers run, parsed."""
    reads = []
    while any(worker.poll() is None for worker in workers):
        for path in folder.glob("*.yaml"):
            with contextlib.suppress(FileNotFoundError):
                reads.append(yaml.safe_load(path.read_text()) or {})
    return reads


@pytest.fixture(scope="module", params=["postgresql", "sqlite", "journal"])
def run(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Run]:
    folder = tmp_path_factory.mktemp(request.param)
    for url in storage_url(request.param, request, folder):
        yield Run(url, folder)


def test_four_workers_starting_together_each_tell_their_share(run):
    assert [len(share) for share in run.shares] == [TRIALS] * WORKERS


def test_study_holds_exactly_the_trials_the_workers_told(run):
    assert len(run.trials) == WORKERS * TRIALS
    assert {trial.number: (trial.state.name, trial.params) for trial in run.trials} == {
        line["number"]: (line["state"], line["params"]) for line in run.told
    }


def test_no_trial_is_handed_to_two_workers(run):
    numbers = sorted(line["number"] for line in run.told)

    assert numbers == list(range(WORKERS * TRIALS))


def test_every_trial_of_the_workers_is_finished(run):
    states = {trial.state for trial in run.trials}

    assert states <= FINISHED
    assert TrialState.COMPLETE in states


def test_best_files_read_while_workers_rewrite_them_are_whole(run):
    assert run.reads
    assert all(
        set(read) == {"BasicParams", "LogisticRegressionHP"} for read in run.reads
    )


def test_each_worker_best_file_holds_a_completed_trial(run):
    completed = [
        {"c": trial.params[C], "solver": trial.params[SOLVER]}
        for trial in run.trials
        if trial.state == TrialState.COMPLETE
    ]

    files = [yaml.safe_load(path.read_text()) for path in run.best.glob("*.yaml")]

    assert len(files) == WORKERS
    assert all(file["LogisticRegressionHP"] in completed for file in files)


# --- a worker killed mid-trial -----------------------------------------------------

HEARTBEAT, GRACE = 1, 2
CRASH_FLAGS = ("--heartbeat", str(HEARTBEAT), "--grace", str(GRACE), "--retry", "1")


class Crash:
    """A worker killed with SIGKILL while its trial runs, beside a survivor."""

    def __init__(self, url: str) -> None:
        # The survivor asks every half second until it has completed the retry.
        survivor_flags = ("--trials", "30", "--trial-seconds", "0.5", "--until-retry")
        survivor = subprocess.Popen(
            worker_command(url, *CRASH_FLAGS, *survivor_flags),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        victim = subprocess.Popen(
            worker_command(url, *CRASH_FLAGS, "--hang"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert victim.stdout is not None
        asked = json.loads(victim.stdout.readline() or "{}")
        assert asked, victim.communicate()[1]

        victim.kill()
        victim.wait()
        self.killed_at = datetime.now()
        self.number: int = asked["asked"]
        self.params: dict[str, Any] = asked["params"]
        self.state_after_kill = load_study(url).trials[self.number].state
        self.told = finish(survivor)
        self.trials = load_study(url).get_trials()


@pytest.fixture(scope="module", params=["postgresql", "sqlite"])
def crash(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Crash]:
    folder = tmp_path_factory.mktemp(request.param)
    for url in storage_url(request.param, request, folder):
        yield Crash(url)


def test_killed_worker_trial_stays_running_until_the_grace_period(crash):
    assert crash.state_after_kill == TrialState.RUNNING


def test_killed_worker_trial_is_failed_within_the_grace_period(crash):
    trial = crash.trials[crash.number]

    assert trial.state == TrialState.FAIL
    assert trial.datetime_complete is not None
    waited = (trial.datetime_complete - crash.killed_at).total_seconds()
    # The last beat came at most HEARTBEAT before the kill; the trial is stale
    # GRACE after it (up to a second later: SQLite counts whole seconds), and
    # found by the survivor, which looks at most once a HEARTBEAT, at an ask
    # (every half second). One more second for a busy machine.
    latest = GRACE + 1 + HEARTBEAT + 0.5 + 1
    assert GRACE - HEARTBEAT - 1 <= waited <= latest


def test_killed_worker_trial_is_retried_with_its_parameters(crash):
    retries = [
        trial
        for trial in crash.trials
        if trial.system_attrs.get("failed_trial") == crash.number
    ]

    assert [(trial.state, trial.params) for trial in retries] == [
        (TrialState.COMPLETE, crash.params)
    ]


def test_retry_is_the_next_sample_the_survivor_is_handed(crash):
    retried = [line for line in crash.told if line["retry_of"] is not None]

    assert [line["retry_of"] for line in retried] == [crash.number]
    assert retried[0]["params"] == crash.params


def test_killed_worker_leaves_no_trial_running_or_waiting(crash):
    assert {trial.state for trial in crash.trials} <= FINISHED
