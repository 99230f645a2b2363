"""The Optuna study settings a program passes to `ConfigArgBuilder.tuner()`.

Kept free of an optuna import: `spockc` re-exports it, and importing a config
source must stay cheap.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

_DIRECTIONS = ("minimize", "maximize")


def _fresh_study_name() -> str:
    return f"spockc-{uuid.uuid4().hex}"


@dataclass(frozen=True, kw_only=True)
class OptunaTunerConfig:
    """Mirror the keyword arguments of `optuna.create_study`, plus worker crashes.

    `storage` is None (in memory), a database URL (`sqlite:///runs/study.db`,
    `postgresql+psycopg://user@host/db`), a journal file written `journal:PATH`, or
    an Optuna storage object; `sampler` and `pruner` are Optuna objects. Each
    instance gets its own fresh `study_name` unless one is given.

    For workers that may die mid-trial (database URLs only): with
    `heartbeat_interval` (seconds) the tuner records a heartbeat for every trial it
    handed out until the trial is told, and a running trial without a heartbeat for
    `grace_period` seconds (default: twice the interval) is marked FAIL by the next
    worker that asks for a sample. `retry_stale_trials` such failures of one trial
    are retried with the same parameters: the next sample asked for is the retry.
    """

    storage: object | None = None
    sampler: object | None = None
    pruner: object | None = None
    study_name: str = field(default_factory=_fresh_study_name)
    direction: str | None = None
    directions: Sequence[str] | None = None
    load_if_exists: bool = False
    heartbeat_interval: int | None = None
    grace_period: int | None = None
    retry_stale_trials: int = 0

    def __post_init__(self) -> None:
        self._check_directions()
        self._check_heartbeats()

    def _check_directions(self) -> None:
        if self.direction is not None and self.directions is not None:
            message = "give either direction or directions, not both"
            raise ValueError(f"OptunaTunerConfig: {message}")
        for direction in self._all_directions():
            if direction not in _DIRECTIONS:
                message = f"direction must be one of {list(_DIRECTIONS)}"
                raise ValueError(f"OptunaTunerConfig: {message}, got {direction!r}")

    def _check_heartbeats(self) -> None:
        for name in ("heartbeat_interval", "grace_period"):
            value = getattr(self, name)
            if value is not None and not _is_int(value, least=1):
                message = f"{name} must be a positive int of seconds, got {value!r}"
                raise ValueError(f"OptunaTunerConfig: {message}")
        if not _is_int(self.retry_stale_trials, least=0):
            got = self.retry_stale_trials
            message = f"retry_stale_trials must be an int >= 0, got {got!r}"
            raise ValueError(f"OptunaTunerConfig: {message}")

        if self.heartbeat_interval is not None:
            return
        for name in ("grace_period", "retry_stale_trials"):
            if getattr(self, name):
                message = f"{name} needs heartbeat_interval: it acts on heartbeats"
                raise ValueError(f"OptunaTunerConfig: {message}")

    def _all_directions(self) -> list[str]:
        if self.directions is not None:
            return list(self.directions)
        return [self.direction] if self.direction is not None else []


def _is_int(value: object, least: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= least
