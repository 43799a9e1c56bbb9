"""Fixtures of the campaigns' tests: campaigns, a local fake Wikimedia serving chosen revisions and events, and
settings that point the tracker at it without real waits; the fake Wikipedia OAuth 2 provider wired into allauth
(the campaign pages' tests)."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from crowdsci.campaigns.models import Campaign
from crowdsci.campaigns.services.campaigns import campaign_create
from crowdsci.wikimedia.fake import FakeData, FakeWikimedia, RecordedEvent
from crowdsci.wikimedia.fake_oauth import FakeMediaWikiOAuth

START = datetime(2026, 3, 1, tzinfo=UTC)
END = datetime(2026, 4, 1, tzinfo=UTC)
IN_PERIOD = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
TOPIC = "eqiad.mediawiki.recentchange"
PAGE = {"pageid": 4242, "ns": 0, "title": "Aspirin"}

_slugs = itertools.count(1)
_revids = itertools.count(5_000_001)


def make_campaign(**fields: Any) -> Campaign:
    fields.setdefault("name", "Spring")
    fields.setdefault("slug", f"spring-{next(_slugs)}")
    fields.setdefault("hashtags", ["CiteNLM"])
    fields.setdefault("start", START)
    fields.setdefault("end", END)
    return campaign_create(actor=None, **fields)


def store_tagged_edit(campaign: Campaign, revid: int, parent: int | None, *, user: str = "Alice Editor"):
    """A tagged edit of Aspirin stored for ``campaign`` (matched, not yet credited; no crediting task queued)."""
    from crowdsci.campaigns.models import TrackedEdit
    from crowdsci.campaigns.services.edits import EditCandidate, edits_store
    from crowdsci.campaigns.tracking.matching import Match

    candidate = EditCandidate(
        wiki="enwiki", revid=revid, parent_revid=parent, page_title="Aspirin", namespace=0, user=user,
        timestamp=IN_PERIOD, summary="sources #CiteNLM", is_new_page=parent is None,
        matches=(Match(campaign.pk, "hashtag", None),),
    )
    [edit_id] = edits_store(candidates=[candidate], enqueue_crediting=False).new_edit_ids
    return TrackedEdit.objects.get(pk=edit_id)


def next_revid() -> int:
    return next(_revids)


def recentchange(
    *,
    revid: int | None = None,
    parent: int | None = 0,
    comment: str = "added a source #CiteNLM",
    user: str = "Alice Editor",
    timestamp: datetime = IN_PERIOD,
    wiki: str = "enwiki",
    namespace: int = 0,
    type: str = "edit",
    bot: bool = False,
    title: str = PAGE["title"],
    offset: int = 0,
) -> dict[str, Any]:
    """A recentchange event shaped as EventStreams sends it."""
    revid = revid if revid is not None else next_revid()
    return {
        "$schema": "/mediawiki/recentchange/1.0.0",
        "meta": {"domain": "en.wikipedia.org", "stream": "mediawiki.recentchange", "topic": TOPIC, "partition": 0,
                 "offset": offset, "dt": timestamp.strftime("%Y-%m-%dT%H:%M:%SZ")},
        "type": type, "namespace": namespace, "title": title, "comment": comment,
        "timestamp": int(timestamp.timestamp()), "user": user, "bot": bot,
        "revision": {"old": parent or None, "new": revid} if type in ("edit", "new") else None,
        "length": {"old": 10, "new": 20}, "server_name": "en.wikipedia.org", "wiki": wiki,
    }


def revision(revid: int, parent: int, text: str, *, tags: list[str] | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "revid": revid, "parentid": parent, "user": "Alice Editor", "timestamp": "2026-03-10T12:00:00Z",
        "size": len(text.encode()), "sha1": "0" * 40, "comment": "", "tags": tags or [],
        "slots": {"main": {"contentmodel": "wikitext", "contentformat": "text/x-wiki", "content": text}}, **extra,
    }


def fake_data(events: list[dict[str, Any]] | None = None, revisions: list[dict[str, Any]] | None = None) -> FakeData:
    data = FakeData()
    for index, event in enumerate(events or []):
        event["meta"]["offset"] = index + 1
        raw = json.dumps(event, separators=(",", ":")).encode()
        data.events.append(RecordedEvent(raw, TOPIC, 0, index + 1, int(event["timestamp"]) * 1000))
    for rev in revisions or []:
        data.revisions[rev["revid"]] = rev
        data.revision_pages[rev["revid"]] = PAGE
    return data


@pytest.fixture
def fake_server() -> Iterator[FakeWikimedia]:
    server = FakeWikimedia(FakeData(), heartbeat_interval=0.05)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def tracker_settings(settings, fake_server: FakeWikimedia):
    """The tracker pointed at the fake, retrying fast: an API fault costs milliseconds, not seconds."""
    settings.WIKIMEDIA_API_URL = fake_server.api_url
    settings.WIKIMEDIA_STREAM_URL = fake_server.stream_url
    settings.CAMPAIGNS_API_ATTEMPTS = 2
    settings.CAMPAIGNS_API_RETRY_BASE_SECONDS = 0.001
    settings.CAMPAIGNS_API_RETRY_MAX_SECONDS = 0.01
    settings.CAMPAIGNS_API_TIMEOUT_SECONDS = 0.5
    settings.CAMPAIGNS_STREAM_RETRY_BASE_SECONDS = 0.01
    settings.CAMPAIGNS_INGEST_BATCH_SECONDS = 0.1
    settings.CAMPAIGNS_CREDIT_MAX_ATTEMPTS = 3
    return settings


def at(day: int, hour: int = 12) -> datetime:
    return START + timedelta(days=day - 1, hours=hour)


@pytest.fixture
def fake_oauth(settings, monkeypatch):
    """A fake MediaWiki OAuth 2 provider on 127.0.0.1, and allauth pointed at it.

    allauth's MediaWiki adapter copies REST_API into class attributes at import time (../shared/stack-notes.md),
    so a settings override would not move it: the fixture patches those attributes and sets the app's keys.
    """
    from allauth.socialaccount.providers.mediawiki.views import MediaWikiOAuth2Adapter

    with FakeMediaWikiOAuth() as server:
        monkeypatch.setattr(MediaWikiOAuth2Adapter, "access_token_url", f"{server.rest_api}/oauth2/access_token")
        monkeypatch.setattr(MediaWikiOAuth2Adapter, "authorize_url", f"{server.rest_api}/oauth2/authorize")
        monkeypatch.setattr(MediaWikiOAuth2Adapter, "profile_url", f"{server.rest_api}/oauth2/resource/profile")
        # The sign-in form is redirected to the provider: the page's CSP allows that origin as a form target.
        directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
        settings.CONTENT_SECURITY_POLICY = {
            **settings.CONTENT_SECURITY_POLICY,
            "DIRECTIVES": {**directives, "form-action": [*directives["form-action"], f"http://127.0.0.1:{server.port}"]},
        }
        settings.SOCIALACCOUNT_PROVIDERS = {
            "mediawiki": {
                **settings.SOCIALACCOUNT_PROVIDERS["mediawiki"],
                "REST_API": server.rest_api,
                "APPS": [{"client_id": server.client_id, "secret": server.client_secret}],
            }
        }
        yield server


@pytest.fixture(scope="session")
def fake_wikimedia_data():
    from crowdsci.wikimedia.fake import FakeData

    return FakeData.load()


@pytest.fixture
def fake_wikimedia(settings, fake_wikimedia_data):
    """The local fake of the Action API and pageviews, with the campaign pages' clients pointed at it."""
    from crowdsci.campaigns.tests.page_factories import add_fake_article
    from crowdsci.wikimedia.fake import FakeWikimedia

    add_fake_article(fake_wikimedia_data)
    with FakeWikimedia(fake_wikimedia_data) as server:
        settings.WIKIMEDIA_API_URL = server.api_url
        settings.WIKIMEDIA_PAGEVIEWS_URL = server.pageviews_url
        yield server


@pytest.fixture
def wikimedia_unreachable(settings):
    """Clients pointed at a closed port: every request fails at once."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.WIKIMEDIA_API_URL = f"http://127.0.0.1:{port}/w/api.php"
    settings.WIKIMEDIA_PAGEVIEWS_URL = f"http://127.0.0.1:{port}/api/rest_v1"
    return port
