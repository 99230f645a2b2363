"""The iris example tunes for real: run as a user runs it, in a copy of its folder."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import IRIS

pytest.importorskip("sklearn", reason="the iris example needs scikit-learn")

FILES = ("config.py", "config_spock.py", "config_spock_sampler.py", "tune.py")


def copy_example(folder: Path) -> Path:
    for name in (*FILES, "tune.yaml"):
        shutil.copy(IRIS / name, folder / name)
    return folder


def run_tune(folder: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "tune.py", "--config", "tune.yaml", *flags]
    return subprocess.run(command, cwd=folder, capture_output=True, text=True)


def trial_states(database: Path) -> list[str]:
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT state FROM trials ORDER BY number")
        return [state for (state,) in rows]


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """Run the example twice with 3 trials each; return its folder and outputs."""
    folder = copy_example(tmp_path_factory.mktemp("iris"))
    outputs = []
    for _ in range(2):
        result = run_tune(folder, "--BasicParams.n_trials", "3")
        assert result.returncode == 0, result.stderr
        outputs.append(result.stdout)
    return folder, outputs


def test_iris_example_prints_best_score_and_configuration(two_runs):
    _, outputs = two_runs

    lines = outputs[0].splitlines()

    score = next(line for line in lines if line.startswith("best validation"))
    assert 0.0 <= float(score.rsplit(" ", 1)[1]) <= 1.0
    assert any(
        line.startswith("best configuration: LogisticRegressionHP(c=") for line in lines
    )


def test_iris_example_resumes_its_sqlite_study_and_leaves_no_trial_running(two_runs):
    folder, _ = two_runs

    states = trial_states(folder / "runs" / "iris.db")

    assert states == ["COMPLETE"] * 6


def test_iris_example_saves_every_sample_and_one_best_file(two_runs):
    folder, _ = two_runs

    samples = sorted((folder / "runs").glob("iris.hp.sample.*.spock.cfg.yaml"))
    best = sorted((folder / "runs").glob("iris.hp.best.*.spock.cfg.yaml"))

    assert len(samples) == 6
    assert len(best) == 1
