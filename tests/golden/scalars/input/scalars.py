"""Scalar fields and literal defaults."""

from spockc import spock


@spock
class Scalars:
    """Every scalar type, with and without defaults."""

    flag: bool
    on: bool = True
    count: int
    offset: int = -3
    big: int = 1_000_000
    rate: float = 1e-5
    ratio: float = -0.25
    whole: float = 2
    name: str
    quoted: str = 'say "hi"\\now'
    empty: str = ""
