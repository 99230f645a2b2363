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
    """Mirror the keyword arguments of `optuna.create_study`.

    `storage` is a URL or an Optuna storage object; `sampler` and `pruner` are Optuna
    objects. Each instance gets its own fresh `study_name` unless one is given.
    """

    storage: object | None = None
    sampler: object | None = None
    pruner: object | None = None
    study_name: str = field(default_factory=_fresh_study_name)
    direction: str | None = None
    directions: Sequence[str] | None = None
    load_if_exists: bool = False

    def __post_init__(self) -> None:
        if self.direction is not None and self.directions is not None:
            message = "give either direction or directions, not both"
            raise ValueError(f"OptunaTunerConfig: {message}")
        for direction in self._all_directions():
            if direction not in _DIRECTIONS:
                message = f"direction must be one of {list(_DIRECTIONS)}"
                raise ValueError(f"OptunaTunerConfig: {message}, got {direction!r}")

    def _all_directions(self) -> list[str]:
        if self.directions is not None:
            return list(self.directions)
        return [self.direction] if self.direction is not None else []
