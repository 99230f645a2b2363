"""The Tuner on the iris example's generated modules, with hand-made definitions."""

from __future__ import annotations

import math
import sys
from types import ModuleType
from typing import Any

import optuna
import pytest
from optuna.trial import TrialState

from spockc.runtime import (
    Choices,
    ConfigError,
    Definitions,
    FloatRange,
    IntRange,
    OptunaTunerConfig,
    make_space,
)
from spockc.runtime.tuning import Tuner, TuningError

optuna.logging.set_verbosity(optuna.logging.WARNING)

C = "LogisticRegressionHP.c"
SOLVER = "LogisticRegressionHP.solver"
TUNED = ("LogisticRegressionHP",)


def definitions(solvers: tuple[str, ...] = ("lbfgs", "saga")) -> Definitions:
    return Definitions({C: FloatRange(1e-07, 10.0, log=True), SOLVER: Choices(solvers)})


def random_config(**kwargs: Any) -> OptunaTunerConfig:
    return OptunaTunerConfig(sampler=optuna.samplers.RandomSampler(seed=7), **kwargs)


def make_tuner(
    iris: ModuleType, config: OptunaTunerConfig | None = None, **kwargs: Any
) -> Tuner[Any]:
    config = config or random_config(direction="maximize")
    return Tuner(iris._SCHEMA, TUNED, definitions(**kwargs), config)


def fixed(iris: ModuleType, n_trials: int = 3) -> Any:
    params = iris.BasicParams(n_trials=n_trials, max_iter=150)
    return make_space(iris.Spockspace, {"BasicParams": params})


def schema_with_sampler(iris: ModuleType, sampler: str | None) -> Any:
    return iris._SCHEMA.__class__(
        source="config.py",
        classes=iris._SCHEMA.classes,
        fixed_space=iris.Spockspace,
        sampled_space=iris.SampledSpockspace,
        sampler=sampler,
    )


def test_sample_returns_fixed_and_tuned_classes_with_declared_types(iris):
    tuner = make_tuner(iris)

    space = tuner.sample(fixed(iris))

    assert type(space) is iris.SampledSpockspace
    assert space.BasicParams == iris.BasicParams(n_trials=3, max_iter=150)
    hp = space.LogisticRegressionHP
    assert type(hp) is iris.LogisticRegressionHP
    assert type(hp.c) is float
    assert 1e-07 <= hp.c <= 10.0
    assert hp.solver in ("lbfgs", "saga")


def test_sample_asks_parameters_named_class_dot_field(iris):
    tuner = make_tuner(iris)

    hp = tuner.sample(fixed(iris)).LogisticRegressionHP

    assert tuner.status["trial"].params == {C: hp.c, SOLVER: hp.solver}
    assert set(tuner.distributions) == {C, SOLVER}


def test_sample_values_are_the_trial_params(iris):
    tuner = make_tuner(iris)

    for _ in range(20):
        hp = tuner.sample(fixed(iris)).LogisticRegressionHP
        params = tuner.status["trial"].params
        assert (hp.c, hp.solver) == (params[C], params[SOLVER])
        tuner.status["study"].tell(tuner.status["trial"], hp.c)


def test_status_tell_completes_the_trial_of_the_last_sample(iris):
    tuner = make_tuner(iris)
    tuner.sample(fixed(iris))

    status = tuner.status
    status["study"].tell(status["trial"], 0.5)

    (trial,) = status["study"].get_trials()
    assert trial.state is TrialState.COMPLETE
    assert trial.value == 0.5


def test_status_before_any_sample_is_an_error(iris):
    tuner = make_tuner(iris)

    with pytest.raises(TuningError, match=r"call sample\(\) first"):
        tuner.status  # noqa: B018 - the property raises


def test_peek_returns_what_the_next_sample_returns(iris):
    tuner = make_tuner(iris)

    peeked = tuner.peek(fixed(iris))
    again = tuner.peek(fixed(iris))
    sampled = tuner.sample(fixed(iris))

    assert peeked is again is sampled
    assert len(tuner.study.get_trials()) == 1


def test_peek_does_not_change_status_or_count(iris):
    tuner = make_tuner(iris)
    tuner.sample(fixed(iris))
    first = tuner.status["trial"]

    tuner.peek(fixed(iris))

    assert tuner.status["trial"] is first
    assert tuner.sample_count == 1


def test_sample_count_counts_samples_handed_out(iris):
    tuner = make_tuner(iris)

    for _ in range(3):
        tuner.peek(fixed(iris))
        tuner.sample(fixed(iris))
    tuner.peek(fixed(iris))

    assert tuner.sample_count == 3


def test_saving_loop_leaves_no_trial_running(iris):
    tuner = make_tuner(iris)

    for _ in range(4):
        tuner.peek(fixed(iris))  # what save(add_tuner_sample=True) does
        hp = tuner.sample(fixed(iris))
        tuner.status["study"].tell(tuner.status["trial"], hp.LogisticRegressionHP.c)

    states = [trial.state for trial in tuner.study.get_trials()]
    assert states == [TrialState.COMPLETE] * 4


def test_close_fails_a_trial_peeked_but_never_sampled(iris):
    tuner = make_tuner(iris)
    tuner.peek(fixed(iris))

    tuner.close()

    (trial,) = tuner.study.get_trials()
    assert trial.state is TrialState.FAIL


def test_collecting_the_tuner_fails_its_peeked_trial(iris):
    tuner = make_tuner(iris)
    study = tuner.study
    tuner.peek(fixed(iris))

    del tuner

    (trial,) = study.get_trials()
    assert trial.state is TrialState.FAIL


def test_close_fails_the_last_sample_left_untold(iris):
    tuner = make_tuner(iris)
    tuner.sample(fixed(iris))
    tuner.status["study"].tell(tuner.status["trial"], 1.0)
    tuner.sample(fixed(iris))  # the loop stopped before telling this one

    tuner.close()

    states = [trial.state for trial in tuner.study.get_trials()]
    assert states == [TrialState.COMPLETE, TrialState.FAIL]


def test_close_leaves_told_trials_alone(iris):
    tuner = make_tuner(iris)
    tuner.sample(fixed(iris))
    tuner.status["study"].tell(tuner.status["trial"], 1.0)

    tuner.close()

    (trial,) = tuner.study.get_trials()
    assert trial.state is TrialState.COMPLETE


@pytest.mark.parametrize(
    ("direction", "best_value"), [("maximize", 9.0), ("minimize", 1.0)]
)
def test_best_follows_the_study_direction(iris, direction, best_value):
    tuner = make_tuner(iris, random_config(direction=direction))
    values = {}
    for value in (3.0, 9.0, 1.0, 5.0):
        space = tuner.sample(fixed(iris))
        values[value] = space.LogisticRegressionHP
        tuner.status["study"].tell(tuner.status["trial"], value)

    space, value = tuner.best(fixed(iris))

    assert value == best_value
    assert space.LogisticRegressionHP == values[best_value]
    assert space.BasicParams == fixed(iris).BasicParams
    assert type(space) is iris.SampledSpockspace


def test_best_counts_only_completed_trials(iris):
    tuner = make_tuner(iris)
    tuner.sample(fixed(iris))
    tuner.status["study"].tell(tuner.status["trial"], 0.25)
    tuner.sample(fixed(iris))
    tuner.status["study"].tell(tuner.status["trial"], state=TrialState.PRUNED)
    tuner.sample(fixed(iris))  # left running

    _, value = tuner.best(fixed(iris))

    assert value == 0.25


def test_best_without_completed_trial_is_an_error(iris):
    tuner = make_tuner(iris)
    tuner.sample(fixed(iris))

    with pytest.raises(TuningError, match="no completed trial"):
        tuner.best(fixed(iris))


def test_best_trial_without_the_tuned_parameters_is_an_error(iris):
    tuner = make_tuner(iris)
    tuner.sample(fixed(iris))
    tuner.status["study"].tell(tuner.status["trial"], 0.5)
    stranger = tuner.study.ask()  # asked outside the tuner: no parameters
    tuner.study.tell(stranger, 0.9)

    with pytest.raises(TuningError) as caught:
        tuner.best(fixed(iris))

    (problem,) = caught.value.problems
    assert f"best trial (number 1) has no value for {C}, {SOLVER}" in problem.message


def test_best_of_a_multi_objective_study_is_an_error(iris):
    config = random_config(directions=["maximize", "minimize"])
    tuner = make_tuner(iris, config)
    tuner.sample(fixed(iris))
    tuner.status["study"].tell(tuner.status["trial"], [1.0, 2.0])

    with pytest.raises(TuningError, match=r"2 objectives.*best_trials"):
        tuner.best(fixed(iris))


def test_trial_report_and_should_prune_work_with_a_pruner(iris):
    pruner = optuna.pruners.ThresholdPruner(lower=0.5)
    tuner = make_tuner(iris, random_config(direction="maximize", pruner=pruner))
    tuner.sample(fixed(iris))
    trial = tuner.status["trial"]

    trial.report(0.9, step=0)
    keep = trial.should_prune()
    trial.report(0.1, step=1)
    prune = trial.should_prune()

    assert (keep, prune) == (False, True)


def test_study_settings_come_from_the_config(iris):
    config = random_config(study_name="iris-settings", direction="maximize")

    tuner = make_tuner(iris, config)

    assert tuner.study.study_name == "iris-settings"
    assert tuner.study.direction is optuna.study.StudyDirection.MAXIMIZE
    assert tuner.study.sampler is config.sampler


def test_schema_without_sampler_module_says_to_compile(iris):
    schema = schema_with_sampler(iris, "config_spock_sampler_missing")

    with pytest.raises(ConfigError, match=r"spockc compile config\.py") as caught:
        Tuner(schema, TUNED, definitions(), random_config())

    assert "config_spock_sampler_missing" in str(caught.value)


def test_schema_without_tuner_classes_is_an_error(iris):
    schema = schema_with_sampler(iris, None)

    with pytest.raises(ConfigError, match="no @spockTuner class"):
        Tuner(schema, TUNED, definitions(), random_config())


def test_sampled_c_covers_its_log_range(iris):
    tuner = make_tuner(iris)

    values = [tuner.sample(fixed(iris)).LogisticRegressionHP.c for _ in range(300)]

    logs = [math.log10(value) for value in values]
    assert min(logs) < -5.5
    assert max(logs) > 0.0
    assert all(1e-07 <= value <= 10.0 for value in values)


def test_sampler_importing_a_class_gone_from_the_namespace_is_out_of_date(
    iris, tmp_path, on_path
):
    (tmp_path / "gone_sampler.py").write_text("from config_spock import Gone\n")
    sys.path.insert(0, str(tmp_path))
    on_path.append(str(tmp_path))

    with pytest.raises(ConfigError) as caught:
        Tuner(
            schema_with_sampler(iris, "gone_sampler"),
            TUNED,
            definitions(),
            random_config(),
        )

    (problem,) = caught.value.problems
    assert "'gone_sampler' is out of date" in problem.message
    assert "run `spockc compile config.py`" in problem.message


def test_sampler_missing_a_tuned_field_is_out_of_date(iris, tmp_path, on_path):
    sampler = """
from optuna.distributions import FloatDistribution

def make_distributions(definitions, classes):
    return {"LogisticRegressionHP.c": FloatDistribution(1e-07, 10.0, log=True)}

def sample(study, distributions, classes):
    raise AssertionError("never asked")
"""
    (tmp_path / "short_sampler.py").write_text(sampler)
    sys.path.insert(0, str(tmp_path))
    on_path.append(str(tmp_path))

    with pytest.raises(ConfigError, match="'short_sampler' is out of date"):
        Tuner(
            schema_with_sampler(iris, "short_sampler"),
            TUNED,
            definitions(),
            random_config(),
        )


def test_sampler_reading_a_field_as_another_kind_is_out_of_date(iris):
    as_int = Definitions({C: IntRange(1, 10), SOLVER: Choices(("lbfgs", "saga"))})

    with pytest.raises(ConfigError, match="'config_spock_sampler' is out of date"):
        Tuner(iris._SCHEMA, TUNED, as_int, random_config())
