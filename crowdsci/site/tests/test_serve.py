"""`make serve` (bin/serve): the production profile starts all four processes of the Procfile under honcho, serves
the home page, and stops cleanly on SIGTERM. The tracker follows the local fake stream, never Wikimedia."""

from __future__ import annotations

import signal
import time

import httpx
import pytest
from django.db import connection

from crowdsci.core.tests.processes import Process, child_env, database_url_of_this_test, free_port
from crowdsci.wikimedia.fake import FakeData, FakeWikimedia

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
PROCESSES = ("web", "worker", "tracker", "scheduler")


def _database_url(tmp_path) -> str:
    if connection.vendor == "postgresql":
        return database_url_of_this_test()
    # SQLite's test database lives in this process's memory: the processes get a file copy of it.
    copy = tmp_path / "serve.sqlite3"
    with connection.cursor() as cursor:
        cursor.execute("VACUUM INTO %s", [str(copy)])
    return f"sqlite:///{copy}"


def test_make_serve_starts_every_process_serves_the_home_page_and_stops_cleanly(tmp_path):
    fake = FakeWikimedia(FakeData(), heartbeat_interval=0.2).start()
    port = free_port()
    env = child_env(
        DATABASE_URL=_database_url(tmp_path),
        REDIS_URL="redis://127.0.0.1:6379/15",
        PORT=str(port),
        WEB_CONCURRENCY="2",
        WIKIMEDIA_STREAM_URL=fake.stream_url,
        WIKIMEDIA_API_URL=fake.api_url,
        LEADER_LOCK_DIR=str(tmp_path),
        PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "metrics"),
    )
    env.pop("PROCESSES", None)
    serve = Process(["bin/serve"], env=env)
    try:
        for name in PROCESSES:
            serve.wait_for(f"{name}.1 started", timeout=240)  # first run: collectstatic hashes and compresses
        serve.wait_for("leader tracker: active")
        serve.wait_for("leader scheduler: active")
        home = None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                home = httpx.get(f"http://127.0.0.1:{port}/", timeout=10)
                break
            except httpx.HTTPError:
                time.sleep(0.25)
        assert home is not None and home.status_code == 200, serve.output()
        assert "Network of the National Library of Medicine" in home.text
        assert home.headers["X-Request-ID"]
        assert httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=10).text == "ready\n"
        assert any(request[0] == "GET" for request in fake.requests) or serve.saw("tracking edits from")
        serve.wait_for('"GET / 200')  # the request's one JSON log line

        serve.signal(signal.SIGTERM)
        serve.wait(timeout=60)
        for name in PROCESSES:
            assert serve.saw(f"{name}.1 stopped (rc=0)"), serve.output()
    finally:
        serve.stop()
        fake.stop()
