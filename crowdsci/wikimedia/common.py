"""What every client here shares: the User-Agent rule, timeouts, and the retry-with-backoff loop."""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from types import TracebackType

import httpx

from crowdsci.wikimedia.errors import ConfigurationError, RetriesExhaustedError

PACKAGE_VERSION = "0.1"
DEFAULT_TIMEOUT = httpx.Timeout(connect=10.0, read=30.0, write=10.0, pool=10.0)
# EventStreams can go quiet on a small wiki; a read timeout well above the usual gap still catches a dead connection.
DEFAULT_STREAM_TIMEOUT = httpx.Timeout(connect=10.0, read=60.0, write=10.0, pool=10.0)

Sleep = Callable[[float], None]
Random = Callable[[], float]
Clock = Callable[[], datetime]

_CONTACT_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+|https?://\S+")


def build_user_agent(contact: str, tool: str = "crowdsci") -> str:
    """A User-Agent that follows the Wikimedia policy: tool name/version and a way to reach the operator.

    ``contact`` must hold an e-mail address or a URL; without one the Wikimedia servers may block the client,
    so a missing contact is a configuration error, not something to default.
    """
    contact = (contact or "").strip()
    if not _CONTACT_PATTERN.search(contact):
        raise ConfigurationError(
            "a contact e-mail address or URL is required for the Wikimedia User-Agent "
            f"(https://meta.wikimedia.org/wiki/User-Agent_policy), got {contact!r}"
        )
    return f"{tool}/{PACKAGE_VERSION} ({contact}) httpx/{httpx.__version__}"


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how patiently to retry.

    ``max_attempts`` counts every try, the first one included. Delays grow as ``base_delay * 2**(n-1)`` up to
    ``max_delay``, each scaled by a random factor in [0.5, 1) so that many clients do not retry in step. A server's
    ``Retry-After`` replaces the computed delay, capped at ``max_retry_after``.
    """

    max_attempts: int = 5
    base_delay: float = 1.0
    max_delay: float = 60.0
    max_retry_after: float = 300.0

    def backoff_delay(self, failures: int, random_fraction: float) -> float:
        exponential = min(self.max_delay, self.base_delay * (2 ** max(0, failures - 1)))
        return exponential * (0.5 + random_fraction / 2)

    def delay_for(self, failures: int, retry_after: float | None, random_fraction: float) -> float:
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.max_retry_after)
        return self.backoff_delay(failures, random_fraction)


class RetryableError(Exception):
    """Raised inside an attempt: this try failed in a way a later try may not (HTTP 429 or 5xx, a lagged or
    rate-limited API, a truncated body, a stream the server closed). `retrying` waits and tries again."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


class Attempt:
    """One try of a `retrying` loop, used as a context manager around the try's body.

    It swallows a RetryableError or an httpx.TransportError (timeouts, refused or dropped connections,
    protocol errors) and records it for the loop; any other exception goes through. A stream marks the
    attempt `progressed` when it delivered something, so that only consecutive fruitless tries count.
    """

    __slots__ = ("failure", "progressed", "retry_after")

    def __init__(self) -> None:
        self.failure: str | None = None
        self.retry_after: float | None = None
        self.progressed = False

    def __enter__(self) -> Attempt:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> bool:
        if isinstance(error, RetryableError):
            self.failure, self.retry_after = error.reason, error.retry_after
            return True
        if isinstance(error, httpx.TransportError):
            self.failure = f"{type(error).__name__}: {error}"
            return True
        return False


def retrying(
    policy: RetryPolicy,
    *,
    giving_up: str,
    sleep: Sleep,
    random: Random,
    minimum_delay: Callable[[], float | None] | None = None,
) -> Iterator[Attempt]:
    """The retry-with-backoff loop every client here runs its requests in::

        for attempt in retrying(policy, giving_up="…", sleep=…, random=…):
            with attempt:
                ...  # one try: return (or break) on success, raise RetryableError to try again

    After a failed try it sleeps `policy.delay_for` (the server's Retry-After, else exponential backoff with
    jitter; never less than `minimum_delay()` seconds when that gives one and the server sent no Retry-After,
    capped at the policy's max_delay), and raises RetriesExhaustedError(giving_up) once `policy.max_attempts`
    consecutive tries have failed. A try that ends without raising and without leaving the loop counts as a
    failure too (RetryableError says why; "the attempt ended" otherwise).
    """
    failures = 0
    while True:
        attempt = Attempt()
        yield attempt
        failure = attempt.failure or "the attempt ended"
        failures = 1 if attempt.progressed else failures + 1
        if failures >= policy.max_attempts:
            raise RetriesExhaustedError(giving_up, attempts=failures, last_error=failure)
        delay = policy.delay_for(failures, attempt.retry_after, random())
        floor = minimum_delay() if minimum_delay is not None else None
        if attempt.retry_after is None and floor is not None:
            delay = max(delay, min(floor, policy.max_delay))
        sleep(delay)


def parse_retry_after(value: str | None, now: Callable[[], datetime] | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date), or None if absent/invalid."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    current = now() if now else datetime.now(UTC)
    return max(0.0, (moment - current).total_seconds())


def default_sleep(seconds: float) -> None:
    time.sleep(seconds)


def default_random() -> float:
    return random.random()


def default_clock() -> datetime:
    return datetime.now(UTC)
