import threading

import pytest
from django.db import connection, transaction

from crowdsci.core.errors import ServiceBusy
from crowdsci.core.locking import lock_row, lock_rows
from crowdsci.core.models import AuditEntry
from crowdsci.core.testing import run_concurrently


def _counter() -> AuditEntry:
    return AuditEntry.objects.create(action="counter", object_type="test", object_id="1", detail={"n": 0})


def _increment(pk: int) -> None:
    # Read, modify, write: without the lock, concurrent calls read the same n and updates are lost.
    with transaction.atomic(durable=True):
        row = lock_row(AuditEntry, pk)
        row.detail = {"n": row.detail["n"] + 1}
        row.save(update_fields=["detail"])


@pytest.mark.django_db
def test_lock_rows_returns_current_rows_in_key_order():
    rows = [_counter() for _ in range(3)]
    with transaction.atomic():
        locked = lock_rows(AuditEntry, [rows[2].pk, rows[0].pk])
    assert [row.pk for row in locked] == [rows[0].pk, rows[2].pk]
    with transaction.atomic(), pytest.raises(AuditEntry.DoesNotExist):
        lock_row(AuditEntry, 10**9)


@pytest.mark.django_db(transaction=True)
def test_concurrent_read_modify_write_under_the_lock_loses_no_update():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite serializes writers (the same test passes trivially)")
    counter = _counter()
    outcomes = run_concurrently(lambda _index: _increment(counter.pk), 12)
    assert [outcome.error for outcome in outcomes] == [None] * 12
    counter.refresh_from_db()
    assert counter.detail["n"] == 12


@pytest.mark.django_db(transaction=True)
def test_a_lock_held_too_long_is_busy_not_a_hang():
    if connection.vendor != "postgresql":
        pytest.skip("lock_timeout is PostgreSQL's")
    counter = _counter()
    holding, release = threading.Event(), threading.Event()

    def hold(index: int) -> None:
        if index == 0:
            with transaction.atomic():
                lock_row(AuditEntry, counter.pk)
                holding.set()
                release.wait(10)
        else:
            holding.wait(10)
            try:
                with transaction.atomic():
                    lock_row(AuditEntry, counter.pk, timeout=0.2)
            finally:
                release.set()

    outcomes = run_concurrently(hold, 2)
    assert outcomes[0].error is None
    assert isinstance(outcomes[1].error, ServiceBusy)
