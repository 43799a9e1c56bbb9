"""MediaWiki Action API client: revisions, parents, user contributions, page info, category members, users.

Every request sends ``format=json&formatversion=2&maxlag=5`` and a descriptive User-Agent, follows ``continue``,
and retries 429, 5xx, ``maxlag``/``ratelimited`` errors, timeouts and dropped connections with exponential backoff
and jitter (``Retry-After`` wins when the server sends it), up to a bound; then RetriesExhaustedError.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

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
from crowdsci.wikimedia.errors import ApiError, UnexpectedResponseError

ENWIKI_API_URL = "https://en.wikipedia.org/w/api.php"
BATCH_SIZE = 50  # the Action API's limit on revids/titles/ususers per request for ordinary clients
REVISION_PROPS = "ids|timestamp|user|comment|content|sha1|size|tags"
RETRYABLE_API_ERRORS = frozenset({"maxlag", "ratelimited", "readonly", "internal_api_error_DBQueryTimeoutError"})


@dataclass(frozen=True, slots=True)
class Revision:
    """One revision. Deleted or suppressed parts are flagged and None, never an error.

    ``missing`` means the revision id does not exist (or is deleted with its page); ``texthidden``,
    ``userhidden``, ``commenthidden`` and ``sha1hidden`` mean that part was revision-deleted, ``suppressed``
    that it was hidden from administrators too.
    """

    revid: int
    parentid: int | None = None
    pageid: int | None = None
    namespace: int | None = None
    title: str | None = None
    timestamp: datetime | None = None
    user: str | None = None
    comment: str | None = None
    content: str | None = None
    sha1: str | None = None
    size: int | None = None
    tags: tuple[str, ...] = ()
    missing: bool = False
    texthidden: bool = False
    userhidden: bool = False
    commenthidden: bool = False
    sha1hidden: bool = False
    suppressed: bool = False

    @property
    def has_content(self) -> bool:
        return self.content is not None


@dataclass(frozen=True, slots=True)
class Contribution:
    user: str
    revid: int
    parentid: int | None
    pageid: int | None
    namespace: int
    title: str
    timestamp: datetime
    comment: str | None
    size: int | None
    minor: bool
    new: bool
    top: bool


@dataclass(frozen=True, slots=True)
class PageInfo:
    title: str
    pageid: int | None
    namespace: int
    missing: bool
    lastrevid: int | None = None
    length: int | None = None
    contentmodel: str | None = None
    touched: datetime | None = None


@dataclass(frozen=True, slots=True)
class CategoryMember:
    """A page found under a category; ``depth`` 0 means directly in it, ``category`` is where it was found."""

    title: str
    pageid: int | None
    namespace: int
    category: str
    depth: int


def _timestamp(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _api_timestamp(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def normalize_title(title: str) -> str:
    """MediaWiki's basic title normalization: underscores are spaces, first letter upper case."""
    title = " ".join(title.replace("_", " ").split())
    return title[:1].upper() + title[1:]


def _batches(values: Iterable[Any], size: int = BATCH_SIZE) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for value in values:
        batch.append(value)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def revision_from_api(data: dict[str, Any], page: dict[str, Any] | None = None) -> Revision:
    """A Revision from a ``formatversion=2`` revision object (and its page)."""
    page = page or {}
    main_slot = (data.get("slots") or {}).get("main") or {}
    texthidden = bool(data.get("texthidden") or main_slot.get("texthidden"))
    content = main_slot.get("content") if not texthidden else None
    if content is None and "content" in data and not texthidden:  # responses without rvslots
        content = data["content"]
    parentid = data.get("parentid")
    return Revision(
        revid=int(data["revid"]),
        parentid=int(parentid) if parentid is not None else None,
        pageid=page.get("pageid"),
        namespace=page.get("ns"),
        title=page.get("title"),
        timestamp=_timestamp(data.get("timestamp")),
        user=None if data.get("userhidden") else data.get("user"),
        comment=None if data.get("commenthidden") else data.get("comment"),
        content=content,
        sha1=None if data.get("sha1hidden") else data.get("sha1"),
        size=data.get("size"),
        tags=tuple(data.get("tags") or ()),
        missing=bool(data.get("missing")),
        texthidden=texthidden,
        userhidden=bool(data.get("userhidden")),
        commenthidden=bool(data.get("commenthidden")),
        sha1hidden=bool(data.get("sha1hidden")),
        suppressed=bool(data.get("suppressed")),
    )


class ActionApiClient:
    """Synchronous client for one wiki's ``api.php``. Thread-safe (httpx.Client is), so it can be shared."""

    def __init__(
        self,
        api_url: str = ENWIKI_API_URL,
        *,
        user_agent: str,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        maxlag: int = 5,
        sleep: Sleep = default_sleep,
        random: Random = default_random,
        clock: Clock = default_clock,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.api_url = api_url
        self.retry = retry or RetryPolicy()
        self.maxlag = maxlag
        self.requests_sent = 0
        self._sleep = sleep
        self._random = random
        self._clock = clock
        self._client = httpx.Client(
            timeout=timeout, headers={"User-Agent": user_agent}, transport=transport, follow_redirects=True
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> ActionApiClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- transport ----------------------------------------------------------------------------------------
    def request(self, params: dict[str, str]) -> dict[str, Any]:
        """One API call with the standard parameters, retried as the module docstring says."""
        full = {"format": "json", "formatversion": "2", "maxlag": str(self.maxlag), **params}
        for attempt in retrying(self.retry, giving_up=f"{self.api_url} kept failing", sleep=self._sleep,
                                random=self._random):
            with attempt:
                self.requests_sent += 1
                response = self._client.get(self.api_url, params=full)
                status = response.status_code
                if status == 429 or status >= 500:
                    raise RetryableError(f"HTTP {status}", self._retry_after(response))
                if status != 200:
                    raise UnexpectedResponseError(f"{self.api_url} answered HTTP {status}: {response.text[:200]}")
                try:
                    payload = response.json()
                except ValueError as error:  # a truncated or garbled JSON body
                    raise RetryableError(f"invalid JSON: {error}") from error
                if not isinstance(payload, dict):
                    raise UnexpectedResponseError(f"{self.api_url} answered a non-object: {response.text[:200]}")
                error = payload.get("error")
                if not error:
                    return payload
                code = str(error.get("code", "unknown"))
                if code not in RETRYABLE_API_ERRORS:
                    raise ApiError(code, str(error.get("info", "")))
                raise RetryableError(f"API error {code}: {error.get('info', '')}", self._retry_after(response))
        raise AssertionError("retrying() returns only by raising")  # pragma: no cover - keeps type checkers sure

    def _retry_after(self, response: httpx.Response) -> float | None:
        return parse_retry_after(response.headers.get("Retry-After"), self._clock)

    def query(self, params: dict[str, str]) -> Iterator[dict[str, Any]]:
        """Every response of an ``action=query``, following ``continue`` until the result is complete."""
        params = {"action": "query", **params}
        while True:
            payload = self.request(params)
            yield payload
            continuation = payload.get("continue")
            if not continuation:
                return
            params = {**params, **{key: str(value) for key, value in continuation.items()}}

    # --- revisions ----------------------------------------------------------------------------------------
    def revisions(self, revids: Iterable[int]) -> dict[int, Revision]:
        """Revisions by id with content, 50 ids a request; unknown ids come back as ``Revision(missing=True)``."""
        wanted = list(dict.fromkeys(int(revid) for revid in revids))
        found: dict[int, Revision] = {}
        for batch in _batches(wanted):
            params = {"prop": "revisions", "revids": "|".join(map(str, batch)), "rvprop": REVISION_PROPS,
                      "rvslots": "main"}
            for payload in self.query(params):
                query = payload.get("query") or {}
                for page in query.get("pages") or ():
                    for data in page.get("revisions") or ():
                        revision = revision_from_api(data, page)
                        found[revision.revid] = revision
                for key, bad in (query.get("badrevids") or {}).items():
                    revid = int(bad.get("revid", key))
                    found[revid] = Revision(revid=revid, missing=True)
        return {revid: found.get(revid, Revision(revid=revid, missing=True)) for revid in wanted}

    def revision(self, revid: int) -> Revision:
        return self.revisions([revid])[revid]

    def parent_revision(self, revid: int) -> Revision | None:
        """The revision before ``revid`` on its page, or None for a page's first revision (or a missing one)."""
        child = self.revision(revid)
        if child.missing or not child.parentid:
            return None
        return self.revision(child.parentid)

    # --- users --------------------------------------------------------------------------------------------
    def user_contributions(
        self, user: str, start: datetime, end: datetime, *, namespace: int | None = None
    ) -> Iterator[Contribution]:
        """A user's edits from ``start`` to ``end`` (both inclusive), oldest first."""
        params = {"list": "usercontribs", "ucuser": user, "ucdir": "newer", "ucstart": _api_timestamp(start),
                  "ucend": _api_timestamp(end), "uclimit": "max",
                  "ucprop": "ids|title|timestamp|comment|size|flags|tags"}
        if namespace is not None:
            params["ucnamespace"] = str(namespace)
        for payload in self.query(params):
            for row in (payload.get("query") or {}).get("usercontribs") or ():
                yield Contribution(
                    user=row.get("user", user), revid=int(row["revid"]), parentid=row.get("parentid"),
                    pageid=row.get("pageid"), namespace=int(row.get("ns", 0)), title=row["title"],
                    timestamp=_timestamp(row["timestamp"]) or datetime.min.replace(tzinfo=UTC),
                    comment=None if row.get("commenthidden") else row.get("comment"), size=row.get("size"),
                    minor=bool(row.get("minor")), new=bool(row.get("new")), top=bool(row.get("top")),
                )

    def users_exist(self, names: Iterable[str]) -> dict[str, bool]:
        """For each name, whether it is a registered account (IP addresses and invalid names are not)."""
        wanted = list(dict.fromkeys(names))
        exists: dict[str, bool] = {}
        for batch in _batches(wanted):
            for payload in self.query({"list": "users", "ususers": "|".join(batch)}):
                for row in (payload.get("query") or {}).get("users") or ():
                    exists[normalize_title(row["name"])] = not (row.get("missing") or row.get("invalid"))
        return {name: exists.get(normalize_title(name), False) for name in wanted}

    def user_exists(self, name: str) -> bool:
        return self.users_exist([name])[name]

    # --- pages --------------------------------------------------------------------------------------------
    def page_info(self, titles: Iterable[str]) -> dict[str, PageInfo]:
        """``prop=info`` for each title (keyed by the title as given); a missing page has ``missing=True``."""
        wanted = list(dict.fromkeys(titles))
        by_title: dict[str, PageInfo] = {}
        renamed: dict[str, str] = {}
        for batch in _batches(wanted):
            for payload in self.query({"prop": "info", "titles": "|".join(batch)}):
                query = payload.get("query") or {}
                for step in query.get("normalized") or ():
                    renamed[step["from"]] = step["to"]
                for page in query.get("pages") or ():
                    by_title[page["title"]] = PageInfo(
                        title=page["title"], pageid=page.get("pageid"), namespace=int(page.get("ns", 0)),
                        missing=bool(page.get("missing") or page.get("invalid")), lastrevid=page.get("lastrevid"),
                        length=page.get("length"), contentmodel=page.get("contentmodel"),
                        touched=_timestamp(page.get("touched")),
                    )
        result = {}
        for title in wanted:
            resolved = renamed.get(title, title)
            result[title] = by_title.get(resolved) or PageInfo(title=resolved, pageid=None, namespace=0, missing=True)
        return result

    def category_members(self, category: str, *, max_depth: int = 0) -> list[CategoryMember]:
        """Pages in a category and, down to ``max_depth`` levels, in its subcategories; each page once.

        Category graphs have cycles, so every category is visited at most once (breadth first, so a page is
        reported at its smallest depth).
        """
        if not category.startswith("Category:"):
            category = "Category:" + category
        root = normalize_title(category)
        visited = {root}
        pending: deque[tuple[str, int]] = deque([(root, 0)])
        members: dict[str, CategoryMember] = {}
        while pending:
            current, depth = pending.popleft()
            params = {"list": "categorymembers", "cmtitle": current, "cmtype": "page|subcat", "cmlimit": "max",
                      "cmprop": "ids|title|type"}
            for payload in self.query(params):
                for row in (payload.get("query") or {}).get("categorymembers") or ():
                    title, namespace = row["title"], int(row.get("ns", 0))
                    if namespace == 14:
                        if depth < max_depth and title not in visited:
                            visited.add(title)
                            pending.append((title, depth + 1))
                    elif title not in members:
                        members[title] = CategoryMember(title, row.get("pageid"), namespace, current, depth)
        return list(members.values())
