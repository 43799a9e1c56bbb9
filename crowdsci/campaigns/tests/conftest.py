"""Fixtures of the campaign pages' tests: the fake Wikipedia OAuth 2 provider wired into allauth."""

from __future__ import annotations

import pytest

from crowdsci.wikimedia.fake_oauth import FakeMediaWikiOAuth


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
        settings.SOCIALACCOUNT_PROVIDERS = {
            "mediawiki": {
                **settings.SOCIALACCOUNT_PROVIDERS["mediawiki"],
                "REST_API": server.rest_api,
                "APPS": [{"client_id": server.client_id, "secret": server.client_secret}],
            }
        }
        yield server
