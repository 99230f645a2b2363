"""The Optuna study settings a program passes to `ConfigArgBuilder.tuner()`.

Kept free of an optuna import: `spockc` re-exports it, and importing a config
source must stay cheap.
"""

from __future__ import annotations

from collections.abc import Sequence

from spockc.runtime.frozen import Frozen, assign

_DIRECTIONS = ("minimize", "maximize")


def _fresh_study_name() -> str:
    import uuid  # Only when a name is needed: importing uuid is slow.

    return f"spockc-{uuid.uuid4().hex}"


class OptunaTunerConfig(Frozen):
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

    __slots__ = (
        "direction",
        "directions",
        "grace_period",
        "heartbeat_interval",
        "load_if_exists",
        "pruner",
        "retry_stale_trials",
        "sampler",
        "storage",
        "study_name",
    )
    storage: object | None
    sampler: object | None
    pruner: object | None
    study_name: str
    direction: str | None
    directions: Sequence[str] | None
    load_if_exists: bool
    heartbeat_interval: int | None
    grace_period: int | None
    retry_stale_trials: int

    def __init__(
        self,
        *,
        storage: object | None = None,
        sampler: object | None = None,
        pruner: object | None = None,
        study_name: str | None = None,
        direction: str | None = None,
        directions: Sequence[str] | None = None,
        load_if_exists: bool = False,
        heartbeat_interval: int | None = None,
        grace_period: int | None = None,
        retry_stale_trials: int = 0,
    ) -> None:
        if study_name is None:
            study_name = _fresh_study_name()
        assign(
            self,
            storage,
            sampler,
            pruner,
            study_name,
            direction,
            directions,
            load_if_exists,
            heartbeat_interval,
            grace_period,
            retry_stale_trials,
        )
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
