"""Open the study an `OptunaTunerConfig` names, and keep its running trials alive.

`Tuner` opens its study here and, when the storage records heartbeats, gives
every trial it asks for to a `Heartbeats`. Imported with optuna, on the tuning
path only.

Storage forms: None (in memory), an SQLAlchemy URL (`sqlite:///runs/iris.db`,
`postgresql+psycopg://user@host:5432/db`) opened as an `RDBStorage`, a journal
file written `journal:PATH` opened as a `JournalStorage` over a
`JournalFileBackend`, or any Optuna storage object, used as given.
"""

from __future__ import annotations

import contextlib
import importlib
import math
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from typing import Protocol, TypeVar

import optuna
from optuna.storages import BaseStorage, RDBStorage

from spockc.runtime.errors import ConfigError, Problem
from spockc.runtime.tuner_config import OptunaTunerConfig

JOURNAL_PREFIX = "journal:"

_T = TypeVar("_T")
_Asked = TypeVar("_Asked", bound=tuple[optuna.trial.Trial, object])


class HeartbeatStorage(Protocol):
    """The part of a storage that records heartbeats (Optuna's `BaseHeartbeat`)."""

    def record_heartbeat(self, trial_id: int) -> None: ...

    def get_heartbeat_interval(self) -> int | None: ...

    def get_trial(self, trial_id: int) -> optuna.trial.FrozenTrial: ...


def open_study(config: OptunaTunerConfig) -> tuple[optuna.Study, Heartbeats | None]:
    """Create or load the study of `config`; return it with its heartbeats, if any.

    Workers that open a fresh database at the same moment take turns to create
    its tables, and try again if they still lose a race.
    """
    _check_objects(config)
    storage = _retry_setup_races(config, lambda: _open_storage(config))
    study = _retry_setup_races(config, lambda: _create_study(config, storage))

    interval = heartbeat_interval(storage)
    if interval is None:
        return study, None
    heartbeats = Heartbeats(storage, interval)  # type: ignore[arg-type]  # has one
    heartbeats.fail_stale(study)
    return study, heartbeats


def heartbeat_interval(storage: object) -> int | None:
    """Return the heartbeat interval of `storage`, or None if it records none."""
    get_interval = getattr(storage, "get_heartbeat_interval", None)
    if get_interval is None or not hasattr(storage, "record_heartbeat"):
        return None
    interval = get_interval()
    return interval if isinstance(interval, int) and interval > 0 else None


class Heartbeats:
    """Record a heartbeat of every trial handed out, until it is told or closed.

    Optuna records heartbeats only inside `study.optimize`; trials asked with
    `study.ask` would stay RUNNING forever when their worker dies. Each trial
    gets a daemon thread that beats every interval and stops when it sees the
    trial finished (the program tells the study, not the tuner) or on `stop()`.
    """

    def __init__(self, storage: HeartbeatStorage, interval: int) -> None:
        self._storage = storage
        self._interval = interval
        self._beating: dict[int, threading.Event] = {}
        self._failed_stale_at = -math.inf

    def ask(self, study: optuna.Study, ask: Callable[[], _Asked]) -> _Asked:
        """Return `ask()`, a trial of `study` and more, then beat for the trial.

        Stale trials are failed first, at most once an interval (a trial goes
        stale only after the grace period), so that the retry of a dead worker's
        trial is the one this ask picks up. Optuna warns that heartbeats are
        meant for `study.optimize`; here they are recorded, so it would mislead.
        """
        if time.monotonic() - self._failed_stale_at >= self._interval:
            self.fail_stale(study)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Heartbeat of storage")
            asked = ask()
        self.start(asked[0]._trial_id)
        return asked

    def start(self, trial_id: int) -> None:
        """Record a first heartbeat of `trial_id` now, then one every interval."""
        self._beating = {
            beating: stop
            for beating, stop in self._beating.items()
            if not stop.is_set()
        }
        self._storage.record_heartbeat(trial_id)

        stop = threading.Event()
        self._beating[trial_id] = stop
        thread = threading.Thread(
            target=_beat,
            args=(self._storage, trial_id, self._interval, stop),
            name=f"spockc-heartbeat-{trial_id}",
            daemon=True,
        )
        thread.start()

    def stop(self) -> None:
        """Stop recording heartbeats of every trial."""
        for stop in self._beating.values():
            stop.set()
        self._beating.clear()

    def fail_stale(self, study: optuna.Study) -> None:
        """Tell FAIL to running trials of dead workers; retry them if configured."""
        self._failed_stale_at = time.monotonic()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
            optuna.storages.fail_stale_trials(study)


def _beat(
    storage: HeartbeatStorage, trial_id: int, interval: int, stop: threading.Event
) -> None:
    while not stop.wait(interval):
        try:
            if storage.get_trial(trial_id).state.is_finished():
                break
            storage.record_heartbeat(trial_id)
        except KeyError:  # the trial, or its study, was deleted
            break
        except Exception:  # a lost connection: try again at the next beat
            continue
    stop.set()


def _open_storage(config: OptunaTunerConfig) -> BaseStorage | None:
    """Return the storage object `config.storage` names; None stands for memory."""
    storage = config.storage
    if not isinstance(storage, str):
        if config.heartbeat_interval is not None:
            raise ConfigError([_no_heartbeats(storage)])
        return storage  # type: ignore[return-value]  # checked by _check_objects

    if storage.startswith(JOURNAL_PREFIX):
        if config.heartbeat_interval is not None:
            raise ConfigError([_no_heartbeats(storage)])
        return _open_journal(storage, storage[len(JOURNAL_PREFIX) :])
    return _open_database(storage, config)


def _no_heartbeats(storage: object) -> Problem:
    if storage is None:
        reason = "the default in-memory study lives in one process"
    elif isinstance(storage, str):
        reason = "a journal file records no heartbeats"
    else:
        reason = (
            "a storage object keeps its own settings: pass heartbeat_interval to "
            "RDBStorage, and the tuner records the heartbeats it asks for"
        )
    message = (
        f"heartbeat_interval needs a database URL (sqlite:///... or "
        f"postgresql+psycopg://...); {reason}"
    )
    return _problem("OptunaTunerConfig.heartbeat_interval", message)


def _open_journal(url: str, path: str) -> BaseStorage:
    """Open the journal file at `path`, creating it when missing."""
    from optuna.storages.journal import JournalFileBackend

    if not path:
        message = f"{url!r} names no file: write {JOURNAL_PREFIX}path/to/study.log"
        raise ConfigError([_problem("OptunaTunerConfig.storage", message)])
    try:
        return optuna.storages.JournalStorage(JournalFileBackend(path))
    except OSError as exc:
        message = f"cannot open the journal file {path!r}: {exc.strerror}"
        raise ConfigError([_problem("OptunaTunerConfig.storage", message)]) from None


def _open_database(url: str, config: OptunaTunerConfig) -> BaseStorage:
    """Open the database at `url`, with the heartbeats `config` asks for."""
    callback = None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        if config.retry_stale_trials:
            callback = optuna.storages.RetryHeartbeatStaleTrialCallback(
                max_retry=config.retry_stale_trials
            )
        try:
            with _setup_lock(url):
                return RDBStorage(
                    url,
                    heartbeat_interval=config.heartbeat_interval,
                    grace_period=config.grace_period,
                    heartbeat_stale_trial_callback=callback,
                )
        except ImportError as exc:
            raise ConfigError([_missing_driver(url, exc)]) from None


@contextlib.contextmanager
def _setup_lock(url: str) -> Iterator[None]:
    """Let one process at a time create Optuna's tables in the database at `url`.

    Workers that open a fresh database together otherwise all create the tables,
    and each loser waits seconds on the database's locks before failing and
    trying again (https://github.com/optuna/optuna/issues/4621). PostgreSQL
    gets an advisory lock; an SQLite file gets an `flock` on itself, a lock kind
    that SQLite's own (POSIX record) locks ignore. Others rely on the retries.
    """
    # Seconds of imports that Optuna makes on first use: not while others wait.
    for module in _DATABASE_MODULES:
        importlib.import_module(module)

    if url.startswith("postgresql"):
        with _postgres_lock(url):
            yield
    elif url.startswith("sqlite:"):
        with _file_lock(_sqlite_path(url)):
            yield
    else:
        yield


_DATABASE_MODULES = (
    "sqlalchemy.orm",
    "alembic.command",
    "alembic.config",
    "alembic.migration",
    "alembic.script",
)

# Any number: advisory locks are per database, and only spockc takes this one.
_SETUP_LOCK_KEY = 0x5370_6F63_6B63


@contextlib.contextmanager
def _postgres_lock(url: str) -> Iterator[None]:
    import sqlalchemy
    from sqlalchemy.pool import NullPool

    engine = sqlalchemy.create_engine(
        url, poolclass=NullPool, isolation_level="AUTOCOMMIT"
    )
    lock = sqlalchemy.text("SELECT pg_advisory_lock(:key)")
    unlock = sqlalchemy.text("SELECT pg_advisory_unlock(:key)")
    try:
        with engine.connect() as connection:
            connection.execute(lock, {"key": _SETUP_LOCK_KEY})
            try:
                yield
            finally:
                connection.execute(unlock, {"key": _SETUP_LOCK_KEY})
    finally:
        engine.dispose()


def _sqlite_path(url: str) -> str | None:
    """Return the file of an SQLite URL, or None for memory or a bad URL."""
    import sqlalchemy

    try:
        database = sqlalchemy.engine.make_url(url).database
    except sqlalchemy.exc.ArgumentError:
        return None  # Optuna reports it
    return database if database and database != ":memory:" else None


@contextlib.contextmanager
def _file_lock(path: str | None) -> Iterator[None]:
    if path is None:
        yield
        return

    try:
        import fcntl

        stream = open(path, "ab")  # noqa: SIM115  # closed below
    except (ImportError, OSError):  # no flock here, or a bad path Optuna reports
        yield
        return

    with stream:
        fcntl.flock(stream, fcntl.LOCK_EX)
        yield


def _missing_driver(url: str, exc: ImportError) -> Problem:
    # SQLAlchemy raises the driver's own ImportError; Optuna wraps it.
    driver = exc.name or getattr(exc.__cause__, "name", None) or "of this URL"
    message = f"the database driver {driver} is not installed"
    if url.startswith("postgresql"):
        message += (
            "; for postgresql+psycopg:// URLs, install spockc's extra: "
            "pip install 'spockc[postgres]'"
        )
    return _problem("OptunaTunerConfig.storage", message)


def _create_study(
    config: OptunaTunerConfig, storage: BaseStorage | None
) -> optuna.Study:
    try:
        return optuna.create_study(
            storage=storage,
            sampler=config.sampler,  # type: ignore[arg-type]  # checked before
            pruner=config.pruner,  # type: ignore[arg-type]  # checked before
            study_name=config.study_name,
            direction=config.direction,  # type: ignore[arg-type]  # checked by the config
            directions=config.directions,  # type: ignore[arg-type]  # checked by the config
            load_if_exists=config.load_if_exists,
        )
    except optuna.exceptions.DuplicatedStudyError:
        message = (
            f"study {config.study_name!r} already exists in {config.storage!r}; "
            "pass load_if_exists=True to resume it, or choose another study_name"
        )
        raise ConfigError([_problem("OptunaTunerConfig", message)]) from None


def _retry_setup_races(config: OptunaTunerConfig, open_: Callable[[], _T]) -> _T:
    """Return `open_()`, trying again while it loses a database setup race."""
    for attempt in range(_OPEN_ATTEMPTS):
        try:
            return open_()
        except Exception as exc:
            # Database errors come from SQLAlchemy; checked by module name so that
            # an in-memory study never imports it.
            if not type(exc).__module__.startswith("sqlalchemy"):
                raise
            reason = str(exc).splitlines()[0]
            if _is_setup_race(reason) and attempt + 1 < _OPEN_ATTEMPTS:
                time.sleep(0.05 * 2**attempt)
                continue
            message = f"cannot open the storage {config.storage!r}: {reason}"
            if type(exc).__name__ in ("ArgumentError", "NoSuchModuleError"):
                message += f"; {_STORAGE_FORMS}"
            problem = _problem("OptunaTunerConfig.storage", message)
            raise ConfigError([problem]) from None
    raise AssertionError("unreachable: the last attempt returns or raises")


_OPEN_ATTEMPTS = 8

_STORAGE_FORMS = (
    "a storage is sqlite:///PATH, postgresql+psycopg://USER@HOST:PORT/DATABASE, "
    f"{JOURNAL_PREFIX}PATH or an Optuna storage object"
)

# Workers that open a fresh database at the same moment race to create its tables
# (https://github.com/optuna/optuna/issues/4621); where the setup lock does not
# keep them apart, the losers see one of these: SQLite's, PostgreSQL's (a table,
# or the type PostgreSQL makes for it), then MySQL's row of the schema version.
_SETUP_RACES = (
    "UNIQUE constraint failed",
    "database is locked",
    "already exists",
    "duplicate key value violates unique constraint",
    "Duplicate entry",
)


def _is_setup_race(reason: str) -> bool:
    return any(race in reason for race in _SETUP_RACES)


def _check_objects(config: OptunaTunerConfig) -> None:
    """Refuse a storage, sampler or pruner that Optuna would fail on later."""
    expected = {
        "storage": (BaseStorage, str),
        "sampler": (optuna.samplers.BaseSampler,),
        "pruner": (optuna.pruners.BasePruner,),
    }
    problems = []
    for name, kinds in expected.items():
        value = getattr(config, name)
        if value is not None and not isinstance(value, kinds):
            wanted = " or ".join(kind.__name__ for kind in kinds)
            message = f"expected None or {wanted}, got {value!r}"
            problems.append(_problem(f"OptunaTunerConfig.{name}", message))
    if problems:
        raise ConfigError(problems)


def _problem(key: str, message: str) -> Problem:
    return Problem(where="", key=key, message=message)
