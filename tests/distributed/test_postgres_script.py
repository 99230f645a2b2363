"""scripts/postgres, which CI runs before the tests: idempotent, loopback only."""

from __future__ import annotations

import subprocess

from .conftest import ROOT


def run_script(*args: str) -> str:
    script = str(ROOT / "scripts" / "postgres")
    done = subprocess.run([script, *args], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_script_run_again_gives_the_running_server_url(postgres_server):
    assert run_script() == run_script()


def test_server_url_is_on_loopback_with_the_psycopg_driver(postgres_server):
    assert run_script().startswith("postgresql+psycopg://postgres@127.0.0.1:")


def test_server_answers_at_the_url(postgres_server):
    import psycopg

    url = run_script().replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url) as connection:
        (answer,) = connection.execute("SELECT 6 * 7").fetchone() or (None,)

    assert answer == 42
