"""Unrelated modern syntax does not stop the compiler."""

from spockc import spock

type Pair = tuple[int, int]


def describe(value: object) -> str:
    match value:
        case {"kind": kind}:
            return str(kind)
        case [first, *_]:
            return str(first)
        case _:
            return "other"


class Box[T]:
    item: T


@spock
class Settings:
    size: int = 3
