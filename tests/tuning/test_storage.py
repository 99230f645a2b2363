"""Studies in SQLite: resuming across tuners and processes, and refusing to."""

from __future__ import annotations

import importlib
import subprocess
import sys
import textwrap
from pathlib import Path
from types import ModuleType
from typing import Any

import optuna
import pytest
from optuna.trial import TrialState

from spockc.compiler import compile_source
from spockc.runtime import (
    Choices,
    ConfigError,
    Definitions,
    FloatRange,
    IntRange,
    OptunaTunerConfig,
    make_space,
)
from spockc.runtime.tuning import Tuner

from .conftest import IRIS, forget_generated

optuna.logging.set_verbosity(optuna.logging.WARNING)

C = "LogisticRegressionHP.c"
SOLVER = "LogisticRegressionHP.solver"
TUNED = ("LogisticRegressionHP",)


def sqlite_config(path: Path, **kwargs: Any) -> OptunaTunerConfig:
    settings: dict[str, Any] = {
        "storage": f"sqlite:///{path}",
        "study_name": "iris",
        "direction": "maximize",
        "load_if_exists": True,
    }
    settings.update(kwargs)
    return OptunaTunerConfig(**settings)


LOG_C = FloatRange(1e-07, 10.0, log=True)


def definitions(
    c: FloatRange | IntRange = LOG_C, solvers: tuple[str, ...] = ("lbfgs", "saga")
) -> Definitions:
    return Definitions({C: c, SOLVER: Choices(solvers)})


def run_trials(iris: ModuleType, tuner: Tuner[Any], values: list[float]) -> None:
    params = iris.BasicParams(n_trials=len(values), max_iter=150)
    fixed = make_space(iris.Spockspace, {"BasicParams": params})
    for value in values:
        tuner.sample(fixed)
        tuner.status["study"].tell(tuner.status["trial"], value)


def test_sqlite_study_resumes_in_a_second_tuner(iris, tmp_path):
    config = sqlite_config(tmp_path / "iris.db")
    first = Tuner(iris._SCHEMA, TUNED, definitions(), config)
    run_trials(iris, first, [0.1, 0.2])

    second = Tuner(iris._SCHEMA, TUNED, definitions(), config)
    run_trials(iris, second, [0.3])

    trials = second.study.get_trials()
    assert [trial.value for trial in trials] == [0.1, 0.2, 0.3]
    assert {trial.state for trial in trials} == {TrialState.COMPLETE}


def test_changed_choices_cannot_resume_and_name_the_field(iris, tmp_path):
    config = sqlite_config(tmp_path / "iris.db")
    run_trials(iris, Tuner(iris._SCHEMA, TUNED, definitions(), config), [0.5])

    with pytest.raises(ConfigError) as caught:
        Tuner(iris._SCHEMA, TUNED, definitions(solvers=("lbfgs",)), config)

    (problem,) = caught.value.problems
    assert problem.key == SOLVER
    assert "choices were ['lbfgs', 'saga'] in stored trials, now ['lbfgs']" in (
        problem.message
    )
    assert "cannot resume study 'iris'" in problem.message


def test_changed_log_scale_cannot_resume(iris, tmp_path):
    config = sqlite_config(tmp_path / "iris.db")
    run_trials(iris, Tuner(iris._SCHEMA, TUNED, definitions(), config), [0.5])

    with pytest.raises(ConfigError) as caught:
        Tuner(iris._SCHEMA, TUNED, definitions(c=FloatRange(0.1, 10.0)), config)

    (problem,) = caught.value.problems
    assert (problem.key, "log_scale was True" in problem.message) == (C, True)


def test_widened_float_range_resumes(iris, tmp_path):
    config = sqlite_config(tmp_path / "iris.db")
    run_trials(iris, Tuner(iris._SCHEMA, TUNED, definitions(), config), [0.5])

    wider = definitions(c=FloatRange(1e-09, 100.0, log=True))
    tuner = Tuner(iris._SCHEMA, TUNED, wider, config)
    run_trials(iris, tuner, [0.7])

    assert len(tuner.study.get_trials()) == 2


def test_existing_study_without_load_if_exists_is_an_error(iris, tmp_path):
    config = sqlite_config(tmp_path / "iris.db")
    Tuner(iris._SCHEMA, TUNED, definitions(), config)

    again = sqlite_config(tmp_path / "iris.db", load_if_exists=False)
    with pytest.raises(ConfigError, match="load_if_exists=True"):
        Tuner(iris._SCHEMA, TUNED, definitions(), again)


def test_resuming_with_another_direction_is_an_error(iris, tmp_path):
    Tuner(iris._SCHEMA, TUNED, definitions(), sqlite_config(tmp_path / "iris.db"))

    flipped = sqlite_config(tmp_path / "iris.db", direction="minimize")
    with pytest.raises(ConfigError, match=r"\['maximize'\].*\['minimize'\]"):
        Tuner(iris._SCHEMA, TUNED, definitions(), flipped)


def test_storage_object_is_used_as_given(iris):
    storage = optuna.storages.InMemoryStorage()
    config = OptunaTunerConfig(storage=storage, study_name="given")

    tuner = Tuner(iris._SCHEMA, TUNED, definitions(), config)

    assert [study.study_name for study in storage.get_all_studies()] == ["given"]
    assert tuner.study._storage is storage


def test_storage_in_a_missing_folder_is_a_clear_error(iris, tmp_path):
    config = sqlite_config(tmp_path / "missing" / "iris.db")

    with pytest.raises(ConfigError) as caught:
        Tuner(iris._SCHEMA, TUNED, definitions(), config)

    (problem,) = caught.value.problems
    assert problem.key == "OptunaTunerConfig.storage"
    assert "unable to open database file" in problem.message


def test_storage_url_of_unknown_database_is_a_clear_error(iris):
    config = OptunaTunerConfig(storage="nosuchdb://here")

    with pytest.raises(ConfigError) as caught:
        Tuner(iris._SCHEMA, TUNED, definitions(), config)

    (problem,) = caught.value.problems
    assert problem.key == "OptunaTunerConfig.storage"
    assert "cannot open the storage 'nosuchdb://here'" in problem.message


@pytest.mark.parametrize("name", ["sampler", "pruner", "storage"])
def test_sampler_pruner_or_storage_of_a_wrong_type_is_a_clear_error(iris, name):
    config = OptunaTunerConfig(**{name: 42})

    with pytest.raises(ConfigError) as caught:
        Tuner(iris._SCHEMA, TUNED, definitions(), config)

    (problem,) = caught.value.problems
    assert problem.key == f"OptunaTunerConfig.{name}"
    assert problem.message.endswith("got 42")


def test_program_exit_fails_the_trial_it_left_untold(iris, tmp_path):
    database = tmp_path / "iris.db"
    script = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(IRIS)!r})
        import config_spock as iris
        from spockc import OptunaTunerConfig

        config = OptunaTunerConfig(
            storage="sqlite:///{database}", study_name="iris", direction="maximize"
        )
        builder = iris.ConfigArgBuilder(
            iris.LogisticRegressionHP, iris.BasicParams,
            args=["--config", {str(IRIS / "tune.yaml")!r}],
        ).tuner(tuner_config=config)
        builder.sample()
        builder.tuner_status["study"].tell(builder.tuner_status["trial"], 0.5)
        builder.sample()
        raise SystemExit("stopped before telling")
        """
    )

    subprocess.run([sys.executable, "-c", script], capture_output=True, check=False)

    study = optuna.load_study(study_name="iris", storage=f"sqlite:///{database}")
    states = [trial.state for trial in study.get_trials()]
    assert states == [TrialState.COMPLETE, TrialState.FAIL]


WORKER = """
import sys
sys.path.insert(0, {iris!r})
import optuna
optuna.logging.set_verbosity(optuna.logging.WARNING)
import config_spock as iris
from spockc import OptunaTunerConfig

config = OptunaTunerConfig(
    storage="sqlite:///{database}", study_name="shared", direction="maximize",
    load_if_exists=True,
)
builder = iris.ConfigArgBuilder(
    iris.LogisticRegressionHP, iris.BasicParams, args=["--config", {tune_yaml!r}]
).tuner(tuner_config=config)
for _ in range(5):
    hp = builder.sample()
    builder.tuner_status["study"].tell(
        builder.tuner_status["trial"], hp.LogisticRegressionHP.c
    )
"""


def test_two_workers_opening_a_fresh_database_at_once_share_one_study(tmp_path):
    database = tmp_path / "shared.db"
    tune_yaml = str(IRIS / "tune.yaml")
    code = WORKER.format(iris=str(IRIS), database=database, tune_yaml=tune_yaml)

    workers = [
        subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    errors = [worker.communicate()[1].decode() for worker in workers]

    assert [worker.returncode for worker in workers] == [0, 0], errors
    study = optuna.load_study(study_name="shared", storage=f"sqlite:///{database}")
    assert [trial.state for trial in study.get_trials()] == [TrialState.COMPLETE] * 10


KIND_SOURCE = """
from spockc import RangeHyperParameter, spockTuner


@spockTuner
class Net:
    width: RangeHyperParameter[{kind}]
"""


def compiled(folder: Path, kind: str) -> ModuleType:
    """Compile KIND_SOURCE with `width` of type `kind`; import it fresh."""
    folder.mkdir()
    generated = compile_source(KIND_SOURCE.format(kind=kind), "config.py")
    (folder / "config_spock.py").write_text(generated.namespace)
    (folder / "config_spock_sampler.py").write_text(generated.sampler)
    forget_generated()
    sys.path.insert(0, str(folder))
    try:
        module = importlib.import_module("config_spock")
        importlib.import_module("config_spock_sampler")
        return module
    finally:
        sys.path.remove(str(folder))


def test_range_changing_kind_cannot_resume(tmp_path, on_path):
    config = sqlite_config(tmp_path / "net.db", direction="minimize")
    as_float = compiled(tmp_path / "float", "float")
    definitions = Definitions({"Net.width": FloatRange(1.0, 64.0)})
    tuner = Tuner(as_float._SCHEMA, ("Net",), definitions, config)
    tuner.sample(make_space(as_float.Spockspace, {}))
    tuner.status["study"].tell(tuner.status["trial"], 1.0)

    as_int = compiled(tmp_path / "int", "int")
    with pytest.raises(ConfigError) as caught:
        Tuner(
            as_int._SCHEMA,
            ("Net",),
            Definitions({"Net.width": IntRange(1, 64)}),
            config,
        )

    (problem,) = caught.value.problems
    assert problem.key == "Net.width"
    assert "was a float range in stored trials, now an int range" in problem.message
