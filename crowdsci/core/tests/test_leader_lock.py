"""Exactly one active process of a kind: the leader lock (PostgreSQL advisory lock, or a lock file on SQLite)."""

import signal

import pytest
from django.db import connection

from crowdsci.core.locking import LeaderLock, current_leader, leadership
from crowdsci.core.tests.processes import Process, child_env, database_url_of_this_test


@pytest.fixture
def lock_dir(settings, tmp_path):
    settings.LEADER_LOCK_DIR = str(tmp_path)
    return tmp_path


def _holder_env(lock_dir) -> dict[str, str]:
    if connection.vendor == "postgresql":
        return child_env(DATABASE_URL=database_url_of_this_test())
    return child_env(DATABASE_URL=f"sqlite:///{lock_dir / 'db.sqlite3'}", LEADER_LOCK_DIR=str(lock_dir))


@pytest.mark.django_db(transaction=True)
def test_one_lock_holder_at_a_time_and_release_frees_it(lock_dir):
    first, second = LeaderLock("test-one"), LeaderLock("test-one")
    other_name = LeaderLock("test-other")
    try:
        assert first.try_acquire()
        assert first.is_held()
        assert not second.try_acquire()
        assert other_name.try_acquire(), "locks of different names are independent"
        assert current_leader("test-one") is not None
        first.release()
        assert not first.is_held()
        assert second.try_acquire()
    finally:
        for lock in (first, second, other_name):
            lock.release()
    assert current_leader("test-one") is None


@pytest.mark.django_db(transaction=True)
def test_a_standby_told_to_stop_gives_up_without_leading(lock_dir):
    holder = LeaderLock("test-stop")
    assert holder.try_acquire()
    calls = []

    def should_stop() -> bool:
        calls.append(1)
        return len(calls) > 3

    try:
        with leadership("test-stop", poll_interval=0.05, should_stop=should_stop) as active:
            assert active is False
    finally:
        holder.release()


@pytest.mark.django_db(transaction=True)
def test_the_standby_takes_over_when_the_active_process_is_killed(lock_dir):
    env = _holder_env(lock_dir)
    active = Process.python("-m", "crowdsci.core.tests.leader_holder", "test-failover", env=env)
    standby = None
    try:
        active_line = active.wait_for("ACTIVE")
        assert active_line == f"ACTIVE {active.pid}"
        standby = Process.python("-m", "crowdsci.core.tests.leader_holder", "test-failover", env=env)
        standby.wait_for("standby")
        assert not standby.saw("ACTIVE"), "two processes active at once"
        assert current_leader("test-failover").endswith(f":{active.pid}")

        active.kill_hard()
        # "Within seconds": the standby polls every 0.2 s here; the bound only catches a standby that never leads.
        assert standby.wait_for("ACTIVE", timeout=60) == f"ACTIVE {standby.pid}"
        assert current_leader("test-failover").endswith(f":{standby.pid}")

        standby.signal(signal.SIGTERM)
        assert standby.wait() == 0
        assert standby.saw("STOPPED")
    finally:
        active.stop()
        if standby is not None:
            standby.stop()


@pytest.mark.django_db(transaction=True)
def test_sigterm_to_a_standby_exits_cleanly(lock_dir):
    env = _holder_env(lock_dir)
    holder = LeaderLock("test-standby-term")
    assert holder.try_acquire()
    standby = Process.python("-m", "crowdsci.core.tests.leader_holder", "test-standby-term", env=env)
    try:
        standby.wait_for("standby")
        standby.signal(signal.SIGTERM)
        assert standby.wait() == 0
        assert standby.saw("STOPPED as standby")
        assert not standby.saw("ACTIVE")
    finally:
        holder.release()
        standby.stop()


@pytest.mark.django_db(transaction=True)
def test_one_scheduler_is_active_and_a_standby_takes_over(lock_dir):
    if connection.vendor != "postgresql":
        pytest.skip("the schedulers share the test database, which on SQLite lives in this process's memory")
    env = _holder_env(lock_dir)
    first = Process.python("manage.py", "run_scheduler", env=env)
    second = None
    try:
        first.wait_for("leader scheduler: active")
        second = Process.python("manage.py", "run_scheduler", env=env)
        second.wait_for("leader scheduler: standby")
        first.kill_hard()
        second.wait_for("leader scheduler: active", timeout=60)
        second.signal(signal.SIGTERM)
        assert second.wait() == 0
    finally:
        first.stop()
        if second is not None:
            second.stop()


def test_stop_requested_turns_sigterm_into_an_event_and_restores_the_handler():
    import os
    import threading

    from crowdsci.core.locking import stop_requested

    if threading.current_thread() is not threading.main_thread():
        pytest.skip("signal handlers can only be installed from the main thread")
    before = signal.getsignal(signal.SIGTERM)
    with stop_requested() as stopping:
        os.kill(os.getpid(), signal.SIGTERM)  # would end this test run with the default handler
        assert stopping.wait(5)
    assert signal.getsignal(signal.SIGTERM) is before
