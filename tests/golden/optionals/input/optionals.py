"""Optional written every way, with postponed annotations."""

from __future__ import annotations

from typing import List, Optional, Union

from spockc import spock


@spock
class Maybe:
    a: Optional[int]
    b: int | None = 3
    c: None | str = None
    d: Union[float, None] = 0.5
    e: Optional[List[int]] = [1]
    f: list[int | None] = [1, None]
    g: "Optional[float]"
