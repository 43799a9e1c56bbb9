"""Lock the scarce rows, then re-read them (pretix's locking service is the model).

``lock_rows`` locks rows of one model in a fixed order (primary key), so two requests that need the same rows
queue behind each other instead of deadlocking, and it waits at most ``timeout`` seconds: a lock held longer
becomes ``ServiceBusy`` ("busy, try again") rather than a request hanging or a 500.

On PostgreSQL this is ``SELECT ... FOR UPDATE ORDER BY id`` under ``SET LOCAL lock_timeout``. SQLite has no row
locks: our SQLite connections open every transaction with BEGIN IMMEDIATE (settings), so writers are serialized
for the whole transaction and the rows read after the lock are current; a writer that waits past SQLite's busy
timeout gets "database is locked", which becomes ``ServiceBusy`` too.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from django.db import OperationalError, connection, models, transaction

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
