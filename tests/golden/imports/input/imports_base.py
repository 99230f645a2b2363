"""Classes and enums another source file imports."""

from enum import Enum

from spockc import spock


class Color(Enum):
    red = "red"
    blue = "blue"


@spock
class Base:
    seed: int = 0
    color: Color = Color.red


@spock
class Opt:
    lr: float = 0.1
