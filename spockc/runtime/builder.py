"""The builder generated namespace modules subclass (work in progress)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypedDict, TypeVar

from spockc.runtime.schema import Schema, Spockspace

if TYPE_CHECKING:
    import optuna

FixedT = TypeVar("FixedT", bound=Spockspace)
SampledT = TypeVar("SampledT", bound=Spockspace)


class TunerStatus(TypedDict):
    """What `tuner_status` returns: the study and the trial of the last sample."""

    study: optuna.Study
    trial: optuna.trial.Trial


class ConfigArgBuilder(Generic[FixedT, SampledT]):
    """Build the classes of a generated module from config files and flags."""

    schema: ClassVar[Schema[Any, Any]]
