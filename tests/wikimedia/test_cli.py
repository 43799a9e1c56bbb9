"""The command line: matching edits as JSON lines, resume from the state file, clean exit on Ctrl-C."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from crowdsci.wikimedia.__main__ import main
from crowdsci.wikimedia.fake import FakeData, FakeWikimedia, RecordedEvent
from crowdsci.wikimedia.hashtags import HashtagFilter

REPO_ROOT = Path(__file__).resolve().parents[2]


def expected_offsets(fake_data: FakeData) -> list[int]:
    wanted = HashtagFilter(["CiteNLM"])
    return [e.offset for e in fake_data.events if wanted.matches_comment(json.loads(e.raw).get("comment") or "")]


def run(fake: FakeWikimedia, state: Path, *extra: str) -> list[dict[str, object]]:
    output = io.StringIO()
    argv = ["stream", "--url", fake.stream_url, "--hashtag", "CiteNLM", "--state-file", str(state),
            "--contact", "tests@example.org", *extra]
    assert main(argv, output) == 0
    return [json.loads(line) for line in output.getvalue().splitlines()]


def test_prints_matches_and_resumes_from_its_state_file(fake: FakeWikimedia, fake_data: FakeData,
                                                        tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    first = run(fake, state, "--limit", "3", "--wiki", "enwiki")
    assert all(edit["wiki"] == "enwiki" and "citenlm" in str(edit["comment"]).casefold() for edit in first)
    assert json.loads(state.read_text())["last_event_id"] == first[-1]["event_id"]
    rest = run(fake, state, "--limit", str(len(expected_offsets(fake_data)) - 3))
    offsets = [json.loads(str(edit["event_id"]))[0]["offset"] for edit in first + rest]
    assert offsets == expected_offsets(fake_data)
    assert fake.requests[1][3]["Last-Event-ID"] == first[-1]["event_id"]


def test_missing_contact_is_a_clean_error(fake: FakeWikimedia, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("WIKIMEDIA_CONTACT", raising=False)
    argv = ["stream", "--url", fake.stream_url, "--hashtag", "CiteNLM", "--state-file", str(tmp_path / "s")]
    assert main(argv, io.StringIO()) == 1


def test_contact_comes_from_the_settings_variable(fake: FakeWikimedia, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("WIKIMEDIA_CONTACT", "operator@example.org")
    argv = ["stream", "--url", fake.stream_url, "--hashtag", "CiteNLM", "--state-file", str(tmp_path / "s"),
            "--limit", "1"]
    assert main(argv, io.StringIO()) == 0
    assert "(operator@example.org)" in fake.requests[0][3]["User-Agent"]


def test_follows_edits_only(fake_data: FakeData, tmp_path: Path) -> None:
    # A log entry or a category change can carry the hashtag in its comment; the command prints edits only.
    first = fake_data.events[0]
    events = []
    for offset, change_type in enumerate(["log", "categorize", "edit", "log", "new", "external", "edit"]):
        payload = {**json.loads(first.raw), "type": change_type, "comment": f"{change_type} #CiteNLM"}
        events.append(RecordedEvent(json.dumps(payload).encode(), first.topic, first.partition, offset,
                                    first.timestamp_ms + offset))
    with FakeWikimedia(FakeData(events=events), heartbeat_interval=0.05) as fake:
        printed = run(fake, tmp_path / "state.json", "--limit", "3")
    assert [(edit["type"], json.loads(str(edit["event_id"]))[0]["offset"]) for edit in printed] == [
        ("edit", 2), ("new", 4), ("edit", 6)]


def test_ctrl_c_exits_cleanly_and_saves_the_resume_point(fake: FakeWikimedia, tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    environment = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "WIKIMEDIA_CONTACT": "tests@example.org"}
    process = subprocess.Popen(
        [sys.executable, "-m", "crowdsci.wikimedia", "stream", "--url", fake.stream_url, "--hashtag", "CiteNLM",
         "--state-file", str(state)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment, cwd=REPO_ROOT, text=True,
    )
    try:
        first_line = process.stdout.readline() if process.stdout else ""
        assert json.loads(first_line)["wiki"] == "enwiki"
        deadline = time.monotonic() + 10
        while not state.exists() and time.monotonic() < deadline:  # written right after each printed line
            time.sleep(0.01)
        process.send_signal(signal.SIGINT)
        _, errors = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, errors
    assert "interrupted" in errors and "Traceback" not in errors
    assert json.loads(state.read_text())["url"] == fake.stream_url
