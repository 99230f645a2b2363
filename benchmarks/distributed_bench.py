"""Measure tuning throughput of worker processes sharing one study in a database.

Run from the repository root: `.venv/bin/python benchmarks/distributed_bench.py`.
It starts the loopback PostgreSQL server with `scripts/postgres` and makes a
fresh database (or SQLite file) for every measurement.

Throughput: 1, 2 and 4 worker processes each run `--trials` trials of the iris
example's space through the generated builder (`sample()`, then `tell` of a
made-up value: no model is fitted), after opening the study together. Trials
per second are all trials over the time from the first worker's first `sample()`
to the last worker's last `tell`, so imports and opening are left out.

Overhead: in one process, a raw `study.ask(fixed_distributions)` + `tell` loop and
the spockc loop (`sample()` + `tell`) on PostgreSQL with the same distributions
and RandomSampler, interleaved `--repeats` times; then the spockc loop with
heartbeats on. Per trial: milliseconds of wall time (a database round trip is
waiting), of this process's CPU time, and the SQL statements sent, which do not
depend on how busy the machine is.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import optuna
from optuna.distributions import CategoricalDistribution, FloatDistribution

ROOT = Path(__file__).resolve().parents[1]
IRIS = ROOT / "examples" / "iris"

DISTRIBUTIONS = {
    "LogisticRegressionHP.c": FloatDistribution(1e-07, 10.0, log=True),
    "LogisticRegressionHP.solver": CategoricalDistribution(("lbfgs", "saga")),
}


def spockc_builder(storage: str, study_name: str, **settings: Any) -> Any:
    """Return the iris example's builder with its tuner open on `storage`."""
    sys.path.insert(0, str(IRIS))
    from config_spock import BasicParams, ConfigArgBuilder, LogisticRegressionHP

    from spockc import OptunaTunerConfig

    config = OptunaTunerConfig(
        storage=storage,
        sampler=optuna.samplers.RandomSampler(),
        study_name=study_name,
        direction="maximize",
        load_if_exists=True,
        **settings,
    )
    args = ["--config", str(IRIS / "tune.yaml")]
    builder = ConfigArgBuilder(LogisticRegressionHP, BasicParams, args=args)
    return builder.tuner(tuner_config=config)


# --- one worker process -----------------------------------------------------------


def run_worker(storage: str, study_name: str, trials: int, start_at: float) -> None:
    """Tune `trials` trials, then print when the loop started and ended."""
    time.sleep(max(0.0, start_at - time.time()))
    builder = spockc_builder(storage, study_name)

    started = time.time()
    for _ in range(trials):
        hp = builder.sample()
        status = builder.tuner_status
        status["study"].tell(status["trial"], hp.LogisticRegressionHP.c)
    print(json.dumps({"started": started, "ended": time.time()}))


def throughput(storage: str, workers: int, trials: int) -> float:
    """Return trials per second of `workers` processes sharing one study."""
    start_at = str(time.time() + 1.0 + 0.5 * workers)
    command = [
        sys.executable,
        __file__,
        "--worker",
        storage,
        "--trials",
        str(trials),
        "--start-at",
        start_at,
    ]
    processes = [
        subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        for _ in range(workers)
    ]
    spans = []
    for process in processes:
        stdout, _ = process.communicate()
        if process.returncode != 0:
            raise SystemExit(f"a worker failed on {storage}")
        spans.append(json.loads(stdout.splitlines()[-1]))

    elapsed = max(span["ended"] for span in spans) - min(
        span["started"] for span in spans
    )
    return workers * trials / elapsed


# --- storages ---------------------------------------------------------------------


def postgres_server() -> str:
    started = subprocess.run(
        [str(ROOT / "scripts" / "postgres")], capture_output=True, text=True
    )
    if started.returncode != 0:
        raise SystemExit(f"no PostgreSQL server: {started.stderr.strip()}")
    return started.stdout.strip()


@contextlib.contextmanager
def fresh_postgres(server: str) -> Iterator[str]:
    import psycopg

    name = f"spockc_bench_{uuid.uuid4().hex[:12]}"
    admin = server.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    try:
        yield server.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@contextlib.contextmanager
def fresh_sqlite(folder: Path) -> Iterator[str]:
    yield f"sqlite:///{folder / f'{uuid.uuid4().hex}.db'}"


# --- overhead in one process -------------------------------------------------------


Times = tuple[float, float, float]


class Statements:
    """Count the SQL statements sent by every engine of this process."""

    count = 0

    @classmethod
    def listen(cls) -> None:
        import sqlalchemy

        def counted(*args: object) -> None:
            del args
            cls.count += 1

        sqlalchemy.event.listen(
            sqlalchemy.engine.Engine, "before_cursor_execute", counted
        )


def raw_loop(storage: str, trials: int) -> Times:
    """Return wall and CPU seconds per trial of a raw ask + tell loop."""
    study = optuna.create_study(
        storage=storage,
        sampler=optuna.samplers.RandomSampler(),
        study_name="raw",
        direction="maximize",
        load_if_exists=True,
    )
    started, cpu, sent = time.perf_counter(), time.process_time(), Statements.count
    for _ in range(trials):
        trial = study.ask(fixed_distributions=DISTRIBUTIONS)
        study.tell(trial, trial.params["LogisticRegressionHP.c"])
    return per_trial(started, cpu, sent, trials)


def per_trial(started: float, cpu: float, sent: int, trials: int) -> Times:
    wall = time.perf_counter() - started
    statements = Statements.count - sent
    return wall / trials, (time.process_time() - cpu) / trials, statements / trials


def spockc_loop(storage: str, trials: int, **settings: Any) -> Times:
    """Return wall and CPU seconds per trial of the seed page's loop."""
    builder = spockc_builder(storage, f"spockc-{uuid.uuid4().hex}", **settings)
    started, cpu, sent = time.perf_counter(), time.process_time(), Statements.count
    for _ in range(trials):
        hp = builder.sample()
        status = builder.tuner_status
        status["study"].tell(status["trial"], hp.LogisticRegressionHP.c)
    return per_trial(started, cpu, sent, trials)


def overhead(server: str, trials: int, repeats: int) -> dict[str, list[Times]]:
    loops: dict[str, Callable[[str], Times]] = {
        "raw Optuna": lambda url: raw_loop(url, trials),
        "spockc": lambda url: spockc_loop(url, trials),
        "spockc, heartbeats": lambda url: spockc_loop(
            url, trials, heartbeat_interval=5, grace_period=20
        ),
    }
    times: dict[str, list[Times]] = {name: [] for name in loops}
    names = list(loops)
    for repeat in range(repeats):
        # Each loop goes first in turn, so that a machine getting busier or
        # quieter during the run favours none.
        shift = repeat % len(names)
        for name in names[shift:] + names[:shift]:
            with fresh_postgres(server) as url:
                times[name].append(loops[name](url))
    return times


# --- report -----------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--overhead-only", action="store_true")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--start-at", type=float, default=0.0, help=argparse.SUPPRESS)
    flags = parser.parse_args()
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    if flags.worker:
        run_worker(flags.worker, "bench", flags.trials, flags.start_at)
        return

    server = postgres_server()
    if not flags.overhead_only:
        print_throughput(server, flags.trials)
    print_overhead(server, flags.trials, flags.repeats)


def print_throughput(server: str, trials: int) -> None:
    print(f"trials per second, {trials} trials per worker (median of 3)")
    print(f"{'storage':<12}{'1 worker':>10}{'2 workers':>11}{'4 workers':>11}")
    with tempfile.TemporaryDirectory() as scratch:
        storages: dict[str, Callable[[], contextlib.AbstractContextManager[str]]] = {
            "PostgreSQL": lambda: fresh_postgres(server),
            "SQLite": lambda: fresh_sqlite(Path(scratch)),
        }
        for name, fresh in storages.items():
            row = []
            for workers in (1, 2, 4):
                rates = []
                for _ in range(3):
                    with fresh() as url:
                        rates.append(throughput(url, workers, trials))
                row.append(statistics.median(rates))
            print(f"{name:<12}" + "".join(f"{rate:>11.1f}" for rate in row))
    print()


def print_overhead(server: str, trials: int, repeats: int) -> None:
    print(f"PostgreSQL, one process, ms per trial over {trials} trials, {repeats} runs")
    print("(CPU: of the tuning process only; the server's work is in wall time)")
    Statements.listen()
    times = overhead(server, trials, repeats)
    raw_wall, raw_cpu, _ = (
        statistics.median(values) for values in zip(*times["raw Optuna"], strict=True)
    )
    for name, runs in times.items():
        wall, cpu, statements = (
            statistics.median(values) for values in zip(*runs, strict=True)
        )
        print(
            f"{name:<20} wall median {wall * 1e3:6.2f} (x{wall / raw_wall:.2f})  "
            f"CPU median {cpu * 1e3:6.2f} (x{cpu / raw_cpu:.2f})  "
            f"SQL statements {statements:5.2f}"
        )


if __name__ == "__main__":
    main()
