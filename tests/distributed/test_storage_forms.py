"""The storage forms of OptunaTunerConfig: URLs, journal files, and their errors."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import optuna
import pytest
from optuna.trial import TrialState

from spockc.runtime import ConfigError, OptunaTunerConfig

from .conftest import fixed, open_tuner

optuna.logging.set_verbosity(optuna.logging.WARNING)


def resumable(storage: object) -> OptunaTunerConfig:
    return OptunaTunerConfig(storage=storage, study_name="forms", load_if_exists=True)


def tell_one(iris: ModuleType, config: OptunaTunerConfig, value: float) -> Any:
    tuner = open_tuner(iris, config)
    tuner.sample(fixed(iris))
    tuner.study.tell(tuner.status["trial"], value)
    return tuner


def test_journal_file_study_resumes_in_a_second_tuner(iris, tmp_path):
    url = f"journal:{tmp_path / 'study.log'}"
    tell_one(iris, resumable(url), 0.25)

    tuner = tell_one(iris, resumable(url), 0.5)

    assert [trial.value for trial in tuner.study.get_trials()] == [0.25, 0.5]
    assert (tmp_path / "study.log").stat().st_size > 0


def test_journal_path_is_relative_to_the_working_folder(iris, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    tell_one(iris, resumable("journal:study.log"), 0.5)

    assert (tmp_path / "study.log").is_file()


def test_postgres_study_resumes_in_a_second_tuner(iris, postgres_url):
    tell_one(iris, resumable(postgres_url), 0.25)

    tuner = tell_one(iris, resumable(postgres_url), 0.5)

    trials = tuner.study.get_trials()
    assert [(trial.value, trial.state) for trial in trials] == [
        (0.25, TrialState.COMPLETE),
        (0.5, TrialState.COMPLETE),
    ]


def test_journal_storage_object_is_used_as_given(iris, tmp_path):
    from optuna.storages.journal import JournalFileBackend

    backend = JournalFileBackend(str(tmp_path / "study.log"))
    storage = optuna.storages.JournalStorage(backend)

    tuner = tell_one(iris, resumable(storage), 0.5)

    assert [study.study_name for study in storage.get_all_studies()] == ["forms"]
    assert len(tuner.study.get_trials()) == 1


@pytest.mark.parametrize(
    ("storage", "message"),
    [
        ("journal:", "names no file: write journal:path/to/study.log"),
        ("not a url", "a storage is sqlite:///PATH, postgresql+psycopg://"),
        ("nosuchdb://somewhere", "a storage is sqlite:///PATH, postgresql+psycopg://"),
        (
            "mysql+mysqldb://user@host/db",
            "the database driver MySQLdb is not installed",
        ),
        ("postgresql+pg8000://user@host/db", "driver pg8000 is not installed; for"),
        (
            "postgresql+psycopg://postgres@127.0.0.1:1/none",
            "cannot open the storage 'postgresql+psycopg://postgres@127.0.0.1:1/none'",
        ),
    ],
)
def test_unusable_storage_is_an_error_naming_it(iris, storage, message):
    with pytest.raises(ConfigError) as caught:
        open_tuner(iris, OptunaTunerConfig(storage=storage))

    (problem,) = caught.value.problems
    assert problem.key == "OptunaTunerConfig.storage"
    assert message in problem.message


def test_journal_in_a_missing_folder_is_an_error_naming_it(iris, tmp_path):
    missing = tmp_path / "missing" / "study.log"

    with pytest.raises(ConfigError) as caught:
        open_tuner(iris, OptunaTunerConfig(storage=f"journal:{missing}"))

    (problem,) = caught.value.problems
    assert problem.key == "OptunaTunerConfig.storage"
    assert f"cannot open the journal file {str(missing)!r}" in problem.message


@pytest.mark.parametrize("query", ["", "?timeout=30"])
def test_sqlite_setup_lock_leaves_no_file_beside_the_database(iris, tmp_path, query):
    tell_one(iris, resumable(f"sqlite:///{tmp_path / 'study.db'}{query}"), 0.5)

    assert [path.name for path in tmp_path.iterdir()] == ["study.db"]


def test_sqlite_in_memory_url_opens_a_study(iris):
    tuner = tell_one(iris, resumable("sqlite:///:memory:"), 0.5)

    assert [trial.value for trial in tuner.study.get_trials()] == [0.5]


# --- races of workers opening a fresh database -------------------------------------


def sqlalchemy_error(message: str) -> Exception:
    import sqlalchemy

    return sqlalchemy.exc.OperationalError(
        "CREATE TABLE studies", {}, Exception(message)
    )


def test_lost_setup_race_is_tried_again(monkeypatch):
    from spockc.runtime import storage

    attempts: list[int] = []

    def open_once_raced() -> str:
        attempts.append(1)
        if len(attempts) == 1:
            raise sqlalchemy_error("table studies already exists")
        return "opened"

    monkeypatch.setattr(storage.time, "sleep", lambda seconds: None)
    opened = storage._retry_setup_races(OptunaTunerConfig(), open_once_raced)

    assert (opened, len(attempts)) == ("opened", 2)


def test_other_database_error_is_not_tried_again(monkeypatch):
    from spockc.runtime import storage

    attempts: list[int] = []

    def open_refused() -> str:
        attempts.append(1)
        raise sqlalchemy_error("connection refused")

    config = OptunaTunerConfig(storage="sqlite:///x.db")
    with pytest.raises(ConfigError) as caught:
        storage._retry_setup_races(config, open_refused)

    (problem,) = caught.value.problems
    assert (problem.key, len(attempts)) == ("OptunaTunerConfig.storage", 1)
    assert "connection refused" in problem.message
