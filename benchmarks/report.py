"""Write the Markdown report of a run: machine, versions, command, four figures."""

from __future__ import annotations

import os
import platform
import subprocess
from pathlib import Path
from typing import Any

from benchmarks.suite import ROOT, Figures

# The targets named by the runtime and tuning issues, checked in the headline.
IMPORT_TARGET_MS = 40.0
BUILD_SPEEDUP_TARGET = 20.0
BUILD_TARGET_SIZES = ("medium", "large")
TUNING_RATIO_TARGET = 1.15
TUNING_RSS_TARGET_MB = 120.0


def machine() -> list[str]:
    """Return lines describing the processor, cores and memory of this machine."""
    model = "unknown processor"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return [
        f"- machine: {model}, {os.cpu_count()} cores, {memory:.0f} GiB, "
        f"{platform.system()} {platform.release()}",
        f"- Python: {platform.python_version()} ({platform.python_implementation()})",
    ]


def commit() -> str:
    """Return the project's current commit, marked when the tree has changes."""
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return f"{head or 'unknown'}{' (with uncommitted changes)' if dirty else ''}"


def ms(values: dict[str, float] | None, scale: float = 1e3) -> str:
    """Return `min / median / max` of seconds, in milliseconds by default."""
    if values is None:
        return "—"
    return f"{values['min'] * scale:.1f} / {values['median'] * scale:.1f} / {values['max'] * scale:.1f}"


def times(ratio: float | None) -> str:
    """Return a ratio as `0.123x`, or a dash."""
    return "—" if ratio is None else f"{ratio:.3g}x"


def of_medians(a: dict[str, float] | None, b: dict[str, float] | None) -> float | None:
    """Return the ratio of the medians of two summaries."""
    if a is None or b is None or b["median"] == 0:
        return None
    return a["median"] / b["median"]


def with_cpu(wall: dict[str, float] | None, cpu: dict[str, float] | None) -> str:
    """Return wall min / median / max and the CPU median, in milliseconds."""
    if wall is None or cpu is None:
        return "—"
    return f"{ms(wall)} (CPU {cpu['median'] * 1e3:.1f})"


def import_table(figures: Figures) -> list[str]:
    """Figure 1 as Markdown lines."""
    lines = [
        "| what | process ms: wall min / median / max (CPU median) "
        "| over bare interpreter ms: wall (CPU) | import alone, in process ms "
        "| peak RSS MB | loaded |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for row in figures.imports:
        loaded = ", ".join(row["loaded"]) or "none of optuna, yaml, libcst"
        over = f"{row['over_bare_s'] * 1e3:.1f} ({row['over_bare_cpu_s'] * 1e3:.1f})"
        lines.append(
            f"| {row['label']} | {with_cpu(row['process_s'], row['process_cpu_s'])}"
            f" | {over} | {with_cpu(row['import_s'], row['import_cpu_s'])}"
            f" | {row['rss_mb']['median']:.1f} | {loaded} |"
        )
    return lines


def build_table(figures: Figures) -> list[str]:
    """Figure 2 as Markdown lines, with the spockc / spock ratios per size."""
    lines = [
        "| size | classes | implementation | first call ms | later calls ms "
        "| whole process ms | peak RSS MB |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in figures.builds:
        lines.append(
            f"| {row['size']} | {row['classes']} | {row['side']}"
            f" | {with_cpu(row['first_s'], row['first_cpu_s'])}"
            f" | {with_cpu(row['later_s'], row['later_cpu_s'])}"
            f" | {with_cpu(row['process_s'], row['process_cpu_s'])}"
            f" | {row['rss_mb']['median']:.1f} |"
        )
    lines += [
        "",
        "How many times faster spockc is than spock-config (spock-config's median "
        "over spockc's), wall (CPU):",
        "",
        "| size | first call | later calls | whole process |",
        "| --- | --- | --- | --- |",
    ]
    for size, ours, theirs in build_pairs(figures):
        cells = [
            f"{times(of_medians(theirs[key], ours[key]))} "
            f"({times(of_medians(theirs[cpu], ours[cpu]))})"
            for key, cpu in (
                ("first_s", "first_cpu_s"),
                ("later_s", "later_cpu_s"),
                ("process_s", "process_cpu_s"),
            )
        ]
        lines.append(f"| {size} | {' | '.join(cells)} |")
    return lines


def build_pairs(figures: Figures) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """Return (size, spockc row, spock-config row) for every size with both."""
    rows = {(row["size"], row["side"]): row for row in figures.builds}
    sizes = dict.fromkeys(row["size"] for row in figures.builds)
    return [
        (size, rows[size, "spockc"], rows[size, "spock-config"])
        for size in sizes
        if (size, "spockc") in rows and (size, "spock-config") in rows
    ]


def tuning_table(figures: Figures) -> list[str]:
    """Figure 3 as Markdown lines."""
    lines = [
        "| sampler | implementation | raw Optuna µs/trial | implementation µs/trial "
        "| ratio to raw (medians) | ratio to raw (median of paired runs) |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for row in figures.tuning:
        lines.append(
            f"| {row['sampler']} | {row['side']} | {ms(row['raw_us'], 1)}"
            f" | {ms(row['impl_us'], 1)}"
            f" | {times(of_medians(row['impl_us'], row['raw_us']))}"
            f" | {times(row['pair_ratio']['median'])} |"
        )
    lines += [
        "",
        "| tuning process, TPE, no scikit-learn | peak RSS MB (min / median / max) |",
    ]
    lines += ["| --- | --- |"]
    for row in figures.memory:
        rss = row["rss_mb"]
        lines.append(
            f"| {row['side']} | {rss['min']:.1f} / {rss['median']:.1f} / {rss['max']:.1f} |"
        )
    return lines


def compile_table(figures: Figures) -> list[str]:
    """Figure 4 as Markdown lines."""
    lines = [
        "| classes | source lines | generated lines | generated KiB "
        "| `spockc compile` process ms (CPU) | compile_source() ms | ast parse ms "
        "| libcst parse ms | compile_source / ast parse (medians) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in figures.compiles:
        lines.append(
            f"| {row['classes']} | {row['source_lines']} | {row['generated_lines']}"
            f" | {row['generated_kb']:.0f}"
            f" | {with_cpu(row['process_s'], row['process_cpu_s'])}"
            f" | {ms(row['in_process_s'])} | {ms(row['ast_s'])} | {ms(row['libcst_s'])}"
            f" | {times(of_medians(row['in_process_s'], row['ast_s']))} |"
        )
    return lines


def breakdown_tables(figures: Figures) -> list[str]:
    """Where spockc's import and build time go, as Markdown lines."""
    lines = [
        "Import of the generated module, by module (`python -X importtime`, "
        "medians; own time excludes the modules it imports):",
        "",
        "| module | own ms | cumulative ms |",
        "| --- | --- | --- |",
    ]
    for row in figures.import_breakdown:
        lines.append(
            f"| {row['module']} | {row['own_ms']:.1f} | {row['cumulative_ms']:.1f} |"
        )
    build = figures.build_breakdown
    if build:
        lines += [
            "",
            f"A later build at size {build['size']}, by source file (cProfile over "
            f"{build['calls']} calls, own time of each function summed per file; "
            "profiling adds a cost to every call, so it inflates the absolute "
            "numbers and the share of code made of many short calls, such as "
            "spockc's own, against C code such as libyaml's):",
            "",
            "| file | ms per call | share |",
            "| --- | --- | --- |",
        ]
        for row in build["rows"][:10]:
            lines.append(
                f"| {row['file']} | {row['ms_per_call']:.2f} | {row['share']:.0%} |"
            )
    return lines


def headline(figures: Figures) -> list[str]:
    """Return the headline lines: each target, the measured value, met or not."""
    lines = []
    for row in figures.imports:
        if row["side"] == "spockc" and "generated" in row["label"]:
            over, cpu = row["over_bare_s"] * 1e3, row["over_bare_cpu_s"] * 1e3
            lines.append(
                f"- import of the generated module + runtime: {over:.1f} ms wall "
                f"({cpu:.1f} ms CPU) over a bare interpreter (target < "
                f"{IMPORT_TARGET_MS:.0f} ms): wall {_met(over < IMPORT_TARGET_MS)}, "
                f"CPU {_met(cpu < IMPORT_TARGET_MS)}"
            )
    for size, ours, theirs in build_pairs(figures):
        parts = []
        for label, key, cpu in (
            ("first call", "first_s", "first_cpu_s"),
            ("later calls", "later_s", "later_cpu_s"),
        ):
            wall_x = of_medians(theirs[key], ours[key]) or 0.0
            cpu_x = of_medians(theirs[cpu], ours[cpu]) or 0.0
            verdict = _met(min(wall_x, cpu_x) >= BUILD_SPEEDUP_TARGET)
            checked = size in BUILD_TARGET_SIZES
            parts.append(
                f"{label} {wall_x:.1f}x wall ({cpu_x:.1f}x CPU)"
                + (f": {verdict}" if checked else "")
            )
        target = f" (target >= {BUILD_SPEEDUP_TARGET:.0f}x)"
        lines.append(
            f"- build ({size}), spockc faster than spock-config by"
            + (target if size in BUILD_TARGET_SIZES else "")
            + ": "
            + "; ".join(parts)
        )
    for row in figures.tuning:
        ratio = of_medians(row["impl_us"], row["raw_us"]) or 0.0
        met = _met(ratio <= TUNING_RATIO_TARGET)
        target = f" (target <= {TUNING_RATIO_TARGET}x): {met}"
        lines.append(
            f"- tuning, {row['sampler']} sampler: {row['side']} sample()+tell costs "
            f"{ratio:.3f}x raw Optuna" + (target if row["side"] == "spockc" else "")
        )
    for row in figures.memory:
        rss = row["rss_mb"]["median"]
        met = _met(rss < TUNING_RSS_TARGET_MB)
        target = f" (target < {TUNING_RSS_TARGET_MB:.0f} MB): {met}"
        lines.append(
            f"- peak RSS of a tuning process, {row['side']}: {rss:.0f} MB"
            + (target if row["side"] == "spockc" else "")
        )
    return lines


def _met(ok: bool) -> str:
    return "met" if ok else "**missed**"


def render(
    figures: Figures,
    command: str,
    versions: dict[str, dict[str, str]],
    repeats: int,
    trials: int,
    plot: str | None,
) -> str:
    """Return the whole report as Markdown text."""
    lines = ["# Benchmarks: spockc and spock-config, side by side", ""]
    lines += [f"Produced by `{command}` at commit {commit()}.", ""]
    lines += machine()
    for side, found in versions.items():
        listed = ", ".join(f"{name} {version}" for name, version in found.items())
        lines.append(f"- {side} environment: {listed}")
    lines += [
        "",
        f"Each measurement ran {repeats} time(s) per implementation, the "
        "implementations alternating (the first to run swaps every round). "
        "Numbers are min / median / max; ratios are of medians.",
        "",
        "## Headline",
        "",
        *headline(figures),
    ]
    if figures.notes:
        lines += ["", "## Notes", "", *[f"- {note}" for note in figures.notes]]
    lines += [
        "",
        "## 1. Import in a fresh interpreter",
        "",
        'Wall time of a whole `python -c "import sys, time; import ..."` process '
        "(a program that imports nothing else first), and the import alone timed "
        "inside it. 'Over bare' subtracts the median of the same interpreter "
        "running the same program without the import.",
        "",
        *import_table(figures),
        "",
        "## 2. Build: `ConfigArgBuilder(...).generate()` from YAML + two overrides",
        "",
        "In process: the first call in a fresh process (after the import), and the "
        "fastest of the later calls. Whole process: a program that imports the "
        "config and builds it from its real command line. The small size is the "
        "seed page's source, which imports `spock.addons.tune` (and so Ax) for "
        "spock-config; spockc's first call includes importing PyYAML and the "
        "runtime's file-reading modules, which spock-config imports up front.",
        "",
        *build_table(figures),
        "",
        f"## 3. Tuning: CPU µs per trial, `sample()` + `tell`, {trials} trials, in-memory",
        "",
        "The seed page's loop through each builder, run trial by trial in step with "
        "a raw `study.ask(fixed_distributions)` + `tell` loop over the same "
        "distributions, in the same process (so each side is compared with the "
        "Optuna of its own environment).",
        "",
        *tuning_table(figures),
        "",
        "## 4. Compile time and generated size against class count (spockc only)",
        "",
        *compile_table(figures),
        "",
        "## 5. Where spockc's time goes",
        "",
        *breakdown_tables(figures),
    ]
    if plot:
        lines += ["", f"![build and compile time against class count]({plot})"]
    return "\n".join(lines) + "\n"
