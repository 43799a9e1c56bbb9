"""Fixtures for the Wikimedia clients: the fake server on 127.0.0.1 (random port) and a no-wait sleep."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from crowdsci.wikimedia.common import build_user_agent
from crowdsci.wikimedia.fake import FakeData, FakeWikimedia

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "wikimedia"


@pytest.fixture(scope="session")
def fake_data() -> FakeData:
    return FakeData.load(DATA_DIR)


@pytest.fixture
def fake(fake_data: FakeData) -> Iterator[FakeWikimedia]:
    server = FakeWikimedia(fake_data, heartbeat_interval=0.05)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def user_agent() -> str:
    return build_user_agent("crowdsci-tests@example.org")


class RecordingSleep:
    """Stands in for time.sleep: records each requested delay and returns at once (an optional hook runs)."""

    def __init__(self) -> None:
        self.delays: list[float] = []
        self.hook = None

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
        if self.hook is not None:
            self.hook(len(self.delays))


@pytest.fixture
def no_wait() -> RecordingSleep:
    return RecordingSleep()


def comments_of(fake_data: FakeData) -> list[str]:
    return [json.loads(event.raw).get("comment") or "" for event in fake_data.events]
