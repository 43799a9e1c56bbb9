"""SIGTERM to a web process or a task worker: the request or task in hand finishes, then the process exits 0."""

import signal
import threading
import time

import httpx
import pytest
from django.db import connection

from crowdsci.core.tests.processes import Process, child_env, database_url_of_this_test, free_port


def _wait_until(predicate, *, timeout: float = 90.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"not within {timeout} s: {what}")


def test_gunicorn_finishes_the_request_in_hand_and_exits_0(tmp_path):
    port = free_port()
    env = child_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", PORT=str(port), WEB_CONCURRENCY="1", WEB_THREADS="1"
    )
    server = Process(
        [".venv/bin/gunicorn", "--config", "gunicorn.conf.py", "crowdsci.core.tests.slow_wsgi:application"], env=env
    )
    base = f"http://127.0.0.1:{port}"
    try:
        server.wait_for("Booting worker")

        def answers() -> bool:
            try:
                return httpx.get(base + "/healthz", timeout=5).status_code == 200
            except httpx.HTTPError:
                return False

        _wait_until(answers, what="gunicorn answers /healthz")
        outcome = {}

        def slow_request() -> None:
            try:
                response = httpx.get(base + "/_test/slow", timeout=60)
                outcome["answer"] = (response.status_code, response.text)
            except httpx.HTTPError as error:
                outcome["answer"] = error

        client = threading.Thread(target=slow_request)
        client.start()
        server.wait_for("SLOW REQUEST STARTED")
        server.signal(signal.SIGTERM)
        client.join(60)
        assert outcome["answer"] == (200, "finished\n")
        assert server.wait() == 0
        assert server.saw("Handling signal: term")
    finally:
        server.stop()


@pytest.mark.django_db(transaction=True)
def test_db_worker_finishes_the_task_in_hand_and_exits_0(settings, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the worker shares the test database, which on SQLite lives in this process's memory")
    from django_tasks_db.models import DBTaskResult

    from crowdsci.core.tests.tasks_for_tests import sleep_then_write

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    marker = tmp_path / "task"
    first = sleep_then_write.enqueue(path=str(marker), seconds=3)
    second = sleep_then_write.enqueue(path=str(tmp_path / "second"), seconds=0)
    worker = Process.python(
        "manage.py",
        "db_worker",
        "--no-reload",
        "--interval",
        "0.2",
        env=child_env(DATABASE_URL=database_url_of_this_test()),
    )
    try:
        _wait_until(
            lambda: (tmp_path / "task.started").exists() or (tmp_path / "second.started").exists(),
            what="the worker starts a task",
        )
        started_first = (tmp_path / "task.started").exists()
        worker.signal(signal.SIGTERM)
        assert worker.wait() == 0
        assert worker.saw("shutting down gracefully")
    finally:
        worker.stop()
    statuses = {str(pk): status for pk, status in DBTaskResult.objects.values_list("id", "status")}
    in_hand, other = (first, second) if started_first else (second, first)
    assert statuses[str(in_hand.id)] == "SUCCESSFUL"
    assert statuses[str(other.id)] == "READY", "a stopping worker takes no new task"
