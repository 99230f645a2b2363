"""The iris example tunes for real: run as a user runs it, in a copy of its folder."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import IRIS

pytest.importorskip("sklearn", reason="the iris example needs scikit-learn")

FILES = ("config.py", "config_spock.py", "config_spock_sampler.py", "tune.py")


def copy_example(folder: Path) -> Path:
    for name in (*FILES, "tune.yaml"):
        shutil.copy(IRIS / name, folder / name)
    return folder


def run_tune(
    folder: Path, *flags: str, storage: str | None = None
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "tune.py", "--config", "tune.yaml", *flags]
    environment = {k: v for k, v in os.environ.items() if k != "IRIS_STORAGE"}
    if storage is not None:
        environment["IRIS_STORAGE"] = storage
    return subprocess.run(
        command, cwd=folder, capture_output=True, text=True, env=environment
    )


def trial_states(database: Path) -> list[str]:
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT state FROM trials ORDER BY number")
        return [state for (state,) in rows]


@dataclass
class Run:
    stdout: str
    samples: set[Path]
    best: set[Path]


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Run]]:
    """Run the example twice with 3 trials each; return its folder and the runs."""
    folder = copy_example(tmp_path_factory.mktemp("iris"))
    runs: list[Run] = []
    for _ in range(2):
        result = run_tune(folder, "--BasicParams.n_trials", "3")
        assert result.returncode == 0, result.stderr
        samples = set((folder / "runs").glob("iris.hp.sample.*.spock.cfg.yaml"))
        best = set((folder / "runs").glob("iris.hp.best.*.spock.cfg.yaml"))
        runs.append(Run(result.stdout, samples, best))
    return folder, runs


def test_iris_example_prints_best_score_and_configuration(two_runs):
    _, runs = two_runs

    lines = runs[0].stdout.splitlines()

    score = next(line for line in lines if line.startswith("best validation"))
    assert 0.0 <= float(score.rsplit(" ", 1)[1]) <= 1.0
    configuration = "best configuration: LogisticRegressionHP(c="
    assert any(line.startswith(configuration) for line in lines)


def test_iris_example_resumes_its_sqlite_study_and_leaves_no_trial_running(two_runs):
    folder, _ = two_runs

    states = trial_states(folder / "runs" / "iris.db")

    assert states == ["COMPLETE"] * 6


def test_iris_example_saves_every_sample(two_runs):
    _, runs = two_runs

    assert [len(run.samples) for run in runs] == [3, 6]


def test_iris_example_keeps_one_best_file_per_run(two_runs):
    _, runs = two_runs

    assert [len(run.best) for run in runs] == [1, 2]


def test_iris_example_with_changed_choices_stops_with_a_clear_error(two_runs):
    folder, _ = two_runs
    changed = (folder / "tune.yaml").read_text().replace('"lbfgs", "saga"', '"lbfgs"')
    (folder / "changed.yaml").write_text(changed)

    command = [sys.executable, "tune.py", "--config", "changed.yaml"]
    result = subprocess.run(command, cwd=folder, capture_output=True, text=True)

    assert result.returncode == 2
    assert "LogisticRegressionHP.solver: choices were" in result.stderr
    assert "Traceback" not in result.stderr


def test_iris_example_takes_its_storage_from_iris_storage(tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    journal = tmp_path / "shared.journal"

    result = run_tune(
        folder, "--BasicParams.n_trials", "2", storage=f"journal:{journal}"
    )

    assert result.returncode == 0, result.stderr
    assert journal.stat().st_size > 0
    assert not (folder / "runs" / "iris.db").exists()
