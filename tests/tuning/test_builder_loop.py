"""The seed page's loop through ConfigArgBuilder: tuner, sample, tell, save, best."""

from __future__ import annotations

import importlib
import math
import sys
import textwrap
from pathlib import Path
from types import ModuleType
from typing import Any

import optuna
import pytest
import yaml
from optuna.trial import TrialState

from spockc.compiler import compile_source
from spockc.runtime import ConfigError, OptunaTunerConfig

optuna.logging.set_verbosity(optuna.logging.WARNING)

TUNE_YAML = """\
BasicParams:
  n_trials: 5
LogisticRegressionHP:
  c: {type: float, bounds: [1E-07, 10.0], log_scale: true}
  solver: {type: str, choices: ["lbfgs", "saga"]}
"""


def score(hp: Any) -> float:
    """Stand in for a validation accuracy: best near c = 0.01 with saga."""
    return -abs(math.log10(hp.LogisticRegressionHP.c) + 2) + (
        hp.LogisticRegressionHP.solver == "saga"
    )


def random_config(**kwargs: Any) -> OptunaTunerConfig:
    sampler = optuna.samplers.RandomSampler(seed=5)
    return OptunaTunerConfig(sampler=sampler, direction="maximize", **kwargs)


def make_builder(iris: ModuleType, *args: str) -> Any:
    return iris.ConfigArgBuilder(
        iris.LogisticRegressionHP, iris.BasicParams, desc="iris", args=list(args)
    )


@pytest.fixture
def tune_yaml(tmp_path: Path) -> str:
    path = tmp_path / "tune.yaml"
    path.write_text(TUNE_YAML)
    return str(path)


def saved(folder: Path, pattern: str) -> list[dict[str, Any]]:
    paths = sorted(folder.glob(pattern), key=lambda path: int(path.name.split(".")[3]))
    return [yaml.safe_load(path.read_text()) for path in paths]


def test_seed_loop_tells_every_trial_and_leaves_none_running(iris, tune_yaml):
    builder = make_builder(iris, "--config", tune_yaml).tuner(random_config())
    fixed_params = builder.generate()

    told = []
    for _ in range(fixed_params.BasicParams.n_trials):
        hp_attrs = builder.sample()
        tuner_status = builder.tuner_status
        tuner_status["study"].tell(tuner_status["trial"], score(hp_attrs))
        told.append((score(hp_attrs), hp_attrs))

    trials = builder.tuner_status["study"].get_trials()
    assert [trial.state for trial in trials] == [TrialState.COMPLETE] * 5
    best, value = builder.best
    assert (value, best) == max(told, key=lambda pair: pair[0])


def test_saved_sample_is_the_sample_sample_returns_next(iris, tune_yaml, tmp_path):
    builder = make_builder(iris, "--config", tune_yaml).tuner(random_config())

    returned = []
    for _ in range(3):
        hp = builder.save(
            add_tuner_sample=True, user_specified_path=tmp_path, file_name="iris"
        ).sample()
        builder.tuner_status["study"].tell(builder.tuner_status["trial"], score(hp))
        returned.append(hp.LogisticRegressionHP)

    files = saved(tmp_path, "iris.hp.sample.*.spock.cfg.yaml")
    assert [file["LogisticRegressionHP"] for file in files] == [
        {"c": hp.c, "solver": hp.solver} for hp in returned
    ]
    states = [trial.state for trial in builder.tuner_status["study"].get_trials()]
    assert states == [TrialState.COMPLETE] * 3


def test_saved_sample_builds_again_as_the_same_space(iris, tune_yaml, tmp_path):
    builder = make_builder(iris, "--config", tune_yaml).tuner(random_config())
    hp = builder.save(add_tuner_sample=True, user_specified_path=tmp_path).sample()

    (path,) = tmp_path.glob("hp.sample.1.*.spock.cfg.yaml")
    again = make_builder(iris, "--config", str(path)).sample()

    assert again == hp


def test_saved_definitions_reload_as_the_same_search_space(iris, tune_yaml, tmp_path):
    builder = make_builder(iris, "--config", tune_yaml).tuner(random_config())
    builder.save(user_specified_path=tmp_path)

    (path,) = tmp_path.glob("*.spock.cfg.yaml")
    again = make_builder(iris, "--config", str(path)).tuner(random_config())
    again.sample()

    distributions = again.tuner_status["trial"].distributions
    assert distributions == {
        "LogisticRegressionHP.c": optuna.distributions.FloatDistribution(
            1e-07, 10.0, log=True
        ),
        "LogisticRegressionHP.solver": optuna.distributions.CategoricalDistribution(
            ("lbfgs", "saga")
        ),
    }
    assert again.generate() == builder.generate()


def test_save_best_file_builds_the_best_values_with_native_types(
    iris, tune_yaml, tmp_path
):
    builder = make_builder(iris, "--config", tune_yaml).tuner(random_config())
    for _ in range(4):
        hp = builder.sample()
        builder.tuner_status["study"].tell(builder.tuner_status["trial"], score(hp))
        builder.save_best(user_specified_path=tmp_path, file_name="iris")

    (path,) = tmp_path.glob("iris.hp.best.*.spock.cfg.yaml")
    again = make_builder(iris, "--config", str(path)).sample()

    best, _ = builder.best
    assert again == best
    assert type(again.LogisticRegressionHP.c) is float
    assert again.BasicParams.n_trials == 5


def test_save_best_without_completed_trial_raises_and_writes_nothing(
    iris, tune_yaml, tmp_path
):
    builder = make_builder(iris, "--config", tune_yaml).tuner(random_config())
    builder.sample()

    with pytest.raises(ConfigError, match="no completed trial"):
        builder.save_best(user_specified_path=tmp_path / "runs")

    assert not (tmp_path / "runs").exists() or not any((tmp_path / "runs").iterdir())


def test_sample_before_tuner_is_an_error(iris, tune_yaml):
    builder = make_builder(iris, "--config", tune_yaml)

    with pytest.raises(ConfigError, match=r"call tuner\(\) before sample\(\)"):
        builder.sample()


def test_builders_resume_one_sqlite_study(iris, tune_yaml, tmp_path):
    config = random_config(
        storage=f"sqlite:///{tmp_path / 'iris.db'}",
        study_name="iris",
        load_if_exists=True,
    )
    for _ in range(2):
        builder = make_builder(iris, "--config", tune_yaml).tuner(config)
        for _ in range(2):
            hp = builder.save(
                add_tuner_sample=True, user_specified_path=tmp_path
            ).sample()
            builder.tuner_status["study"].tell(builder.tuner_status["trial"], score(hp))

    trials = builder.tuner_status["study"].get_trials()
    assert [trial.state for trial in trials] == [TrialState.COMPLETE] * 4


C15_SOURCE = """
from spockc import RangeHyperParameter, spockTuner


@spockTuner
class Enc:
    lr: RangeHyperParameter


@spockTuner
class Dec:
    lr: RangeHyperParameter
    units: RangeHyperParameter
"""

C15_YAML = """\
Enc:
  lr: {type: float, bounds: [0.0001, 0.1], log_scale: true}
Dec:
  lr: {type: float, bounds: [0.5, 0.9], log_scale: false}
  units: {type: int, bounds: [0, 512], log_scale: true}
"""


@pytest.fixture
def c15(tmp_path: Path, on_path: list[str]) -> ModuleType:
    generated = compile_source(textwrap.dedent(C15_SOURCE), "config.py")
    (tmp_path / "config_spock.py").write_text(generated.namespace)
    (tmp_path / "config_spock_sampler.py").write_text(generated.sampler)
    sys.path.insert(0, str(tmp_path))
    on_path.append(str(tmp_path))
    return importlib.import_module("config_spock")


def test_c15_log_int_bound_below_one_is_rejected_before_any_trial(c15, tmp_path):
    path = tmp_path / "tune.yaml"
    path.write_text(C15_YAML)
    storage = f"sqlite:///{tmp_path / 'c15.db'}"
    builder = c15.ConfigArgBuilder(c15.Enc, c15.Dec, args=["--config", str(path)])

    with pytest.raises(ConfigError) as caught:
        builder.tuner(OptunaTunerConfig(storage=storage, study_name="c15"))

    (problem,) = caught.value.problems
    assert (problem.where, problem.key) == (f"{path}:5", "Dec.units")
    assert optuna.get_all_study_names(storage) == []


def test_c15_same_field_in_two_classes_samples_each_in_its_bounds(c15, tmp_path):
    path = tmp_path / "tune.yaml"
    path.write_text(C15_YAML.replace("[0, 512]", "[1, 512]"))
    builder = c15.ConfigArgBuilder(c15.Enc, c15.Dec, args=["--config", str(path)])
    builder.tuner(random_config())

    for _ in range(50):
        hp = builder.sample()
        builder.tuner_status["study"].tell(builder.tuner_status["trial"], 0.0)
        assert 0.0001 <= hp.Enc.lr <= 0.1
        assert 0.5 <= hp.Dec.lr <= 0.9
        assert 1 <= hp.Dec.units <= 512

    names = set(builder.tuner_status["trial"].params)
    assert names == {"Enc.lr", "Dec.lr", "Dec.units"}
