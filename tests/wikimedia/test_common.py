"""Retry policy arithmetic, Retry-After parsing, and the retry loop every client runs in."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from crowdsci.wikimedia.common import RetryableError, RetryPolicy, parse_retry_after, retrying
from crowdsci.wikimedia.errors import RetriesExhaustedError, UnexpectedResponseError


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


# --- the retry-with-backoff loop the three clients share ---------------------------------------------------

POLICY = RetryPolicy(max_attempts=4, base_delay=1.0, max_delay=10.0)


def run_tries(outcomes: list[object], *, minimum_delay=None, progress: set[int] = frozenset()) -> tuple[object, list]:
    """Runs `retrying` over scripted tries: each outcome is raised (an exception) or returned (anything else);
    the tries whose index is in `progress` are marked as having delivered something. Returns (result, delays)."""
    delays: list[float] = []
    script = iter(enumerate(outcomes))
    for attempt in retrying(POLICY, giving_up="the fake service kept failing", sleep=delays.append,
                            random=lambda: 0.0, minimum_delay=minimum_delay):
        with attempt:
            index, outcome = next(script)
            attempt.progressed = index in progress
            if isinstance(outcome, BaseException):
                raise outcome
            if outcome is not None:
                return outcome, delays
    raise AssertionError("unreachable")


def test_retries_until_a_try_succeeds_with_growing_delays() -> None:
    result, delays = run_tries([RetryableError("HTTP 503"), httpx.ConnectError("refused"), "answer"])
    assert result == "answer"
    assert delays == [0.5, 1.0]  # base 1 s, then 2 s, each times the jitter factor 0.5 (random 0.0)


def test_server_retry_after_replaces_the_backoff() -> None:
    _result, delays = run_tries([RetryableError("HTTP 429", retry_after=7.0), "answer"])
    assert delays == [7.0]


def test_gives_up_after_max_attempts_with_the_last_error() -> None:
    with pytest.raises(RetriesExhaustedError) as raised:
        run_tries([RetryableError("HTTP 503")] * 3 + [httpx.ReadTimeout("slow")])
    assert raised.value.attempts == 4
    assert raised.value.last_error == "ReadTimeout: slow"
    assert "the fake service kept failing" in str(raised.value)


def test_other_errors_are_not_retried() -> None:
    with pytest.raises(UnexpectedResponseError):
        run_tries([UnexpectedResponseError("HTTP 400"), "answer"])


def test_a_try_that_ends_without_an_answer_is_a_failure() -> None:
    with pytest.raises(RetriesExhaustedError) as raised:
        run_tries([None] * 4)
    assert raised.value.last_error == "the attempt ended"


def test_progress_restarts_the_count() -> None:
    # A stream that delivered events before dropping starts its count of consecutive failures again.
    outcomes = [RetryableError("closed")] * 5 + ["answer"]  # five failures in a row: over the bound of 4
    result, delays = run_tries(outcomes, progress={2})
    assert result == "answer"
    assert delays == [0.5, 1.0, 0.5, 1.0, 2.0]
    with pytest.raises(RetriesExhaustedError):
        run_tries(outcomes)


def test_minimum_delay_is_a_floor_unless_the_server_says_when() -> None:
    _result, delays = run_tries([RetryableError("closed"), RetryableError("busy", retry_after=1.0), "answer"],
                                minimum_delay=lambda: 3.0)
    assert delays == [3.0, 1.0]
    _result, delays = run_tries([RetryableError("closed"), "answer"], minimum_delay=lambda: 60.0)
    assert delays == [10.0]  # capped at the policy's max_delay
