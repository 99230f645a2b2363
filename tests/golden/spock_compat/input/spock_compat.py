"""A source written for the original spock package compiles unchanged."""

from enum import Enum
from typing import List

import spock as sp
from spock import spock
from spock import spock as cfg
from spock.addons.tune import ChoiceHyperParameter, RangeHyperParameter, spockTuner
from spock.config import spock as config_spock


class Color(Enum):
    red = "red"
    blue = "blue"


@sp.spock
class A:
    x: int = 1


@cfg
class B:
    y: List[int] = [2]


@spock()
class C:
    color: Color = "red"


@config_spock
class D:
    a: A = A


@spockTuner
class H:
    lr: RangeHyperParameter
    units: ChoiceHyperParameter
