"""Draw build and compile time against class count from a run's JSON results.

Run by an interpreter that has matplotlib (the benchmark environment has it):
`python plot.py results.json out.png`. Imports nothing from the project.
"""

from __future__ import annotations

import json
import sys
from typing import Any


def draw(results: dict[str, Any], out: str) -> None:
    """Write the PNG: build time per implementation, compile and parse time."""
    # matplotlib lives in the benchmark environment, not the project's.
    import matplotlib  # type: ignore[import-not-found]

    matplotlib.use("Agg")
    from matplotlib import pyplot

    figure, (builds, compiles) = pyplot.subplots(1, 2, figsize=(11, 4.5))
    for side, style in (("spockc", "o-"), ("spock-config", "s--")):
        rows = [row for row in results["builds"] if row["side"] == side]
        if not rows:
            continue
        for key, label, colour in (
            ("first_s", "first call", "tab:blue"),
            ("later_s", "later calls", "tab:orange"),
            ("process_s", "whole process", "tab:green"),
        ):
            points = [(row["classes"], row[key]) for row in rows if row[key]]
            seconds = [summary["median"] for _, summary in points]
            classes = [count for count, _ in points]
            builds.plot(classes, seconds, style, color=colour, label=f"{side}: {label}")
    builds.set(
        xscale="log",
        yscale="log",
        xlabel="config classes (10 fields each)",
        ylabel="seconds (median)",
        title="build: ConfigArgBuilder(...).generate()\n"
        "(2 classes: the seed's, whose source imports spock.addons.tune)",
    )
    builds.legend(fontsize=8)

    rows = results["compiles"]
    classes = [row["classes"] for row in rows]
    for key, label in (
        ("process_s", "spockc compile (process)"),
        ("in_process_s", "compile_source() in process"),
        ("ast_s", "ast parse alone"),
        ("libcst_s", "libcst parse alone (the former parser)"),
    ):
        compiles.plot(classes, [row[key]["median"] for row in rows], "o-", label=label)
    compiles.set(
        xscale="log",
        yscale="log",
        xlabel="config classes (10 fields each)",
        ylabel="seconds (median)",
        title="compile (spockc only; spock-config has no build step)",
    )
    compiles.legend(fontsize=8)

    figure.tight_layout()
    figure.savefig(out, dpi=110)


def main() -> None:
    """Read the results file named first and write the PNG named second."""
    with open(sys.argv[1]) as handle:
        results = json.load(handle)
    draw(results, sys.argv[2])


if __name__ == "__main__":
    main()
