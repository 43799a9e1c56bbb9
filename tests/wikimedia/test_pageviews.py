"""The pageviews client against the fake: encoding, ranges, missing articles, concurrency, retries."""

from __future__ import annotations

from datetime import date

import pytest

from crowdsci.wikimedia.common import RetryPolicy
from crowdsci.wikimedia.errors import RetriesExhaustedError
from crowdsci.wikimedia.fake import FakeWikimedia, synthetic_daily_views
from crowdsci.wikimedia.pageviews import PageviewsClient, encode_article

from .conftest import RecordingSleep

START, END = date(2024, 1, 30), date(2024, 2, 2)


@pytest.fixture
def pageviews(fake: FakeWikimedia, user_agent: str, no_wait: RecordingSleep) -> PageviewsClient:
    return PageviewsClient(fake.pageviews_url, user_agent=user_agent, sleep=no_wait, max_concurrency=3,
                           retry=RetryPolicy(max_attempts=3))


@pytest.mark.parametrize(
    ("title", "encoded"),
    [("Chemical biology", "Chemical_biology"), ("AC/DC", "AC%2FDC"),
     ("Alanine—oxo-acid transaminase", "Alanine%E2%80%94oxo-acid_transaminase"), ("C++?", "C%2B%2B%3F")],
)
def test_encode_article(title: str, encoded: str) -> None:
    assert encode_article(title) == encoded


def test_daily_views_over_a_range(pageviews: PageviewsClient, fake: FakeWikimedia) -> None:
    views = pageviews.daily_views("en.wikipedia", "Chemical biology", START, END)
    assert list(views) == [date(2024, 1, 30), date(2024, 1, 31), date(2024, 2, 1), date(2024, 2, 2)]
    assert views[START] == synthetic_daily_views("Chemical_biology", START)
    _, path, _, headers = fake.requests[-1]
    assert path == "/api/rest_v1/metrics/pageviews/per-article/en.wikipedia/all-access/user/Chemical_biology/daily/" \
        "2024013000/2024020200"
    assert headers["User-Agent"].startswith("crowdsci/")


@pytest.mark.parametrize("title", ["AC/DC", "Alanine—oxo-acid transaminase"])
def test_slashes_and_unicode_reach_the_server_intact(pageviews: PageviewsClient, fake: FakeWikimedia,
                                                     title: str) -> None:
    assert pageviews.total_views("en.wikipedia", title, START, START) == synthetic_daily_views(
        title.replace(" ", "_"), START)
    assert fake.pageview_requests == [title.replace(" ", "_")]


def test_missing_article_is_zero_views(pageviews: PageviewsClient, no_wait: RecordingSleep) -> None:
    assert pageviews.daily_views("en.wikipedia", "No such article at all", START, END) == dict.fromkeys(
        [date(2024, 1, 30), date(2024, 1, 31), date(2024, 2, 1), date(2024, 2, 2)], 0)
    assert no_wait.delays == []


def test_many_articles_with_bounded_concurrency(pageviews: PageviewsClient, fake: FakeWikimedia) -> None:
    # Long enough that, even on a loaded machine, the workers overlap while the fake holds each response.
    fake.pageviews_delay = 0.3
    titles = ["Chemical biology", "Toronto", "AC/DC", "Kommet, ihr Hirten", "Missing one", "EFL Championship"] * 2
    totals = pageviews.total_views_for_many("en.wikipedia", titles, START, END)
    assert list(totals) == list(dict.fromkeys(titles))
    assert totals["Missing one"] == 0
    assert totals["Toronto"] == sum(synthetic_daily_views("Toronto", day) for day in
                                    [date(2024, 1, 30), date(2024, 1, 31), date(2024, 2, 1), date(2024, 2, 2)])
    assert 1 < fake.max_pageviews_in_flight <= 3


def test_total_views_since_each_titles_own_start(pageviews: PageviewsClient, fake: FakeWikimedia) -> None:
    starts = {"Chemical biology": START, "Toronto": END, "AC/DC": date(2024, 2, 3)}

    totals = pageviews.total_views_since("en.wikipedia", starts, END)

    assert totals == {
        "Chemical biology": sum(synthetic_daily_views("Chemical_biology", date(2024, 1, day)) for day in (30, 31))
        + sum(synthetic_daily_views("Chemical_biology", date(2024, 2, day)) for day in (1, 2)),
        "Toronto": synthetic_daily_views("Toronto", END),
        "AC/DC": 0,  # starts after the end: no whole day yet, and no request
    }
    assert sorted(fake.pageview_requests) == ["Chemical_biology", "Toronto"]


def test_retry_after_and_the_retry_bound(pageviews: PageviewsClient, fake: FakeWikimedia,
                                         no_wait: RecordingSleep) -> None:
    fake.faults.queue("http_429", target="pageviews", retry_after=4)
    assert pageviews.total_views("en.wikipedia", "Toronto", START, END) > 0
    assert no_wait.delays == [4]
    fake.faults.queue("http_503", target="pageviews", times=5)
    with pytest.raises(RetriesExhaustedError):
        pageviews.total_views("en.wikipedia", "Toronto", START, END)


def test_end_before_start_is_refused(pageviews: PageviewsClient) -> None:
    with pytest.raises(ValueError, match="before"):
        pageviews.daily_views("en.wikipedia", "Toronto", END, START)
