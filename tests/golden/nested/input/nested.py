"""Nested config classes and their default instances (case C06)."""

from typing import List, Optional

from spockc import spock


@spock
class Layer:
    width: int = 8
    depth: int = 2


@spock
class Aug:
    p: float = 0.5


@spock
class Net:
    enc: Layer = Layer(width=64)
    dec: Layer = Layer(width=32, depth=3)
    plain: Layer = Layer()
    as_class: Layer = Layer
    required: Layer
    aug: Optional[Aug] = None
    stack: List[Layer] = [Layer(width=1), Layer]


@spock
class Deep:
    net: Net = Net(enc=Layer(depth=5))
