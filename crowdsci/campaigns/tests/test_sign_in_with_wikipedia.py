"""Sign in with Wikipedia (allauth's MediaWiki provider) end to end against the local fake OAuth 2 server."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.test import Client

from crowdsci.accounts.adapters import proven_wikipedia_username
from crowdsci.network.models import Profile
from crowdsci.network.tests.factories import make_user
from crowdsci.wikimedia.fake_oauth import FakeOAuthUser

pytestmark = pytest.mark.django_db


def sign_in_with_wikipedia(client: Client, next_url: str = "/campaigns/") -> httpx.Response:
    """Press the button, let the fake provider consent, and follow its redirect back to the callback."""
    start = client.post("/accounts/mediawiki/login/?next=" + next_url)
    assert start.status_code == 302
    authorize = start["Location"]
    query = parse_qs(urlsplit(authorize).query)
    assert query["response_type"] == ["code"]
    assert query["redirect_uri"] == ["http://testserver/accounts/mediawiki/login/callback/"]
    consent = httpx.get(authorize, follow_redirects=False)
    assert consent.status_code == 302
    callback = urlsplit(consent.headers["Location"])
    return client.get(callback.path + "?" + callback.query)


def test_signing_in_with_wikipedia_creates_an_account_with_the_proven_username(client: Client, fake_oauth):
    fake_oauth.sign_in_as(FakeOAuthUser("Rosalind_franklin", sub=777, email="rf@example.org", confirmed_email=True))

    response = sign_in_with_wikipedia(client)

    assert response.status_code == 302
    assert response["Location"] == "/campaigns/"
    user = get_user_model().objects.get(email="rf@example.org")
    assert int(client.session["_auth_user_id"]) == user.pk
    assert SocialAccount.objects.get(user=user).uid == "777"
    assert Profile.objects.get(user=user).wikipedia_username == "Rosalind franklin"
    assert proven_wikipedia_username(user) == "Rosalind franklin"
    # The token exchange really went through the provider's three endpoints.
    assert [path for _method, path in fake_oauth.state.requests] == [
        "/w/rest.php/oauth2/authorize", "/w/rest.php/oauth2/access_token", "/w/rest.php/oauth2/resource/profile"
    ]


def test_a_wikipedia_account_without_email_still_signs_in(client: Client, fake_oauth):
    fake_oauth.sign_in_as(FakeOAuthUser("No Mail Editor", sub=8))

    response = sign_in_with_wikipedia(client)

    assert response.status_code == 302
    user = SocialAccount.objects.get(uid="8").user
    assert int(client.session["_auth_user_id"]) == user.pk
    assert Profile.objects.get(user=user).wikipedia_username == "No Mail Editor"


def test_signing_in_again_is_the_same_account(client: Client, fake_oauth):
    fake_oauth.sign_in_as(FakeOAuthUser("Same Editor", sub=9))
    sign_in_with_wikipedia(client)
    client.logout()
    sign_in_with_wikipedia(client)
    assert get_user_model().objects.filter(socialaccount__uid="9").count() == 1


def test_cancelling_at_wikipedia_signs_nobody_in(client: Client, fake_oauth):
    fake_oauth.deny_next()

    response = sign_in_with_wikipedia(client)

    assert "_auth_user_id" not in client.session
    assert response.status_code == 302
    assert response["Location"] == "/accounts/3rdparty/login/cancelled/"
    assert not SocialAccount.objects.exists()


def test_a_forged_callback_is_refused(client: Client, fake_oauth):
    client.post("/accounts/mediawiki/login/")
    response = client.get("/accounts/mediawiki/login/callback/?code=made-up&state=made-up")
    assert "_auth_user_id" not in client.session
    assert not SocialAccount.objects.exists()
    assert response.status_code == 401
    # The made-up state is refused before any code is sent to the provider.
    assert ("POST", "/w/rest.php/oauth2/access_token") not in fake_oauth.state.requests


def test_a_username_already_linked_elsewhere_is_not_taken_over(client: Client, fake_oauth):
    other = make_user("someone@example.org")
    Profile.objects.update_or_create(user=other, defaults={"wikipedia_username": "Taken Name"})
    fake_oauth.sign_in_as(FakeOAuthUser("Taken Name", sub=10))

    sign_in_with_wikipedia(client)

    assert Profile.objects.get(user=other).wikipedia_username == "Taken Name"
    newcomer = SocialAccount.objects.get(uid="10").user
    assert Profile.objects.get(user=newcomer).wikipedia_username == ""


def test_the_login_page_offers_wikipedia_only_when_configured(client: Client, settings, fake_oauth):
    assert b"/accounts/mediawiki/login/" in client.get("/accounts/login/").content
    settings.SOCIALACCOUNT_PROVIDERS = {"mediawiki": {"APPS": []}}
    assert b"/accounts/mediawiki/login/" not in client.get("/accounts/login/").content
