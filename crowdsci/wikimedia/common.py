"""What every client here shares: the User-Agent rule, timeouts, and retry with backoff."""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

from crowdsci.wikimedia.errors import ConfigurationError

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
