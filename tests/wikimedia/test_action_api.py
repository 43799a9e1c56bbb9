"""The Action API client against the fake: shapes, batching, continuation, deleted revisions, retries."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from crowdsci.wikimedia.action import ActionApiClient, Revision
from crowdsci.wikimedia.common import RetryPolicy, build_user_agent
from crowdsci.wikimedia.errors import ApiError, ConfigurationError, RetriesExhaustedError
from crowdsci.wikimedia.fake import FakeWikimedia

from .conftest import DATA_DIR, RecordingSleep

PARENT, CHILD = 1125722395, 1126962296


@pytest.fixture
def api(fake: FakeWikimedia, user_agent: str, no_wait: RecordingSleep) -> ActionApiClient:
    return ActionApiClient(fake.api_url, user_agent=user_agent, sleep=no_wait,
                           retry=RetryPolicy(max_attempts=4, base_delay=0.5), timeout=httpx.Timeout(5.0))


def recorded_text(name: str) -> str:
    return (Path(DATA_DIR) / name).read_text(encoding="utf-8").removesuffix("\n")


def test_revision_with_content_and_metadata(api: ActionApiClient, fake: FakeWikimedia) -> None:
    child = api.revision(CHILD)
    assert child.parentid == PARENT and child.title == "Kommet, ihr Hirten" and child.pageid == 62534477
    assert child.user == "Michael Bednarek" and child.tags == ("wikieditor",)
    assert child.timestamp == datetime(2022, 12, 12, 4, 44, 8, tzinfo=UTC)
    assert child.content == recorded_text("Kommet_ihr_Hirten.child.wikitext")
    assert child.size == 9233
    # The recorded sha1 is MediaWiki's, of the exact text: proof that the text is the real revision.
    assert hashlib.sha1(child.content.encode()).hexdigest() == child.sha1  # noqa: S324
    query = fake.requests[-1][2]
    assert query["rvprop"] == "ids|timestamp|user|comment|content|sha1|size|tags"
    assert (query["rvslots"], query["formatversion"], query["maxlag"], query["format"]) == ("main", "2", "5", "json")
    assert fake.requests[-1][3]["User-Agent"].startswith("crowdsci/0.1 (crowdsci-tests@example.org)")


def test_parent_revision(api: ActionApiClient) -> None:
    parent = api.parent_revision(CHILD)
    assert parent is not None and parent.revid == PARENT and parent.user == "Randy Kryn"
    assert parent.content == recorded_text("Kommet_ihr_Hirten.parent.wikitext")
    assert api.parent_revision(123) is None


def test_revisions_are_fetched_fifty_at_a_time(api: ActionApiClient, fake: FakeWikimedia) -> None:
    wanted = [PARENT, CHILD, *range(1, 119)]
    revisions = api.revisions(wanted)
    assert list(revisions) == wanted
    assert revisions[1] == Revision(revid=1, missing=True)
    assert revisions[CHILD].content is not None
    batches = [query["revids"].split("|") for _, _, query, _ in fake.requests]
    assert [len(batch) for batch in batches] == [50, 50, 20]


def test_revisions_follow_continue(api: ActionApiClient, fake: FakeWikimedia) -> None:
    fake.max_content_chars = 10_000  # one text fits per response, like a large batch on the real API
    revisions = api.revisions([PARENT, CHILD])
    assert revisions[PARENT].content and revisions[CHILD].content
    assert len(fake.requests) == 2 and fake.requests[1][2]["rvcontinue"] == str(CHILD)


def test_deleted_and_suppressed_revisions_come_back_flagged(api: ActionApiClient) -> None:
    hidden_text, hidden_user = api.revisions([900000001, 900000002]).values()
    assert hidden_text.texthidden and hidden_text.content is None and hidden_text.suppressed
    assert hidden_text.sha1hidden and hidden_text.sha1 is None and hidden_text.user == "Example"
    assert hidden_user.userhidden and hidden_user.user is None
    assert hidden_user.commenthidden and hidden_user.comment is None and hidden_user.content
    assert not hidden_user.texthidden


def test_user_contributions_in_a_date_range_follow_continue(fake: FakeWikimedia, api: ActionApiClient) -> None:
    fake.list_limit = 2
    user = "Piotrus"
    everything = [c for c in fake.data.contributions if c["user"] == user]
    assert len(everything) >= 3
    contributions = list(api.user_contributions(user, datetime(2023, 7, 29, tzinfo=UTC),
                                                datetime(2023, 7, 30, tzinfo=UTC)))
    assert [c.revid for c in contributions] == sorted(c["revid"] for c in everything)
    assert all(c.user == user and c.timestamp.date().isoformat() == "2023-07-29" for c in contributions)
    assert sum("uccontinue" in query for _, _, query, _ in fake.requests) >= 1
    assert list(api.user_contributions(user, datetime(2024, 1, 1, tzinfo=UTC), datetime(2024, 2, 1, tzinfo=UTC))) \
        == []
    kommet = list(api.user_contributions("Randy Kryn", datetime(2022, 12, 1, tzinfo=UTC),
                                         datetime(2022, 12, 31, tzinfo=UTC)))
    assert [(c.revid, c.parentid, c.title) for c in kommet] == [(PARENT, 1070923531, "Kommet, ihr Hirten")]


def test_users_exist(api: ActionApiClient) -> None:
    assert api.users_exist(["Randy Kryn", "randy_Kryn", "No such user 123", "87.12.215.232"]) == {
        "Randy Kryn": True, "randy_Kryn": True, "No such user 123": False, "87.12.215.232": False,
    }
    assert api.user_exists("InternetArchiveBot")


def test_page_info(api: ActionApiClient) -> None:
    info = api.page_info(["Kommet,_ihr_Hirten", "No such page here"])
    kommet = info["Kommet,_ihr_Hirten"]
    assert (kommet.title, kommet.pageid, kommet.lastrevid, kommet.length, kommet.missing) == (
        "Kommet, ihr Hirten", 62534477, CHILD, 9233, False)
    assert info["No such page here"].missing and info["No such page here"].pageid is None


@pytest.mark.parametrize(
    ("depth", "expected"),
    [
        (0, {"Chemical biology": 0, "Toronto": 0}),
        (1, {"Chemical biology": 0, "Toronto": 0, "Alanine—oxo-acid transaminase": 1, "CRISPR gene editing": 1}),
        (5, {"Chemical biology": 0, "Toronto": 0, "Alanine—oxo-acid transaminase": 1, "CRISPR gene editing": 1,
             "Kommet, ihr Hirten": 2}),
    ],
)
def test_category_members_are_depth_limited_and_survive_cycles(
    fake: FakeWikimedia, api: ActionApiClient, depth: int, expected: dict[str, int]
) -> None:
    fake.list_limit = 2  # forces cmcontinue
    members = api.category_members("CiteNLM test root", max_depth=depth)
    assert {member.title: member.depth for member in members} == expected
    visited = [query["cmtitle"] for _, _, query, _ in fake.requests if "cmcontinue" not in query]
    assert len(visited) == len(set(visited))  # no category twice, though Genetics links back to the root


@pytest.mark.parametrize(("kind", "retry_after"), [("maxlag", 5), ("http_429", 9), ("http_503", 3)])
def test_retry_after_is_honoured(fake: FakeWikimedia, api: ActionApiClient, no_wait: RecordingSleep, kind: str,
                                 retry_after: int) -> None:
    fake.faults.queue(kind, target="api", retry_after=retry_after)
    assert api.revision(CHILD).content
    assert no_wait.delays == [retry_after]


def test_retry_after_as_an_http_date_uses_the_injected_clock(fake: FakeWikimedia, user_agent: str,
                                                             no_wait: RecordingSleep) -> None:
    fake.faults.queue("http_429", target="api", retry_after="Mon, 01 Jan 2024 12:00:30 GMT")
    api = ActionApiClient(fake.api_url, user_agent=user_agent, sleep=no_wait,
                          clock=lambda: datetime(2024, 1, 1, 12, 0, 0, tzinfo=UTC))
    with api:
        assert api.revision(CHILD).content
    assert no_wait.delays == [30.0]


def test_backoff_without_retry_after_grows_with_jitter(fake: FakeWikimedia, api: ActionApiClient,
                                                       no_wait: RecordingSleep) -> None:
    fake.faults.queue("http_503", target="api", times=3)
    assert api.revision(CHILD).content
    assert len(no_wait.delays) == 3
    for failures, delay in enumerate(no_wait.delays, start=1):
        assert 0.5 * 0.5 * 2 ** (failures - 1) <= delay < 0.5 * 2 ** (failures - 1)


def test_malformed_json_and_dropped_connection_are_retried(fake: FakeWikimedia, api: ActionApiClient,
                                                           no_wait: RecordingSleep) -> None:
    fake.faults.queue("malformed_json", target="api")
    fake.faults.queue("drop", target="api")
    assert api.revision(PARENT).content
    assert len(no_wait.delays) == 2


def test_retries_stop_at_their_bound(fake: FakeWikimedia, api: ActionApiClient, no_wait: RecordingSleep) -> None:
    fake.faults.queue("maxlag", target="api", times=10)
    with pytest.raises(RetriesExhaustedError, match="maxlag") as raised:
        api.revision(CHILD)
    assert raised.value.attempts == 4 and len(no_wait.delays) == 3 and len(fake.requests) == 4


def test_timeout_fires_and_is_retried(fake: FakeWikimedia, user_agent: str, no_wait: RecordingSleep) -> None:
    fake.faults.queue("slow", target="api", delay=4.0)
    with ActionApiClient(fake.api_url, user_agent=user_agent, sleep=no_wait, timeout=0.6) as api:
        assert api.revision(CHILD).content
    assert len(no_wait.delays) == 1


def test_timeouts_exhaust_the_retries(fake: FakeWikimedia, user_agent: str, no_wait: RecordingSleep) -> None:
    fake.faults.queue("slow", target="api", delay=4.0, times=2)
    api = ActionApiClient(fake.api_url, user_agent=user_agent, sleep=no_wait, timeout=0.5,
                          retry=RetryPolicy(max_attempts=2))
    with api, pytest.raises(RetriesExhaustedError, match="Timeout"):
        api.revision(CHILD)


def test_other_api_errors_are_not_retried(api: ActionApiClient, no_wait: RecordingSleep) -> None:
    with pytest.raises(ApiError) as raised:
        api.request({"action": "parse"})
    assert raised.value.code == "badvalue" and no_wait.delays == []


@pytest.mark.parametrize("contact", ["", "crowdsci", "   "])
def test_user_agent_needs_a_contact(contact: str) -> None:
    with pytest.raises(ConfigurationError):
        build_user_agent(contact)
    assert "https://example.org/contact" in build_user_agent("https://example.org/contact")
