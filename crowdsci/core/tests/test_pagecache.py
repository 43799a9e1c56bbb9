"""The public page cache (crowdsci.core.pagecache): what is served from it, to whom, and that forms still work."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

from crowdsci.core.testing import PASSWORD
from crowdsci.core.tests import pagecache_urls

pytestmark = pytest.mark.urls("crowdsci.core.tests.pagecache_urls")

LISTED = frozenset({"cached-page", "cached-message", "cached-private", "cached-missing", "cached-data"})


@pytest.fixture
def cache_on(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    settings.PUBLIC_PAGE_CACHE_VIEWS = LISTED
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "pagecache-tests"}}
    pagecache_urls.RUNS.clear()
    cache.clear()
    return settings


def _runs(name: str) -> int:
    return pagecache_urls.RUNS.get(name, 0)


def _tokens(html: str) -> set[str]:
    return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)) | set(
        re.findall(r'"X-CSRFToken": "([^"]+)"', html)
    )


def test_off_by_default_every_request_renders(settings):
    pagecache_urls.RUNS.clear()
    assert settings.PUBLIC_PAGE_CACHE_SECONDS == 0
    client = Client()
    client.get("/page/")
    client.get("/page/")
    assert _runs("page") == 2


def test_anonymous_readers_share_one_rendering_and_each_gets_a_working_token_of_their_own(cache_on):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_html = first.get("/page/").content.decode()
    second_html = second.get("/page/").content.decode()
    assert _runs("page") == 1, "the second reader was served the stored page"
    assert "en 1" in second_html
    assert "\x00" not in second_html, "no placeholder left in a served page"
    first_tokens, second_tokens = _tokens(first_html), _tokens(second_html)
    assert len(first_tokens) == 1 and len(second_tokens) == 1, "the form and the htmx header carry one token each"
    assert first_tokens != second_tokens, "the stored page does not hand out the first reader's token"
    assert second.cookies.get("csrftoken"), "the second reader gets their CSRF cookie as usual"
    response = second.post("/post/", {"csrfmiddlewaretoken": second_tokens.pop()})
    assert response.status_code == 200, "a form on a cached page posts"
    assert first.post("/post/", {"csrfmiddlewaretoken": first_tokens.pop()}).status_code == 200


def test_language_and_htmx_requests_are_stored_apart(cache_on):
    client = Client()
    client.get("/page/")
    spanish = client.get("/page/", headers={"Accept-Language": "es"}).content.decode()
    assert "es 2" in spanish
    htmx = client.get("/page/", headers={"HX-Request": "true"}).content.decode()
    assert "en 3 true" in htmx
    assert "es 2" in client.get("/page/", headers={"Accept-Language": "es"}).content.decode()
    assert _runs("page") == 3


def test_the_query_string_is_part_of_the_key_and_json_is_cached_too(cache_on):
    client = Client()
    client.get("/page/?q=water")
    client.get("/page/?q=water")
    client.get("/page/?q=soil")
    assert _runs("page") == 2
    assert client.get("/data.json").json() == client.get("/data.json").json() == {"runs": 1}


@pytest.mark.django_db
def test_someone_signed_in_always_gets_a_fresh_page_and_never_fills_the_cache(cache_on):
    user = get_user_model().objects.create_user("reader", "reader@example.org", PASSWORD)
    signed_in = Client()
    signed_in.force_login(user)
    signed_in.get("/page/")
    signed_in.get("/page/")
    assert _runs("page") == 2
    Client().get("/page/")
    assert _runs("page") == 3, "what the signed-in person saw was not stored for others"


def test_unlisted_views_errors_private_answers_and_queued_messages_are_not_stored(cache_on):
    client = Client()
    for path in ("/unlisted/", "/missing/", "/private/"):
        client.get(path)
        client.get(path)
    assert _runs("page") == 2 and _runs("not_found") == 2 and _runs("private") == 2
    Client().get("/message/")
    Client().get("/message/")
    assert _runs("with_message") == 2


def test_a_cache_that_does_not_answer_is_skipped(cache_on):
    cache_on.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:9/0",
                                   "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}}}
    client = Client()
    assert client.get("/page/").status_code == 200
    assert client.get("/page/").status_code == 200
    assert _runs("page") == 2
