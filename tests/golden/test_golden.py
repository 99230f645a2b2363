"""Golden tests: each case's input compiles to exactly the committed output.

A case is a directory: `input/*.py` holds the sources, the case directory the
generated modules. Refresh them after an intended change with the command in
`REFRESH`, then review the diff like code.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from spockc.compiler import compile_text

HERE = Path(__file__).parent
CASES = sorted(p.name for p in HERE.iterdir() if (p / "input").is_dir())
REFRESH = "SPOCKC_REFRESH_GOLDEN=1 pytest tests/golden"


def generate(case: Path) -> dict[str, str]:
    """Compile every source of `case`; return generated file name -> text."""
    generated: dict[str, str] = {}
    for source in sorted((case / "input").glob("*.py")):
        modules = compile_text(
            source.read_text(encoding="utf-8"),
            str(source),
            source=f"input/{source.name}",
            regenerate=REFRESH,
            out_dir=str(case),
            package=None,
            namespace_module=f"{source.stem}_spock",
        )
        if modules is None:
            continue
        generated[f"{source.stem}_spock.py"] = modules.namespace
        if modules.sampler is not None:
            generated[f"{source.stem}_spock_sampler.py"] = modules.sampler
    return generated


def committed(case: Path) -> dict[str, str]:
    """Return the generated files committed for `case`."""
    return {
        p.name: p.read_text(encoding="utf-8") for p in sorted(case.glob("*_spock*.py"))
    }


@pytest.mark.parametrize("name", CASES)
def test_golden_case_compiles_to_committed_output(name: str) -> None:
    case = HERE / name
    generated = generate(case)

    if os.environ.get("SPOCKC_REFRESH_GOLDEN"):
        for stale in set(committed(case)) - set(generated):
            (case / stale).unlink()
        for file_name, text in generated.items():
            (case / file_name).write_text(text, encoding="utf-8")

    expected = committed(case)
    assert sorted(generated) == sorted(expected), (
        f"generated files differ; run {REFRESH}"
    )
    for file_name, text in generated.items():
        if text != expected[file_name]:
            diff = "".join(
                difflib.unified_diff(
                    expected[file_name].splitlines(keepends=True),
                    text.splitlines(keepends=True),
                    f"committed/{file_name}",
                    f"generated/{file_name}",
                )
            )
            pytest.fail(f"{name}/{file_name} is stale; run {REFRESH}\n{diff}")
