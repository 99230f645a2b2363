"""Part of stage 4 (emit): format generated text with ruff, as the user's project does.

Generated files must pass `ruff check` and `ruff format --check` where they are
written. Piping the rendered text through ruff with `--stdin-filename` set to
the target path lets the nearest ruff configuration decide.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path


def format_code(text: str, target: str) -> str:
    """Return `text` with imports sorted and formatted as ruff would at `target`."""
    sorted_imports = _ruff(
        ["check", "--select", "I", "--fix", "--exit-zero"], text, target
    )
    return _ruff(["format"], sorted_imports, target)


def _ruff(arguments: list[str], text: str, target: str) -> str:
    command = [*_ruff_command(), *arguments, "--stdin-filename", target, "-"]
    result = subprocess.run(
        command, input=text, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        # The templates produced code ruff cannot read: a compiler bug, not user input.
        message = f"ruff {arguments[0]} failed on generated code for {target}:\n{result.stderr}"
        raise RuntimeError(message)
    return result.stdout


@cache
def _ruff_command() -> tuple[str, ...]:
    beside = Path(sys.executable).with_name("ruff")
    if beside.exists():
        return (str(beside),)
    found = shutil.which("ruff")
    if found is not None:
        return (found,)
    return (sys.executable, "-m", "ruff")
