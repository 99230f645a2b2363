"""Time `spockc compile` on generated sources of 50, 200 and 1000 classes x 10 fields.

Not a test: run `python benchmarks/compile_bench.py` and read the table. Each
size is compiled three times in a fresh process (the command a user runs,
formatting included); the best wall time is reported.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

SIZES = (50, 200, 1000)
FIELDS = 10
REPEATS = 3
_TYPES = (
    "int",
    "float",
    "str",
    "bool",
    "list[int]",
    "tuple[float, float]",
    "dict[str, int]",
)
_DEFAULTS = ("1", "0.5", '"a"', "True", "[1, 2]", "(0.1, 0.2)", '{"k": 1}')


def make_source(classes: int) -> str:
    """Return a config source with `classes` classes of `FIELDS` fields each."""
    lines = ["from spockc import spock", ""]
    for index in range(classes):
        lines += [
            "",
            "@spock",
            f"class C{index}:",
            f'    """Class number {index}."""',
            "",
        ]
        for field in range(FIELDS):
            kind = field % len(_TYPES)
            comment = f"  # field {field} of class {index}"
            lines.append(f"    f{field}: {_TYPES[kind]} = {_DEFAULTS[kind]}{comment}")
    return "\n".join(lines) + "\n"


def time_compile(source: Path) -> float:
    """Return the best wall time of `spockc compile source`, in seconds."""
    command = [str(Path(sys.executable).with_name("spockc")), "compile", str(source)]
    best = float("inf")
    for _ in range(REPEATS):
        for generated in source.parent.glob("*_spock*.py"):
            generated.unlink()
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    """Print one row per size: classes, source lines, seconds."""
    print(f"{'classes':>8} {'fields':>7} {'lines':>7} {'seconds':>8}")
    with tempfile.TemporaryDirectory() as directory:
        for classes in SIZES:
            source = Path(directory) / f"bench_{classes}.py"
            text = make_source(classes)
            source.write_text(text)
            seconds = time_compile(source)
            print(f"{classes:>8} {FIELDS:>7} {text.count(chr(10)):>7} {seconds:>8.2f}")


if __name__ == "__main__":
    main()
