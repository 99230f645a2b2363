"""Generated code type-checks cleanly, rejects wrong uses, and completes in editors.

mypy and pyright each run once over every golden output and example (they are
slow to start), then once over `wrong_uses.py`.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jedi

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
IRIS = ROOT / "examples" / "iris"
WRONG_USES = Path(__file__).with_name("wrong_uses.py")
_EXPECT = re.compile(r"# expect: mypy=(\S+) pyright=(\S+)")


def generated_files(tmp_path: Path) -> list[Path]:
    """Return every golden output and example, copied so module names are unique."""
    files = sorted(ROOT.glob("tests/golden/*/*_spock*.py"))
    files += sorted(IRIS.glob("config_spock*.py"))
    for example in sorted((ROOT / "examples").glob("*/config_spock.py")):
        if example.parent != IRIS:
            copy = tmp_path / f"{example.parent.name}_config_spock.py"
            shutil.copy(example, copy)
            files.append(copy)
    return files


def search_dirs(files: list[Path]) -> list[str]:
    """Return the directories generated samplers import their namespace module from."""
    dirs = {str(f.parent) for f in files if f.name.endswith("_sampler.py")}
    return sorted(dirs | {str(ROOT / "tests/golden/imports/input")})


def run_mypy(files: list[Path], path: list[str]) -> subprocess.CompletedProcess[str]:
    env = {"MYPYPATH": ":".join(path), "PATH": str(BIN)}
    command = [
        str(BIN / "mypy"),
        "--strict",
        "--show-error-codes",
        "--no-error-summary",
    ]
    command += ["--cache-dir", str(ROOT / ".mypy_cache"), *map(str, files)]
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT)


def run_pyright(
    files: list[Path], path: list[str], tmp_path: Path
) -> list[dict[str, object]]:
    config = tmp_path / "pyrightconfig.json"
    settings = {"extraPaths": [str(ROOT), *path], "typeCheckingMode": "strict"}
    config.write_text(json.dumps({**settings, "pythonVersion": "3.10"}))
    command = [str(BIN / "pyright"), "-p", str(config), "--pythonpath", sys.executable]
    command += ["--outputjson", *map(str, files)]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    diagnostics: list[dict[str, object]] = json.loads(result.stdout)[
        "generalDiagnostics"
    ]
    return [d for d in diagnostics if d["severity"] == "error"]


def test_generated_code_passes_mypy_strict(tmp_path: Path) -> None:
    files = generated_files(tmp_path)
    result = run_mypy(files, search_dirs(files))
    assert result.returncode == 0, result.stdout + result.stderr


def test_generated_code_passes_pyright_strict(tmp_path: Path) -> None:
    files = generated_files(tmp_path)
    errors = run_pyright(files, search_dirs(files), tmp_path)
    assert errors == []


def expected_errors() -> dict[int, tuple[str, str]]:
    lines = WRONG_USES.read_text().splitlines()
    found = {n: _EXPECT.search(line) for n, line in enumerate(lines, start=1)}
    return {n: (m.group(1), m.group(2)) for n, m in found.items() if m}


def test_wrong_uses_are_flagged_line_by_line_by_mypy() -> None:
    result = run_mypy([WRONG_USES], [str(IRIS)])
    reported: dict[int, set[str]] = {}
    for match in re.finditer(
        r"wrong_uses\.py:(\d+): error: .*\[([\w-]+)\]", result.stdout
    ):
        reported.setdefault(int(match.group(1)), set()).add(match.group(2))

    expected = expected_errors()
    assert sorted(reported) == sorted(expected), result.stdout
    for line, (mypy_code, _) in expected.items():
        assert mypy_code in reported[line], f"line {line}: {result.stdout}"


def test_wrong_uses_are_flagged_line_by_line_by_pyright(tmp_path: Path) -> None:
    errors = run_pyright([WRONG_USES], [str(IRIS)], tmp_path)
    reported: dict[int, set[str]] = {}
    for error in errors:
        start = error["range"]["start"]["line"]  # type: ignore[index]
        reported.setdefault(int(start) + 1, set()).add(str(error.get("rule")))

    expected = expected_errors()
    assert sorted(reported) == sorted(expected), errors
    for line, (_, rule) in expected.items():
        assert rule in reported[line], f"line {line}: {reported[line]}"


USE = """\
from config_spock import BasicParams, ConfigArgBuilder, LogisticRegressionHP
builder = ConfigArgBuilder(LogisticRegressionHP, BasicParams)
hp = builder.sample()
fixed = builder.generate()
"""


def complete(line: str) -> list[str]:
    """Return jedi's completions at the end of `line`, appended to USE."""
    project = jedi.Project(path=IRIS, added_sys_path=[str(ROOT)])
    script = jedi.Script(USE + line, path=IRIS / "use.py", project=project)
    completions = script.complete(USE.count("\n") + 1, len(line))
    return [c.name for c in completions if not c.name.startswith("_")]


def test_jedi_completes_tuned_fields_of_a_sample() -> None:
    assert complete("hp.LogisticRegressionHP.") == ["c", "solver"]


def test_jedi_completes_fixed_fields_of_generate() -> None:
    assert complete("fixed.BasicParams.") == ["max_iter", "n_trials"]
