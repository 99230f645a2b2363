"""The quickstart example runs end to end from its config file and flags."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

QUICKSTART = Path(__file__).resolve().parents[2] / "examples" / "quickstart"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "train.py", "--config", "train.yaml", *args]
    return subprocess.run(
        command, cwd=QUICKSTART, capture_output=True, text=True, check=False
    )


def test_quickstart_prints_values_from_file_and_flags() -> None:
    done = run("--Train.shuffle", "false", "--Optimizer.betas", "(0.5, 0.6)")

    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "epochs:    3",
        "hidden:    [128, 64]",
        "act:       gelu",
        "clip:      None",
        "shuffle:   False",
        "optimizer: lr=0.01 betas=(0.5, 0.6)",
    ]


def test_quickstart_bad_flag_exits_2_with_usage() -> None:
    done = run("--Train.epochs", "three")

    assert done.returncode == 2
    assert done.stderr.startswith("usage: train.py")
    assert "--Train.epochs: expected int, got 'three'" in done.stderr


def test_building_without_files_imports_no_yaml_optuna_or_argparse() -> None:
    code = (
        "import sys\n"
        "from config_spock import ConfigArgBuilder, Train\n"
        "ConfigArgBuilder(Train, args=['--Train.epochs', '2']).generate()\n"
        "heavy = ['yaml', 'optuna', 'argparse', 'json', 'tempfile', 'libcst', 'jinja2']\n"
        "print(sorted(name for name in heavy if name in sys.modules))\n"
    )
    command = [sys.executable, "-c", code]

    done = subprocess.run(
        command, cwd=QUICKSTART, capture_output=True, text=True, check=True
    )

    assert done.stdout.strip() == "[]"
