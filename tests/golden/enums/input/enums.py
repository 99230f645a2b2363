"""Enums defined in the source are copied into the generated module."""

import enum
from enum import Enum, IntEnum

from spockc import spock


class Opt(Enum):
    """Which optimiser to use."""

    sgd = "SGD"
    adam = "Adam"


class Level(IntEnum):
    low = 1
    high = 2


class Mode(str, enum.Enum):
    fast = "fast"
    slow = "slow"


@spock
class Train:
    opt: Opt = Opt.sgd
    by_value: Opt = "Adam"
    level: Level = 2
    mode: Mode
    modes: list[Mode] = [Mode.fast, "slow"]
    maybe: Opt | None = None
