"""Drive an Optuna study through the generated sampler module of a schema.

`ConfigArgBuilder.tuner()` creates one `Tuner`; the builder's `sample()`,
`tuner_status`, `best` and the saving of samples delegate to it. This module and
`storage.py` (opening the study, heartbeats of trials) are the only runtime modules
that import optuna, and the builder imports them only on the tuning path, so a
program that never tunes never pays for optuna.

The per-trial path is kept to what the work needs: one `study.ask` with the fixed
distributions (in the generated code), building the tuned classes, and one
`make_space`. Nothing is logged per trial; Optuna already does.
"""

from __future__ import annotations

import functools
import importlib
import weakref
from collections.abc import Callable, Collection, Mapping
from types import ModuleType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import optuna
from optuna.distributions import (
    BaseDistribution,
    CategoricalDistribution,
    FloatDistribution,
    IntDistribution,
)
from optuna.trial import FrozenTrial, Trial, TrialState

from spockc.runtime.definitions import Definitions
from spockc.runtime.errors import ConfigError, Problem
from spockc.runtime.schema import Schema, Spockspace, _built, make_space
from spockc.runtime.storage import Heartbeats, open_study
from spockc.runtime.tuner_config import OptunaTunerConfig

if TYPE_CHECKING:
    from spockc.runtime.builder import TunerStatus

SampledT = TypeVar("SampledT", bound=Spockspace)

_SampleFn = Callable[..., tuple[Trial, dict[str, object]]]
_BuildFn = Callable[[Mapping[str, Any], Collection[str]], dict[str, object]]


class TuningError(ConfigError):
    """The study cannot give what was asked: no completed trial, several objectives."""


class Tuner(Generic[SampledT]):
    """Ask an Optuna study for samples of the tuned classes and build typed spaces.

    Every sample is one trial, asked only when a sample is wanted: `peek()` asks
    ahead for a trial that the next `sample()` then hands out, so saving a sample
    before returning it never asks twice.

    When the tuner is closed, collected or the program exits, a trial it asked
    for and nobody told is told FAIL, as `study.optimize` does with a trial that
    raised: the one `peek()` asked ahead, and the last one handed out when the
    loop stopped before its `tell`. So no trial of this tuner stays RUNNING.
    """

    def __init__(
        self,
        schema: Schema[Any, SampledT],
        classes: Collection[str],
        definitions: Definitions,
        config: OptunaTunerConfig,
    ) -> None:
        module = _import_sampler(schema)
        self._space_type = schema.sampled_space
        self._classes = frozenset(classes)
        self._sample_fn: _SampleFn = module.sample
        self._build_fn: _BuildFn = _sampler_function(schema, module, "build")
        self._distributions = _make_distributions(
            schema, module, definitions, self._classes
        )

        self._study, self._heartbeats = open_study(config)
        _check_directions(self._study, config)
        _check_resumable(self._study, self._distributions)

        self._pending: tuple[Trial, SampledT] | None = None
        self._last: tuple[Trial, SampledT] | None = None
        self._count = 0
        self._fixed: Spockspace | None = None
        self._fixed_classes: dict[str, object] = {}
        self._loose = _Loose()
        self._finalizer = weakref.finalize(
            self, _fail_untold, self._loose, self._heartbeats
        )

    @property
    def study(self) -> optuna.Study:
        """Return the Optuna study that trials are asked from."""
        return self._study

    @property
    def distributions(self) -> Mapping[str, BaseDistribution]:
        """Return the distribution of every tuned field, by `Class.field`."""
        return self._distributions

    @property
    def sample_count(self) -> int:
        """Return how many samples `sample()` has handed out so far."""
        return self._count

    @property
    def status(self) -> TunerStatus:
        """Return the study and the trial of the sample `sample()` returned last."""
        if self._last is None:
            raise TuningError([_problem("", "no sample yet: call sample() first")])
        return {"study": self._study, "trial": self._last[0]}

    def peek(self, fixed: Spockspace) -> SampledT:
        """Return the sample the next `sample()` hands out, asking for it if needed."""
        if self._pending is None:
            self._pending = self._ask(fixed)
            self._loose.pending = self._pending[0]
        return self._pending[1]

    def sample(self, fixed: Spockspace) -> SampledT:
        """Hand out the sample `peek()` asked for, or ask the study for a new one."""
        asked = self._pending if self._pending is not None else self._ask(fixed)
        self._pending = None
        self._loose.pending, self._loose.last = None, asked[0]
        self._last = asked
        self._count += 1
        return asked[1]

    def best(self, fixed: Spockspace) -> tuple[SampledT, float]:
        """Return the space of the best completed trial and its objective value.

        Raises:
            TuningError: the study has several objectives (its Pareto front is
                `status["study"].best_trials`), or no trial has completed.
        """
        trial = _best_trial(self._study)
        missing = [name for name in self._distributions if name not in trial.params]
        if missing:
            message = (
                f"the best trial (number {trial.number}) has no value for "
                f"{', '.join(missing)}: it was not asked through these definitions"
            )
            raise TuningError([_problem("", message)])

        built = self._build_fn(trial.params, self._classes)
        value = trial.value
        assert value is not None, "a completed single-objective trial has a value"
        return self._space(fixed, built), value

    def close(self) -> None:
        """Stop heartbeats; tell FAIL to the trials asked for that nobody told."""
        self._finalizer()

    def _ask(self, fixed: Spockspace) -> tuple[Trial, SampledT]:
        arguments = (self._study, self._distributions, self._classes)
        if self._heartbeats is None:
            trial, built = self._sample_fn(*arguments)
        else:
            ask = functools.partial(self._sample_fn, *arguments)
            trial, built = self._heartbeats.ask(self._study, ask)
        return trial, self._space(fixed, built)

    def _space(self, fixed: Spockspace, built: dict[str, object]) -> SampledT:
        if fixed is not self._fixed:
            self._fixed, self._fixed_classes = fixed, _built(fixed)
        return make_space(self._space_type, {**self._fixed_classes, **built})


def _import_sampler(schema: Schema[Any, Any]) -> ModuleType:
    """Import the generated sampler module of `schema`, or say how to create it."""
    if schema.sampler is None:
        message = "has no @spockTuner class, so there is nothing to tune"
        raise ConfigError([_problem(schema.source, message)])

    generated = (schema.sampler, schema.fixed_space.__module__)
    try:
        return importlib.import_module(schema.sampler)
    except ImportError as exc:
        if exc.name not in generated:
            raise
        reason = "was not found" if exc.name == schema.sampler else "is out of date"
        raise ConfigError([_stale(schema, reason)]) from None


def _make_distributions(
    schema: Schema[Any, Any],
    module: ModuleType,
    definitions: Definitions,
    classes: frozenset[str],
) -> dict[str, BaseDistribution]:
    """Return the sampler's distributions, checking it knows every tuned field."""
    try:
        distributions: dict[str, BaseDistribution] = module.make_distributions(
            definitions, classes
        )
    except (KeyError, TypeError):
        # A field the sampler no longer knows, or now reads as another kind.
        distributions = {}

    wanted = {name for name in definitions.by_name if name.split(".")[0] in classes}
    if set(distributions) != wanted:
        raise ConfigError([_stale(schema, "is out of date")])
    return distributions


def _sampler_function(
    schema: Schema[Any, Any], module: ModuleType, name: str
) -> Callable[..., Any]:
    """Return function `name` of the generated sampler, or say it is out of date."""
    function: object = getattr(module, name, None)
    if not callable(function):
        raise ConfigError([_stale(schema, "is out of date")])
    return function


def _stale(schema: Schema[Any, Any], reason: str) -> Problem:
    message = (
        f"the generated sampler module {schema.sampler!r} {reason}; "
        f"run `spockc compile {schema.source}` to generate it again"
    )
    return _problem(schema.source, message)


def _check_directions(study: optuna.Study, config: OptunaTunerConfig) -> None:
    """Refuse a loaded study whose directions differ from the ones asked for."""
    if config.directions is not None:
        wanted = list(config.directions)
    else:
        wanted = [config.direction or "minimize"]
    stored = [direction.name.lower() for direction in study.directions]
    if stored != wanted:
        message = (
            f"study {study.study_name!r} was created with directions {stored}, "
            f"but OptunaTunerConfig asks for {wanted}; "
            "use another study_name to start a new study"
        )
        raise ConfigError([_problem("OptunaTunerConfig", message)])


def _check_resumable(
    study: optuna.Study, distributions: Mapping[str, BaseDistribution]
) -> None:
    """Refuse definitions that the stored trials of a resumed study contradict.

    Optuna cannot continue a study in which a parameter changes its kind, its log
    scale, or the choices of a categorical; it would fail at the first trial with
    a message that names no field. Checking here names every changed field.
    """
    seen: dict[str, BaseDistribution] = {}
    for trial in study.get_trials(deepcopy=False):
        for name, stored in trial.distributions.items():
            if name in distributions and name not in seen:
                seen[name] = stored

    problems = []
    for name, stored in seen.items():
        reason = _incompatibility(stored, distributions[name])
        if reason:
            message = (
                f"{reason}; Optuna cannot resume study {study.study_name!r} with "
                "this definition: restore it, or use another study_name"
            )
            problems.append(_problem(name, message))
    if problems:
        raise ConfigError(problems)


def _incompatibility(stored: BaseDistribution, new: BaseDistribution) -> str:
    """Return why `new` cannot replace `stored` in one study, or an empty string."""
    if type(stored) is not type(new):
        return f"was {_describe(stored)} in stored trials, now {_describe(new)}"
    if isinstance(stored, FloatDistribution | IntDistribution):
        assert isinstance(new, FloatDistribution | IntDistribution)
        if stored.log != new.log:
            return f"log_scale was {stored.log} in stored trials, now {new.log}"
    if isinstance(stored, CategoricalDistribution):
        assert isinstance(new, CategoricalDistribution)
        if stored.choices != new.choices:
            old, now = list(stored.choices), list(new.choices)
            return f"choices were {old} in stored trials, now {now}"
    return ""


def _describe(distribution: BaseDistribution) -> str:
    if isinstance(distribution, FloatDistribution):
        return "a float range"
    if isinstance(distribution, IntDistribution):
        return "an int range"
    return "a choice"


def _best_trial(study: optuna.Study) -> FrozenTrial:
    """Return the best completed trial of a single-objective study."""
    if len(study.directions) > 1:
        message = (
            f"study {study.study_name!r} has {len(study.directions)} objectives, "
            "so no single trial is best; its Pareto front is "
            'tuner_status["study"].best_trials'
        )
        raise TuningError([_problem("", message)])

    completed = study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))
    if not completed:
        message = (
            f"study {study.study_name!r} has no completed trial yet; tell the "
            'study a value first: tuner_status["study"].tell(trial, value)'
        )
        raise TuningError([_problem("", message)])

    try:
        return study.best_trial
    except ValueError as exc:  # constrained studies: no feasible trial
        raise TuningError([_problem("", str(exc))]) from None


class _Loose:
    """The trials a tuner may leave RUNNING: asked ahead, or handed out last."""

    __slots__ = ("last", "pending")

    def __init__(self) -> None:
        self.pending: Trial | None = None
        self.last: Trial | None = None


def _fail_untold(loose: _Loose, heartbeats: Heartbeats | None) -> None:
    """Stop the heartbeats, and tell FAIL to the trials in `loose` still running."""
    if heartbeats is not None:
        heartbeats.stop()
    trials = [trial for trial in (loose.pending, loose.last) if trial is not None]
    loose.pending = loose.last = None
    if not trials:
        return

    try:
        # Asked first, because telling a finished trial again logs a message.
        study = trials[0].study
        states = (TrialState.RUNNING,)
        running = {trial.number for trial in study.get_trials(False, states=states)}
        for trial in trials:
            if trial.number in running:
                study.tell(trial, state=TrialState.FAIL)
    except Exception:  # runs at exit too, when the storage may be gone
        return


def _problem(key: str, message: str) -> Problem:
    return Problem(where="", key=key, message=message)
