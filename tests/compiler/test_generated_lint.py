"""Generated modules stay lint-clean wherever the linter runs from."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

_SOURCE = """\
from spockc import RangeHyperParameter, spock, spockTuner


@spock
class Fixed:
    n: int = 1


@spockTuner
class Tuned:
    lr: RangeHyperParameter[float]
"""


def _compile(directory: Path) -> None:
    (directory / "config.py").write_text(_SOURCE)
    command = [sys.executable, "-m", "spockc.compiler.cli", "compile", "config.py"]
    subprocess.run(command, cwd=directory, check=True, capture_output=True)


def _ruff_check(target: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "ruff", "check", "--isolated", "--select", "I,F"]
    return subprocess.run(
        [*command, str(target)], cwd=cwd, capture_output=True, text=True
    )


@pytest.mark.parametrize("namespace_present", [True, False])
@pytest.mark.parametrize("from_parent", [True, False])
def test_sampler_imports_are_sorted_from_any_directory(
    tmp_path: Path, namespace_present: bool, from_parent: bool
) -> None:
    project = tmp_path / "proj"
    project.mkdir()
    _compile(project)
    if not namespace_present:
        # As when a linter looks at the sampler before the namespace module exists.
        (project / "config_spock.py").unlink()

    cwd = tmp_path if from_parent else project
    result = _ruff_check(project / "config_spock_sampler.py", cwd)

    assert result.returncode == 0, result.stdout
