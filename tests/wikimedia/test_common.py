"""Retry policy arithmetic and Retry-After parsing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crowdsci.wikimedia.common import RetryPolicy, parse_retry_after


@pytest.mark.parametrize(("failures", "low", "high"), [(1, 1.0, 2.0), (2, 2.0, 4.0), (3, 4.0, 8.0), (9, 5.0, 10.0)])
def test_backoff_is_exponential_with_jitter_and_capped(failures: int, low: float, high: float) -> None:
    policy = RetryPolicy(base_delay=2.0, max_delay=10.0)
    assert policy.backoff_delay(failures, 0.0) == low
    assert low <= policy.backoff_delay(failures, 0.999) < high


def test_retry_after_wins_but_is_capped() -> None:
    policy = RetryPolicy(max_retry_after=60.0)
    assert policy.delay_for(1, 7.0, 0.5) == 7.0
    assert policy.delay_for(1, 3600.0, 0.5) == 60.0


def test_parse_retry_after() -> None:
    now = datetime(2024, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("Mon, 01 Jan 2024 12:00:30 GMT", now=lambda: now) == 30.0
    assert parse_retry_after("Mon, 01 Jan 2024 11:00:00 GMT", now=lambda: now) == 0.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
