"""String annotations and forward references (case C11)."""

from typing import List, Optional

from spockc import spock


@spock
class Outer:
    inner: "Optional[Inner]" = None
    stages: List["Inner"] = []


@spock
class Inner:
    depth: int = 2
