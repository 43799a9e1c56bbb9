"""Two trackers against the fake stream: one is active, the other a hot standby; ``kill -9`` the active one in the
middle of the stream and the standby takes over, and every tagged edit is still stored exactly once."""

from __future__ import annotations

import signal

import pytest

from crowdsci.core.locking import current_leader
from crowdsci.wikimedia.fake import FakeWikimedia

from .conftest import fake_data, make_campaign
from .test_command_track_edits import ProcessDatabase, mixed_events, start_tracker, wait_for


@pytest.mark.django_db(transaction=True)
def test_the_standby_takes_over_when_the_active_tracker_is_killed(
    tmp_path, fake_server: FakeWikimedia, settings, monkeypatch
):
    # On SQLite the lock file goes beside the processes' database file; the test reads it there too.
    monkeypatch.setenv("LEADER_LOCK_DIR", str(tmp_path))
    settings.LEADER_LOCK_DIR = str(tmp_path)
    make_campaign()
    events, wanted = mixed_events(8_000)
    fake_server.data = fake_data(events)
    fake_server.stream_pause_per_100_events = 0.05  # the stream lasts 4 s or more: the kill lands in its middle
    database = ProcessDatabase(tmp_path)

    def events_read() -> int:
        rows = database.query("SELECT events_read FROM campaigns_streamconsumer WHERE name = 'recentchange'")
        return rows[0][0] if rows else 0

    def leader_pid() -> int | None:
        # "?" while a new holder has the lock but has not written its name yet (SQLite's lock file).
        leader = current_leader("tracker")
        return int(leader.rsplit(":", 1)[1]) if leader and ":" in leader else None

    trackers = [start_tracker(database, fake_server)]
    try:
        wait_for(lambda: leader_pid() == trackers[0].pid)
        trackers.append(start_tracker(database, fake_server))
        active, standby = trackers
        wait_for(lambda: events_read() >= 1000)
        assert leader_pid() == active.pid, "the second tracker must wait, not lead"

        active.send_signal(signal.SIGKILL)
        assert active.wait(timeout=10) == -signal.SIGKILL
        read_at_kill = events_read()
        assert 0 < read_at_kill < len(events)  # killed in the middle of the stream

        wait_for(lambda: leader_pid() == standby.pid)  # within seconds by design; the bound only catches a hang
        wait_for(lambda: events_read() >= len(events), timeout=120)
        standby.send_signal(signal.SIGTERM)
        assert standby.wait(timeout=30) == 0, standby.stderr.read().decode()[-2000:]
    finally:
        for tracker in trackers:
            if tracker.poll() is None:
                tracker.kill()
                tracker.wait()
    counts = dict(database.query("SELECT revid, COUNT(*) FROM campaigns_trackededit GROUP BY revid"))
    assert set(counts) == wanted
    assert set(counts.values()) == {1}
    assert database.query("SELECT COUNT(*) FROM campaigns_campaignedit")[0][0] == len(wanted)
