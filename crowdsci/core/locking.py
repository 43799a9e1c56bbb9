"""Lock the scarce rows, then re-read them (pretix's locking service is the model).

``lock_rows`` locks rows of one model in a fixed order (primary key), so two requests that need the same rows
queue behind each other instead of deadlocking, and it waits at most ``timeout`` seconds: a lock held longer
becomes ``ServiceBusy`` ("busy, try again") rather than a request hanging or a 500.

On PostgreSQL this is ``SELECT ... FOR UPDATE ORDER BY id`` under ``SET LOCAL lock_timeout``. SQLite has no row
locks: our SQLite connections open every transaction with BEGIN IMMEDIATE (settings), so writers are serialized
for the whole transaction and the rows read after the lock are current; a writer that waits past SQLite's busy
timeout gets "database is locked", which becomes ``ServiceBusy`` too.

``leadership(name)`` (below) is the other kind of lock: it makes exactly one process of a kind active (the live
tracker, the scheduler), with the others waiting as hot standbys.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
import signal
import socket
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.db import OperationalError, connection, connections, models, transaction

from crowdsci.core.errors import ServiceBusy

DEFAULT_LOCK_TIMEOUT_SECONDS = 5.0

ModelT = TypeVar("ModelT", bound=models.Model)


def _is_lock_failure(error: OperationalError) -> bool:
    cause = error.__cause__
    sqlstate = getattr(cause, "sqlstate", None)
    if sqlstate == "55P03":  # PostgreSQL lock_not_available (lock_timeout or NOWAIT)
        return True
    return "database is locked" in str(error)


@contextmanager
def busy_as_service_error(message: str | None = None) -> Iterator[None]:
    """Turn a lock wait that timed out inside the block into ``ServiceBusy``."""
    try:
        yield
    except OperationalError as error:
        if _is_lock_failure(error):
            raise ServiceBusy(message) from error
        raise


def set_lock_timeout(seconds: float) -> None:
    """For the rest of the current transaction, wait at most ``seconds`` for a row lock (PostgreSQL only)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("set_lock_timeout must be called inside a transaction")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [f"{int(seconds * 1000)}ms"])


def lock_rows(
    queryset: models.QuerySet[ModelT] | type[ModelT],
    ids: Iterable[object] | None = None,
    *,
    timeout: float = DEFAULT_LOCK_TIMEOUT_SECONDS,
    skip_locked: bool = False,
    busy_message: str | None = None,
) -> list[ModelT]:
    """Lock and return the rows (current values, read after the lock), in primary-key order.

    ``queryset`` is a model or a queryset to narrow; ``ids``, when given, restricts it to those primary keys.
    With ``skip_locked`` rows other transactions hold are left out instead of waited for (a work queue).
    Must run inside a transaction: the locks are released when it ends.
    """
    qs = queryset._default_manager.all() if isinstance(queryset, type) else queryset
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    set_lock_timeout(timeout)
    with busy_as_service_error(busy_message):
        return list(qs.select_for_update(skip_locked=skip_locked).order_by("pk"))


def lock_row(
    queryset: models.QuerySet[ModelT] | type[ModelT],
    pk: object,
    *,
    timeout: float = DEFAULT_LOCK_TIMEOUT_SECONDS,
    busy_message: str | None = None,
) -> ModelT:
    """Lock one row and return it re-read; ``DoesNotExist`` if it is gone."""
    rows = lock_rows(queryset, [pk], timeout=timeout, busy_message=busy_message)
    if not rows:
        model = queryset if isinstance(queryset, type) else queryset.model
        raise model.DoesNotExist(f"{model._meta.label} {pk} does not exist")
    return rows[0]


# --- Leadership: exactly one active process of a kind (the tracker, the scheduler) ---------------------------------
#
# Every instance started tries to take the lock named after its job; the one that gets it is active, the others
# wait as hot standbys and try again every ``poll_interval`` seconds. The lock belongs to the process, not to a
# transaction, and dies with it (even with kill -9):
#
# * PostgreSQL: a session advisory lock (pg_try_advisory_lock) on a dedicated connection, separate from Django's
#   (which Django may close between requests or batches). When the process dies the kernel closes its socket, the
#   server ends the session and the lock is free at once. TCP keepalives bound the case of a holder whose machine
#   vanished without closing the socket.
# * SQLite (development, tests): an exclusive flock on a file beside the database; the kernel releases it when the
#   process dies.

LEADER_POLL_INTERVAL_SECONDS = 1.0
LEADER_CHECK_INTERVAL_SECONDS = 5.0

logger = logging.getLogger("crowdsci.leader")


def _advisory_key(name: str) -> int:
    digest = hashlib.sha256(f"crowdsci-leader:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _identity() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class LeaderLock:
    """The lock that makes one process of a kind active; see the comment above. Not shared between threads."""

    def __init__(self, name: str, *, using: str = "default") -> None:
        if not name or len(name) > 40:
            raise ValueError("a leader lock needs a short name")
        self.name = name
        self.using = using
        self.held = False
        self._pg = None  # the dedicated PostgreSQL connection while held
        self._file = None  # the open lock file while held (SQLite)

    @property
    def vendor(self) -> str:
        return connections[self.using].vendor

    # PostgreSQL ---------------------------------------------------------------------------------------------------

    def _pg_connect(self):
        import psycopg

        params = connections[self.using].get_connection_params()
        for key in ("cursor_factory", "context", "prepare_threshold"):
            params.pop(key, None)
        params.update(
            autocommit=True,
            application_name=f"crowdsci-leader {self.name} {_identity()}"[:63],
            connect_timeout=10,
            keepalives=1,
            keepalives_idle=10,
            keepalives_interval=5,
            keepalives_count=3,
        )
        return psycopg.connect(**params)

    def _pg_try(self) -> bool:
        if self._pg is None or self._pg.closed:
            self._pg = self._pg_connect()
        # A standby keeps its connection for the next try: one idle session.
        row = self._pg.execute("SELECT pg_try_advisory_lock(%s)", [_advisory_key(self.name)]).fetchone()
        return bool(row[0])

    # SQLite (or any database without advisory locks) ---------------------------------------------------------------

    def lock_path(self) -> Path:
        database = str(connections[self.using].settings_dict["NAME"])
        directory = getattr(settings, "LEADER_LOCK_DIR", None)
        if directory:  # one directory per installation: the name alone is enough
            return Path(directory) / f"crowdsci-leader-{self.name}.lock"
        if database and "memory" not in database and Path(database).parent.is_dir():
            base = Path(database).parent
        else:
            base = Path(tempfile.gettempdir())
        if not database or "memory" in database:
            database = f"{database}:{os.getpid()}"  # an in-memory database is this process's alone
        tag = hashlib.sha256(database.encode()).hexdigest()[:12]  # databases sharing a directory stay apart
        return base / f".crowdsci-leader-{self.name}-{tag}.lock"

    def _file_try(self) -> bool:
        handle = open(self.lock_path(), "a+")  # noqa: SIM115 -- held open for as long as the lock is
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        handle.write(_identity() + "\n")
        handle.flush()
        self._file = handle
        return True

    # The interface ------------------------------------------------------------------------------------------------

    def try_acquire(self) -> bool:
        """Take the lock if it is free; never waits."""
        if self.held:
            return True
        self.held = self._pg_try() if self.vendor == "postgresql" else self._file_try()
        return self.held

    def acquire(self, *, poll_interval: float = LEADER_POLL_INTERVAL_SECONDS, should_stop=None) -> bool:
        """Wait as a standby until the lock is ours (True) or ``should_stop()`` says to give up (False)."""
        announced = False
        while True:
            try:
                if self.try_acquire():
                    logger.info("leader %s: active (%s)", self.name, _identity())
                    return True
            except Exception:
                # The database is unreachable: stay a standby and try again, as a supervisor would restart us.
                logger.exception("leader %s: could not reach the lock; retrying", self.name)
                self._close_pg()
            if not announced:
                logger.info("leader %s: standby, waiting for %s", self.name, current_leader(self.name) or "the holder")
                announced = True
            deadline = time.monotonic() + poll_interval
            while time.monotonic() < deadline:
                if should_stop is not None and should_stop():
                    return False
                time.sleep(min(0.1, poll_interval))

    def is_held(self) -> bool:
        """Whether we still hold it: on PostgreSQL the dedicated session must still be alive."""
        if not self.held:
            return False
        if self.vendor != "postgresql":
            return self._file is not None and not self._file.closed
        try:
            self._pg.execute("SELECT 1")
        except Exception:
            logger.exception("leader %s: lost the connection that holds the lock", self.name)
            self.held = False
            self._close_pg()
            return False
        return True

    def release(self) -> None:
        if self._file is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
            self._file.close()
            self._file = None
        if self._pg is not None and self.held:
            # Unlock explicitly: closing the session would too, but the server ends it a moment after we return.
            with contextlib.suppress(Exception):
                self._pg.execute("SELECT pg_advisory_unlock(%s)", [_advisory_key(self.name)])
        self._close_pg()
        if self.held:
            logger.info("leader %s: released", self.name)
        self.held = False

    def _close_pg(self) -> None:
        if self._pg is not None:
            with contextlib.suppress(Exception):
                self._pg.close()
            self._pg = None


def current_leader(name: str, *, using: str = "default") -> str | None:
    """``host:pid`` of the active process of that kind, if one is active (for logs and the staff status page)."""
    lock = LeaderLock(name, using=using)
    if lock.vendor == "postgresql":
        with connections[using].cursor() as cursor:
            cursor.execute(
                "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = %s AND l.objid = %s LIMIT 1",
                _advisory_key_halves(name),
            )
            row = cursor.fetchone()
        return row[0].rsplit(" ", 1)[-1] if row else None
    path = lock.lock_path()
    if not path.exists():
        return None
    with open(path) as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return handle.read().strip() or "?"
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    return None


def _advisory_key_halves(name: str) -> list[int]:
    # pg_locks shows a bigint advisory key as two 32-bit halves (classid: high, objid: low), unsigned.
    key = _advisory_key(name) & 0xFFFFFFFFFFFFFFFF
    return [key >> 32, key & 0xFFFFFFFF]


@contextmanager
def stop_requested() -> Iterator[threading.Event]:
    """Catch SIGTERM/SIGINT for the whole block and turn them into a set event (the caller's graceful stop).

    Long-running commands enter this *before* ``leadership``: a signal that arrives in the instant between a
    standby taking over and the command's loop starting then stops the loop instead of killing the process with
    the default handler (exit -15). Outside the main thread (tests) no handler is installed.
    """
    stopping = threading.Event()
    previous = {}
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGINT):
            previous[signum] = signal.signal(signum, lambda *_args: stopping.set())
    try:
        yield stopping
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@contextmanager
def leadership(
    name: str,
    *,
    poll_interval: float = LEADER_POLL_INTERVAL_SECONDS,
    check_interval: float = LEADER_CHECK_INTERVAL_SECONDS,
    should_stop=None,
    on_lost=None,
) -> Iterator[bool]:
    """Be the one active process named ``name`` for the duration of the block.

    Yields True once this process is the leader, or False if it was told to stop (SIGTERM/SIGINT, or
    ``should_stop()``) while still a standby: the caller then just returns, and the process exits 0.

    While it leads, a watchdog thread checks every ``check_interval`` seconds that the lock is still held; if it
    is lost (the database dropped the session) ``on_lost()`` runs, by default a SIGTERM to this very process, so
    its own graceful shutdown stops the work and a supervisor restarts it as a standby. Two processes are never
    knowingly active at once.
    """
    lock = LeaderLock(name)
    try:
        acquired = lock.try_acquire()
    except Exception:
        logger.exception("leader %s: could not reach the lock; waiting as a standby", name)
        lock.release()
        acquired = False
    if acquired:
        logger.info("leader %s: active (%s)", name, _identity())
    else:
        # Only a standby catches SIGTERM/SIGINT here (to exit cleanly while it waits); a process that leads at once
        # never had other handlers than the caller's, so a signal during start-up reaches the caller as before.
        with stop_requested() as stop:
            acquired = lock.acquire(
                poll_interval=poll_interval,
                should_stop=lambda: stop.is_set() or bool(should_stop and should_stop()),
            )
            stopped = stop.is_set()
        if acquired and stopped:
            acquired = False  # told to stop just as it took over: it never starts work
    if not acquired:
        lock.release()
        yield False
        return

    finished = threading.Event()

    def watch() -> None:
        while not finished.wait(check_interval):
            if not lock.is_held():
                logger.error("leader %s: lock lost; stopping this process", name)
                (on_lost or (lambda: os.kill(os.getpid(), signal.SIGTERM)))()
                return

    watchdog = threading.Thread(target=watch, name=f"leader-{name}", daemon=True)
    watchdog.start()
    try:
        yield True
    finally:
        finished.set()
        watchdog.join(timeout=check_interval + 5)
        lock.release()
