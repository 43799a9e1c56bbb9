"""Wikimedia REST pageviews: daily views per article over a date range, many articles with bounded concurrency."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from urllib.parse import quote

import httpx

from crowdsci.wikimedia.common import (
    DEFAULT_TIMEOUT,
    Clock,
    Random,
    RetryableError,
    RetryPolicy,
    Sleep,
    default_clock,
    default_random,
    default_sleep,
    parse_retry_after,
    retrying,
)
from crowdsci.wikimedia.errors import UnexpectedResponseError

WIKIMEDIA_REST_URL = "https://wikimedia.org/api/rest_v1"


def encode_article(title: str) -> str:
    """An article title as one path segment: spaces become underscores, everything else percent-encoded (``/`` too)."""
    return quote(title.strip().replace(" ", "_"), safe="")


class PageviewsClient:
    """Daily pageviews from ``/metrics/pageviews/per-article``. An article without data has zero views.

    ``access`` is ``all-access`` (or ``desktop``, ``mobile-app``, ``mobile-web``); ``agent`` is ``user`` by
    default, so spiders and automated traffic are not counted.
    """

    def __init__(
        self,
        base_url: str = WIKIMEDIA_REST_URL,
        *,
        user_agent: str,
        access: str = "all-access",
        agent: str = "user",
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        max_concurrency: int = 8,
        sleep: Sleep = default_sleep,
        random: Random = default_random,
        clock: Clock = default_clock,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if max_concurrency < 1:
            raise ValueError("max_concurrency must be at least 1")
        self.base_url = base_url.rstrip("/")
        self.access = access
        self.agent = agent
        self.retry = retry or RetryPolicy()
        self.max_concurrency = max_concurrency
        self._sleep = sleep
        self._random = random
        self._clock = clock
        self._client = httpx.Client(
            timeout=timeout,
            headers={"User-Agent": user_agent, "Accept": "application/json"},
            transport=transport,
            limits=httpx.Limits(max_connections=max_concurrency, max_keepalive_connections=max_concurrency),
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> PageviewsClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def url_for(self, project: str, title: str, start: date, end: date) -> str:
        return (f"{self.base_url}/metrics/pageviews/per-article/{project}/{self.access}/{self.agent}/"
                f"{encode_article(title)}/daily/{start:%Y%m%d}00/{end:%Y%m%d}00")

    def daily_views(self, project: str, title: str, start: date, end: date) -> dict[date, int]:
        """Views per day from ``start`` to ``end`` inclusive; days without data (or a missing article) are 0."""
        if end < start:
            raise ValueError(f"end {end} is before start {start}")
        views = {start + timedelta(days=offset): 0 for offset in range((end - start).days + 1)}
        url = self.url_for(project, title, start, end)
        for attempt in retrying(self.retry, giving_up=f"pageviews for {title!r}", sleep=self._sleep,
                                random=self._random):
            with attempt:
                response = self._client.get(url)
                status = response.status_code
                if status == 404:  # no data for this article in the range: zero views, not an error
                    return views
                if status == 200:
                    try:
                        for item in response.json().get("items") or ():
                            day = datetime.strptime(str(item["timestamp"])[:8], "%Y%m%d").date()
                            if day in views:
                                views[day] = int(item.get("views") or 0)
                    except (ValueError, KeyError) as error:
                        raise RetryableError(f"invalid response: {error}") from error
                    return views
                if status != 429 and status < 500:
                    raise UnexpectedResponseError(f"{url} answered HTTP {status}: {response.text[:200]}")
                raise RetryableError(f"HTTP {status}", parse_retry_after(response.headers.get("Retry-After"),
                                                                         self._clock))
        raise AssertionError("retrying() returns only by raising")  # pragma: no cover - keeps type checkers sure

    def total_views(self, project: str, title: str, start: date, end: date) -> int:
        return sum(self.daily_views(project, title, start, end).values())

    def daily_views_for_many(
        self, project: str, titles: Iterable[str], start: date, end: date
    ) -> dict[str, dict[date, int]]:
        """``daily_views`` for many titles, at most ``max_concurrency`` requests in flight at once."""
        wanted = list(dict.fromkeys(titles))
        with ThreadPoolExecutor(max_workers=self.max_concurrency, thread_name_prefix="pageviews") as pool:
            results = pool.map(lambda title: self.daily_views(project, title, start, end), wanted)
            return dict(zip(wanted, results, strict=True))

    def total_views_for_many(self, project: str, titles: Iterable[str], start: date, end: date) -> dict[str, int]:
        return {title: sum(days.values()) for title, days in self.daily_views_for_many(project, titles, start,
                                                                                        end).items()}

    def total_views_since(self, project: str, starts: Mapping[str, date], end: date) -> dict[str, int]:
        """Each title's views from its own start day to ``end`` inclusive (concurrently, as ``daily_views_for_many``);
        a title whose start is after ``end`` has no whole day yet: 0, without a request."""
        wanted = {title: start for title, start in starts.items() if start <= end}

        def views(title: str) -> int:
            return sum(self.daily_views(project, title, wanted[title], end).values())

        with ThreadPoolExecutor(max_workers=self.max_concurrency, thread_name_prefix="pageviews") as pool:
            totals = dict(zip(wanted, pool.map(views, wanted), strict=True))
        return {title: totals.get(title, 0) for title in starts}
