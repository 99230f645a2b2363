"""Inheritance between config classes, and dynamic=True over plain bases."""

from typing import Optional

from spockc import spock


class PlainBase:
    seed: int = 0


class PlainMiddle(PlainBase):
    name: str = "run"


@spock
class Base:
    """Shared fields.

    Attributes:
        lr: learning rate
        epochs: passes over the data
    """

    lr: float = 0.1
    epochs: int = 10
    seed: Optional[int]


@spock
class Child(Base):
    """Overrides the learning rate, keeps its place."""

    extra: int = 1
    lr: float = 0.01


@spock(dynamic=True)
class Dynamic(PlainMiddle):
    z: int = 3
