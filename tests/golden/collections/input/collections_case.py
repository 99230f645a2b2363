"""Lists, tuples and dicts, nested inside each other."""

from typing import Dict, List, Tuple

from spockc import spock


@spock
class Shapes:
    sizes: List[int] = [1, 2, 3]
    names: list[str] = []
    pair: Tuple[int, str] = (1, "a")
    one: tuple[int] = (1,)
    many: Tuple[float, ...] = (0.1, 2)
    from_list: tuple[int, int] = [3, 4]
    weights: Dict[str, float] = {"a": 1.0, "b": 2}
    table: dict[str, list[tuple[int, ...]]] = {"x": [(1, 2), (3,)]}
    grid: List[List[int]]
    empty_map: dict[str, int] = {}
