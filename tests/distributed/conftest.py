"""Fixtures of the distributed tests: storages that several processes can share.

PostgreSQL is a real server on loopback, started by `scripts/postgres` (which
`scripts/test` and CI run first, passing its URL in SPOCKC_POSTGRES_URL). Each
test gets a fresh database in it, so every test also opens a fresh schema.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from spockc.runtime import Definitions, make_space
from spockc.runtime.definitions import Choices, FloatRange
from spockc.runtime.tuner_config import OptunaTunerConfig
from spockc.runtime.tuning import Tuner

ROOT = Path(__file__).resolve().parents[2]
IRIS = ROOT / "examples" / "iris"
WORKER = Path(__file__).resolve().parent / "worker.py"


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """Return the URL of the loopback PostgreSQL server, starting it if needed."""
    pytest.importorskip(
        "psycopg", reason="install the extra: pip install -e .[postgres]"
    )
    url = os.environ.get("SPOCKC_POSTGRES_URL")
    if url:
        return url

    started = subprocess.run(
        [str(ROOT / "scripts" / "postgres")], capture_output=True, text=True
    )
    if started.returncode != 0:
        lines = started.stderr.strip().splitlines() or ["no output"]
        pytest.skip(f"no PostgreSQL server: scripts/postgres said {lines[-1]!r}")
    return started.stdout.strip()


@contextlib.contextmanager
def fresh_database(server: str) -> Iterator[str]:
    """Yield the URL of a fresh, empty database on `server`; drop it afterwards."""
    import psycopg

    name = f"spockc_test_{uuid.uuid4().hex[:12]}"
    admin = server.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    yield server.rsplit("/", 1)[0] + "/" + name

    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """Return the URL of a fresh, empty PostgreSQL database."""
    with fresh_database(postgres_server) as url:
        yield url


def storage_url(
    kind: str, request: pytest.FixtureRequest, folder: Path
) -> Iterator[str]:
    """Yield a fresh storage of `kind` that several worker processes can share."""
    if kind == "postgresql":
        with fresh_database(request.getfixturevalue("postgres_server")) as url:
            yield url
    elif kind == "sqlite":
        yield f"sqlite:///{folder / 'study.db'}"
    else:
        yield f"journal:{folder / 'study.log'}"


def worker_command(url: str, *flags: str) -> list[str]:
    """Return the command that runs one tuning worker on the study at `url`."""
    return [sys.executable, str(WORKER), "--storage", url, *flags]


@pytest.fixture
def iris() -> Iterator[ModuleType]:
    """Return the iris example's generated namespace module, importing its own."""
    for name in _GENERATED:
        sys.modules.pop(name, None)
    sys.path.insert(0, str(IRIS))
    import config_spock

    yield config_spock
    sys.path.remove(str(IRIS))
    for name in _GENERATED:
        sys.modules.pop(name, None)


_GENERATED = ("config_spock", "config_spock_sampler")


C, SOLVER = "LogisticRegressionHP.c", "LogisticRegressionHP.solver"
DEFINITIONS = Definitions(
    {C: FloatRange(1e-07, 10.0, log=True), SOLVER: Choices(("lbfgs", "saga"))}
)


def open_tuner(iris: ModuleType, config: OptunaTunerConfig) -> Tuner[Any]:
    """Return a tuner of the iris example's tuned class, c log-uniform."""
    return Tuner(iris._SCHEMA, ("LogisticRegressionHP",), DEFINITIONS, config)


def fixed(iris: ModuleType) -> Any:
    """Return the iris example's fixed space."""
    params = iris.BasicParams(n_trials=1, max_iter=10)
    return make_space(iris.Spockspace, {"BasicParams": params})
