"""``manage.py track_edits`` against the local fake stream: every tagged edit stored exactly once through a dropped
connection, a malformed event, ``kill -9`` in the middle of a batch and a restart; SIGTERM exits cleanly."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection

from crowdsci.campaigns.models import CampaignEdit, StreamConsumer, TrackedEdit
from crowdsci.wikimedia.fake import FakeWikimedia

from .conftest import at, fake_data, make_campaign, recentchange

ROOT = Path(__file__).resolve().parents[3]


def mixed_events(count: int) -> tuple[list[dict], set[int]]:
    """Events of every kind; returns them and the revision ids that must be stored (one in ten: tagged edits)."""
    events, wanted = [], set()
    for index in range(count):
        revid = 9_000_000 + index
        kind = index % 10
        if kind == 3:
            events.append(recentchange(revid=revid, comment=f"sources #CiteNLM {index}", timestamp=at(5)))
            wanted.add(revid)
        elif kind == 5:
            events.append(recentchange(revid=revid, comment="#CiteNLM by a bot", bot=True))
        elif kind == 7:
            events.append(recentchange(revid=revid, comment="#CiteNLM", wiki="dewiki"))
        elif kind == 9:
            events.append(recentchange(revid=revid, comment="#CiteNLM2021 is another tag"))
        else:
            events.append(recentchange(revid=revid, comment="copyedit", user=f"User {index % 50}"))
    return events, wanted


@pytest.mark.django_db
def test_every_tagged_edit_once_through_a_drop_and_a_malformed_event(fake_server: FakeWikimedia, tracker_settings):
    make_campaign()
    events, wanted = mixed_events(60)
    fake_server.data = fake_data(events)
    fake_server.faults.queue("drop_mid_event", target="stream", after_events=25)  # first connection
    fake_server.faults.queue("malformed_json", target="stream", after_events=2)  # second: event 25 + 2 (untagged)
    out = StringIO()
    call_command("track_edits", "--stop-when-idle", "0.5", stdout=out)
    stored = Counter(TrackedEdit.objects.values_list("revid", flat=True))
    assert set(stored) == wanted
    assert set(stored.values()) == {1}
    assert CampaignEdit.objects.count() == len(wanted)
    consumer = StreamConsumer.objects.get(name="recentchange")
    assert json.loads(consumer.last_event_id)[0]["offset"] == 60
    assert (consumer.events_read, consumer.events_malformed, consumer.events_matched) == (60, 1, len(wanted))
    assert consumer.reconnections == 1
    assert consumer.lag_seconds is not None
    assert "stopped after 60 events, 6 new edits stored" in out.getvalue()
    # A second run resumes after the last event: nothing new, nothing twice.
    call_command("track_edits", "--stop-when-idle", "0.3", stdout=StringIO())
    assert TrackedEdit.objects.count() == len(wanted)
    assert fake_server.requests[-1][3]["Last-Event-ID"] == consumer.last_event_id


@pytest.mark.django_db
def test_since_on_the_first_start(fake_server: FakeWikimedia, tracker_settings):
    make_campaign()
    early = recentchange(comment="#CiteNLM early", timestamp=at(2))
    late = recentchange(comment="#CiteNLM late", timestamp=at(9))
    fake_server.data = fake_data([early, late])
    call_command("track_edits", "--since", at(5).isoformat(), "--stop-when-idle", "0.3", stdout=StringIO())
    assert list(TrackedEdit.objects.values_list("summary", flat=True)) == ["#CiteNLM late"]
    assert fake_server.requests[0][2]["since"] == at(5).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.mark.django_db
def test_sigterm_finishes_the_batch_and_exits_cleanly(fake_server: FakeWikimedia, tracker_settings):
    make_campaign()
    events, wanted = mixed_events(30)
    fake_server.data = fake_data(events)
    before = signal.getsignal(signal.SIGTERM)
    # Whenever it lands (before, during or after the events), SIGTERM must end the loop with its batch stored.
    timer = threading.Timer(1.0, os.kill, args=(os.getpid(), signal.SIGTERM))
    timer.start()
    out = StringIO()
    call_command("track_edits", stdout=out)  # returns (exit 0) instead of the process dying
    timer.join()
    assert out.getvalue().startswith("tracking edits from ")
    assert "stopped after" in out.getvalue()
    assert signal.getsignal(signal.SIGTERM) is before
    # What was stored is exactly the tagged edits up to the stored position: the batch was finished, not cut.
    consumer = StreamConsumer.objects.filter(name="recentchange").first()
    position = json.loads(consumer.last_event_id)[0]["offset"] if consumer and consumer.last_event_id else 0
    expected = {revid for revid in wanted if revid - 9_000_000 < position}
    assert set(TrackedEdit.objects.values_list("revid", flat=True)) == expected


# --- kill -9 and a restart, as separate processes --------------------------------------------------------------


class ProcessDatabase:
    """The test database as another process sees it: PostgreSQL's test database itself, or for SQLite (whose test
    database lives in this process's memory) a file copy the processes write and the test reads back."""

    def __init__(self, tmp_path: Path) -> None:
        self.vendor = connection.vendor
        if self.vendor == "sqlite":
            self.path = tmp_path / "tracker.sqlite3"
            with connection.cursor() as cursor:
                cursor.execute("VACUUM INTO %s", [str(self.path)])
            self.url = f"sqlite:///{self.path}"
        else:
            conf = connection.settings_dict
            self.url = (f"postgres://{conf['USER']}@{conf['HOST'] or '127.0.0.1'}:{conf['PORT'] or 5432}/"
                        f"{conf['NAME']}")

    def query(self, sql: str) -> list[tuple]:
        if self.vendor == "sqlite":
            with sqlite3.connect(self.path, timeout=20) as db:
                return db.execute(sql).fetchall()
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()


def start_tracker(database: ProcessDatabase, fake: FakeWikimedia) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database.url,
        "CROWDSCI_PROFILE": "test",
        "WIKIMEDIA_STREAM_URL": fake.stream_url,
        "CAMPAIGNS_INGEST_BATCH_EVENTS": "250",
        "CAMPAIGNS_INGEST_BATCH_SECONDS": "0.2",
        "CAMPAIGNS_STREAM_RETRY_BASE_SECONDS": "0.01",
    }
    return subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "track_edits"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def wait_for(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError("timed out")


@pytest.mark.django_db(transaction=True)
def test_kill_9_in_the_middle_then_a_restart_loses_nothing_and_stores_nothing_twice(tmp_path, fake_server):
    make_campaign()
    events, wanted = mixed_events(8_000)
    fake_server.data = fake_data(events)
    fake_server.faults.queue("malformed_json", target="stream", after_events=300)  # untagged, before the kill
    fake_server.faults.queue("drop_mid_event", target="stream", after_events=700)  # after the restart
    fake_server.stream_pause_per_100_events = 0.05  # the stream lasts 4 s or more: the kill lands in its middle
    database = ProcessDatabase(tmp_path)

    def events_read() -> int:
        rows = database.query("SELECT events_read FROM campaigns_streamconsumer WHERE name = 'recentchange'")
        return rows[0][0] if rows else 0

    tracker = start_tracker(database, fake_server)
    try:
        wait_for(lambda: events_read() >= 1000)
        tracker.send_signal(signal.SIGKILL)
        assert tracker.wait(timeout=10) == -signal.SIGKILL
        read_at_kill = events_read()
        stored_at_kill = database.query("SELECT COUNT(*) FROM campaigns_trackededit")[0][0]
        assert 0 < read_at_kill < len(events)  # killed in the middle of the stream
        assert stored_at_kill < len(wanted)

        tracker = start_tracker(database, fake_server)
        wait_for(lambda: events_read() >= len(events))
        tracker.send_signal(signal.SIGTERM)
        assert tracker.wait(timeout=20) == 0, tracker.stderr.read().decode()[-2000:]
    finally:
        if tracker.poll() is None:
            tracker.kill()
            tracker.wait()
    counts = dict(database.query("SELECT revid, COUNT(*) FROM campaigns_trackededit GROUP BY revid"))
    assert set(counts) == wanted
    assert set(counts.values()) == {1}
    links = database.query("SELECT COUNT(*) FROM campaigns_campaignedit")[0][0]
    assert links == len(wanted)
    [(last_event_id, malformed, read)] = database.query(
        "SELECT last_event_id, events_malformed, events_read FROM campaigns_streamconsumer"
    )
    assert json.loads(last_event_id)[0]["offset"] == len(events)
    assert malformed == 1
    # Events of the batch cut by the kill were read again after the restart (never stored twice): the count of
    # events read is the stream's length plus at most one batch of events.
    assert len(events) <= read <= len(events) + 250
    assert django_settings.TASKS  # the processes queued crediting in the database backend (not run here)
