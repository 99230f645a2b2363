"""Start measurement processes and summarise what they report.

The parent side of `child.py`: it times whole processes (wall clock, peak
memory from the kernel's accounting of the child) and collects the numbers a
child prints about itself.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CHILD = Path(__file__).with_name("child.py")


class MeasurementError(RuntimeError):
    """A measurement process failed; the message holds the end of its stderr."""


@dataclass(frozen=True)
class Process:
    """What one finished process cost and printed."""

    seconds: float
    cpu_seconds: float
    rss_mb: float
    result: dict[str, Any]


def run_process(command: list[str], cwd: Path | None = None) -> Process:
    """Run `command` to its end; return its wall and CPU time, memory and result.

    The peak memory is the kernel's account of that one child (`wait4`).
    Output goes to temporary files, so a chatty child cannot block on a pipe.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()

    if child.returncode != 0:
        tail = "\n".join(stderr.strip().splitlines()[-15:])
        raise MeasurementError(f"{' '.join(command[:3])} ... failed:\n{tail}")
    cpu = usage.ru_utime + usage.ru_stime
    return Process(seconds, cpu, usage.ru_maxrss / 1024, _parse_result(stdout))


def _parse_result(out: str) -> dict[str, Any]:
    for line in reversed(out.splitlines()):
        if line.startswith("BENCH-RESULT "):
            result: dict[str, Any] = json.loads(line.removeprefix("BENCH-RESULT "))
            return result
    return {}


def run_child(python: str, mode: str, arguments: dict[str, Any]) -> Process:
    """Run `child.py MODE` under `python` with JSON `arguments`."""
    command = [python, str(CHILD), mode, json.dumps(arguments)]
    return run_process(command, cwd=CHILD.parent)


@dataclass(frozen=True)
class Stats:
    """Minimum, median and maximum of repeated measurements."""

    low: float
    median: float
    high: float
    count: int

    @classmethod
    def of(cls, values: list[float]) -> Stats:
        """Summarise `values`, which must not be empty."""
        return cls(min(values), statistics.median(values), max(values), len(values))

    def scaled(self, factor: float) -> Stats:
        """Return the same statistics multiplied by `factor` (a change of unit)."""
        return Stats(
            self.low * factor, self.median * factor, self.high * factor, self.count
        )

    def as_dict(self) -> dict[str, float]:
        """Return the statistics as a JSON-ready dict."""
        return {
            "min": self.low,
            "median": self.median,
            "max": self.high,
            "n": self.count,
        }


def ratio(numerator: Stats | None, denominator: Stats | None) -> float | None:
    """Return the ratio of medians, or None when either side is missing."""
    if numerator is None or denominator is None or denominator.median == 0:
        return None
    return numerator.median / denominator.median
