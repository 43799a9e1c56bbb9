"""A few seconds' cache of public pages for anonymous readers (a "microcache"), on the shared cache (Redis).

Under load most requests are anonymous readers asking for the same few pages (the home page, the catalog, the live
campaign dashboard polled every few seconds). Rendering each of them once every ``PUBLIC_PAGE_CACHE_SECONDS`` for
everyone, instead of once per request, is what lets two cores serve hundreds of readers. The views opt in by URL
name (``PUBLIC_PAGE_CACHE_VIEWS``); the rest of the site is untouched.

What is cached, and for whom:
- only GET and HEAD answers of the listed views, with status 200, HTML or JSON or iCalendar, not marked private,
  that set no cookie, saved nothing in a session and queued no message;
- only for requests with no cookie but the CSRF and language cookies: anyone signed in, or with a session or a
  message waiting, always gets a freshly rendered page;
- keyed by view, path with its query, active language and whether it is an HTMX request.

A cached page holds no one's CSRF token: tokens are swapped for a placeholder when stored and for the reader's own
token when served (their cookie is set as usual), so forms on a cached page work for whoever reads it. Pages are
at most ``PUBLIC_PAGE_CACHE_SECONDS`` old (default 5 in production, 0 = off in development and tests). A cache
that does not answer is skipped: the page is rendered as if there were no cache.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import _unmask_cipher_token, get_token

logger = logging.getLogger(__name__)

PLACEHOLDER = "\x00csrf\x00"
# A masked CSRF token: 64 letters and digits (Django's CSRF_TOKEN_LENGTH), inside an attribute or a JSON string.
_TOKEN_CANDIDATE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")
_CACHEABLE_TYPES = ("text/html", "application/json", "application/ld+json", "text/calendar")
_HEADERS_NOT_KEPT = {"set-cookie", "vary", "content-length"}


def _seconds() -> int:
    return int(getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", 0))


def _key(request: HttpRequest, view_name: str) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    htmx = "hx" if request.headers.get("HX-Request") == "true" else "page"
    return f"pagecache:{view_name}:{getattr(request, 'LANGUAGE_CODE', '')}:{htmx}:{path}"


def _anonymous_without_state(request: HttpRequest) -> bool:
    allowed = {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}
    return not (set(request.COOKIES) - allowed)


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if not response.get("Content-Type", "").startswith(_CACHEABLE_TYPES):
        return False
    # "private" is an answer for one person. "no-store" on a listed view speaks to browsers (the live block must
    # be fetched again at each poll), not to this cache, which serves everyone the same few-seconds-old answer.
    if "private" in response.get("Cache-Control", ""):
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    messages = getattr(request, "_messages", None)
    return not (messages is not None and getattr(messages, "_queued_messages", None))


def _without_tokens(request: HttpRequest, content: str) -> str:
    secret = request.META.get("CSRF_COOKIE")
    if not secret:
        return content
    tokens = {
        candidate
        for candidate in set(_TOKEN_CANDIDATE.findall(content))
        if _unmask_cipher_token(candidate) == secret
    }
    for token in tokens:
        content = content.replace(token, PLACEHOLDER)
    return content


class PublicPageCacheMiddleware:
    """See the module's docstring. Goes last in MIDDLEWARE, so it stores the view's own answer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        key = getattr(request, "_public_page_cache_key", None)
        if key is not None and _storable(request, response):
            charset = response.charset or "utf-8"
            content = _without_tokens(request, response.content.decode(charset))
            headers = [(name, value) for name, value in response.items() if name.lower() not in _HEADERS_NOT_KEPT]
            try:
                cache.set(key, {"content": content, "charset": charset, "headers": headers}, _seconds())
            except Exception:  # the cache is an optimization: a failing one never fails the page
                logger.warning("public page cache: could not store %s", request.path, exc_info=True)
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        if _seconds() <= 0 or request.method not in ("GET", "HEAD"):
            return None
        match = request.resolver_match
        if match is None or match.view_name not in settings.PUBLIC_PAGE_CACHE_VIEWS:
            return None
        if not _anonymous_without_state(request):
            return None
        key = _key(request, match.view_name)
        try:
            cached = cache.get(key)
        except Exception:
            logger.warning("public page cache: could not read %s", request.path, exc_info=True)
            return None
        if cached is None:
            request._public_page_cache_key = key
            return None
        content = cached["content"]
        if PLACEHOLDER in content:
            content = content.replace(PLACEHOLDER, get_token(request))  # this reader's token; sets their cookie
        response = HttpResponse(content.encode(cached["charset"]))
        for name, value in cached["headers"]:
            response[name] = value
        return response
