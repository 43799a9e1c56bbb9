"""Crediting: fetch each edit's revision and its parent through the Action API, diff their citations with the
citation engine, and store the credit. Network first, outside any transaction; then one short transaction per
edit (``services.edits.edit_credit``), which re-reads the edit under lock, so crediting twice changes nothing.

Also the revert and hidden checks ``refresh_edits`` runs over edits already credited.
"""

from __future__ import annotations

import itertools
import logging
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx
from django.conf import settings
from django.utils import timezone

from crowdsci.campaigns.models import TrackedEdit
from crowdsci.campaigns.services import edits as edit_services
from crowdsci.campaigns.services.edits import Credit
from crowdsci.wikicite import Citation, diff
from crowdsci.wikicite.model import IDENTIFIER_KINDS
from crowdsci.wikimedia import ActionApiClient, RetryPolicy, Revision, WikimediaError, build_user_agent

logger = logging.getLogger(__name__)
Status = TrackedEdit.Status
REVERTED_TAG = "mw-reverted"

# Wikis whose database name does not follow "<language><project>".
_SPECIAL_SERVERS = {
    "wikidatawiki": "www.wikidata.org",
    "commonswiki": "commons.wikimedia.org",
    "metawiki": "meta.wikimedia.org",
    "specieswiki": "species.wikimedia.org",
    "mediawikiwiki": "www.mediawiki.org",
    "testwiki": "test.wikipedia.org",
}
_PROJECT_SUFFIXES = (
    ("wiktionary", "wiktionary.org"),
    ("wikibooks", "wikibooks.org"),
    ("wikinews", "wikinews.org"),
    ("wikiquote", "wikiquote.org"),
    ("wikisource", "wikisource.org"),
    ("wikiversity", "wikiversity.org"),
    ("wikivoyage", "wikivoyage.org"),
    ("wiki", "wikipedia.org"),
)


class UnknownWikiError(ValueError):
    pass


def server_name(wiki: str) -> str:
    """en.wikipedia.org for enwiki, and so on; UnknownWikiError for a name that is no wiki."""
    if wiki in _SPECIAL_SERVERS:
        return _SPECIAL_SERVERS[wiki]
    for suffix, domain in _PROJECT_SUFFIXES:
        if wiki.endswith(suffix) and len(wiki) > len(suffix):
            language = wiki[: -len(suffix)].replace("_", "-")
            if language.replace("-", "").isalnum():
                return f"{language}.{domain}"
    raise UnknownWikiError(f"unknown wiki {wiki!r}")


def api_url(wiki: str) -> str:
    template = settings.WIKIMEDIA_API_URL
    return template.replace("{server_name}", server_name(wiki)) if "{server_name}" in template else template


def user_agent() -> str:
    return build_user_agent(settings.WIKIMEDIA_CONTACT)


def api_client(wiki: str) -> ActionApiClient:
    return ActionApiClient(
        api_url(wiki),
        user_agent=user_agent(),
        timeout=settings.CAMPAIGNS_API_TIMEOUT_SECONDS,
        retry=RetryPolicy(
            max_attempts=settings.CAMPAIGNS_API_ATTEMPTS,
            base_delay=settings.CAMPAIGNS_API_RETRY_BASE_SECONDS,
            max_delay=settings.CAMPAIGNS_API_RETRY_MAX_SECONDS,
            max_retry_after=settings.CAMPAIGNS_API_RETRY_MAX_SECONDS,
        ),
    )


@contextmanager
def _wiki_client(wiki: str, clients: dict[str, ActionApiClient] | None) -> Iterator[ActionApiClient]:
    """The caller's client for ``wiki`` if it gave one, else a new one closed on leaving (``UnknownWikiError``
    for a wiki we cannot reach is raised on entering)."""
    given = (clients or {}).get(wiki)
    if given is not None:
        yield given
        return
    client = api_client(wiki)
    try:
        yield client
    finally:
        client.close()


def _revisions_with_parents(client: ActionApiClient, revids: list[int]) -> tuple[dict, dict]:
    """The revisions and, in a second request, their parents (the revisions they changed)."""
    children = client.revisions(revids)
    parent_ids = {rev.parentid for rev in children.values() if rev.parentid}
    return children, client.revisions(parent_ids) if parent_ids else {}


_NBK_PATH_RE = re.compile(r"/books/(nbk\d{1,9})(?:[/?#]|$)", re.IGNORECASE | re.ASCII)
_NCT_RE = re.compile(r"\b(nct\d{8})\b", re.IGNORECASE | re.ASCII)
IDS_KEPT = 5  # identifiers kept per citation (a PMID, a PMCID and a DOI are the usual most)
ID_LENGTH_KEPT = 300  # characters of an identifier kept (a URL can be any length)


def citation_record(citation: Citation) -> dict[str, Any]:
    """What the pages list of one added citation: its NLM source and its identifiers, strongest first, as
    [kind, value] pairs. A Bookshelf or ClinicalTrials.gov link becomes its NBK or NCT number; a citation's links
    are listed only when it has no identifier (they are the only handle on a MedlinePlus page, say). Values are
    the engine's normalized text from public wikitext, untrusted: the pages validate them before linking."""
    ids = citation.identifiers
    pairs: list[list[str]] = [["pmid", value] for value in ids.pmid]
    pairs += [["pmcid", value] for value in ids.pmcid]
    for url in ids.url:
        host = url.split("/", 1)[0]
        if host.endswith("ncbi.nlm.nih.gov") and (found := _NBK_PATH_RE.search(url)):
            pairs.append(["nbk", found.group(1).upper()])
        elif host.endswith("clinicaltrials.gov") and (found := _NCT_RE.search(url)):
            pairs.append(["nct", found.group(1).upper()])
    pairs += [["doi", value] for value in ids.doi]
    pairs += [["isbn", value] for value in ids.isbn]
    if not pairs:
        pairs = [["url", value] for value in ids.url]
    unique: list[list[str]] = []
    for kind, value in pairs:
        pair = [kind, value[:ID_LENGTH_KEPT]]
        if pair not in unique:
            unique.append(pair)
    return {"source": citation.nlm_source, "ids": unique[:IDS_KEPT]}


def citation_records(added: Iterable[Citation]) -> list[dict[str, Any]]:
    """The records of the first TrackedEdit.CITATIONS_KEPT added citations (the count itself is kept apart)."""
    return [citation_record(citation) for citation in itertools.islice(added, TrackedEdit.CITATIONS_KEPT)]


def credit_of(parent: str | None, child: str, *, parent_size: int | None, child_size: int | None) -> Credit:
    """The credit of one edit from its two texts (parent None: a page creation, diffed against nothing)."""
    result = diff(parent, child)
    added = result.added
    nlm = Counter(citation.nlm_source for citation in added if citation.nlm_source)
    identifiers = {kind: sum(len(getattr(c.identifiers, kind)) for c in added) for kind in IDENTIFIER_KINDS}
    if child_size is None:
        child_size = len(child.encode("utf-8"))
    if parent is None:
        bytes_changed = child_size
    else:
        bytes_changed = child_size - (parent_size if parent_size is not None else len(parent.encode("utf-8")))
    return Credit(
        citations_added=len(added),
        citations_removed=len(result.removed),
        citations_enriched=len(result.enriched),
        nlm_citations_added=sum(nlm.values()),
        nlm_by_source=dict(nlm),
        identifiers_added={kind: count for kind, count in identifiers.items() if count},
        bytes_changed=bytes_changed,
        added_citations=citation_records(added),
    )


@dataclass
class CreditReport:
    credited: list[int] = field(default_factory=list)
    reverted: list[int] = field(default_factory=list)
    hidden: list[int] = field(default_factory=list)
    retry: list[int] = field(default_factory=list)  # still pending, to try again later
    failed: list[int] = field(default_factory=list)


def _hidden_reason(revision: Revision) -> str | None:
    if revision.missing:
        return "the revision no longer exists (deleted)"
    if revision.texthidden or (revision.suppressed and revision.content is None):
        return "the revision's text is hidden (revision deletion or suppression)"
    return None


NO_CONTENT = "the API answered without the revision's content"


def credit_edits(edit_ids: Iterable[int], *, clients: dict[str, ActionApiClient] | None = None) -> CreditReport:
    """Credit the given edits that are still pending (or failed); the others are left as they are."""
    report = CreditReport()
    edits = list(
        TrackedEdit.objects.filter(pk__in=list(edit_ids), status__in=[Status.PENDING, Status.FAILED]).order_by("pk")
    )
    by_wiki: dict[str, list[TrackedEdit]] = {}
    for edit in edits:
        by_wiki.setdefault(edit.wiki, []).append(edit)
    for wiki, wiki_edits in by_wiki.items():
        _credit_wiki(wiki, wiki_edits, report, clients)
    return report


def _retry_at(attempts: int):
    delay = settings.CAMPAIGNS_CREDIT_RETRY_SECONDS * (2 ** max(0, attempts))
    return timezone.now() + timedelta(seconds=min(delay, 6 * 3600))


def _failed(edit: TrackedEdit, reason: str, report: CreditReport) -> None:
    logger.warning("crediting %s:%s failed: %s", edit.wiki, edit.revid, reason)
    updated = edit_services.edit_attempt_failed(
        edit_id=edit.pk,
        reason=reason,
        max_attempts=settings.CAMPAIGNS_CREDIT_MAX_ATTEMPTS,
        retry_at=_retry_at(edit.attempts),
    )
    (report.failed if updated.status == Status.FAILED else report.retry).append(edit.pk)


def _credit_wiki(
    wiki: str, edits: list[TrackedEdit], report: CreditReport, clients: dict[str, ActionApiClient] | None
) -> None:
    try:
        with _wiki_client(wiki, clients) as client:
            children, parents = _revisions_with_parents(client, [edit.revid for edit in edits])
    except UnknownWikiError as error:
        for edit in edits:
            _failed(edit, str(error), report)
        return
    except (WikimediaError, httpx.HTTPError) as error:
        retry_before = len(report.retry)
        for edit in edits:
            _failed(edit, f"{type(error).__name__}: {error}", report)
        again = report.retry[retry_before:]
        if again:
            # A later task; a backend that cannot defer leaves them to refresh_edits' sweep of due edits.
            edit_services.credit_enqueue_on_commit(again, run_after=_retry_at(min(e.attempts for e in edits)))
        return
    for edit in edits:
        child = children[edit.revid]
        reason = _hidden_reason(child)
        if reason is not None:
            edit_services.edit_mark_hidden(edit_id=edit.pk, reason=reason)
            report.hidden.append(edit.pk)
            continue
        if child.content is None:  # not hidden, yet no text: a faulty answer, worth another try later
            _failed(edit, NO_CONTENT, report)
            continue
        parent_text: str | None = None
        parent_size: int | None = None
        if child.parentid:
            parent = parents.get(child.parentid)
            parent_reason = _hidden_reason(parent) if parent is not None else "the parent revision was not returned"
            if parent_reason is not None:
                edit_services.edit_mark_hidden(edit_id=edit.pk, reason=f"parent: {parent_reason}")
                report.hidden.append(edit.pk)
                continue
            if parent.content is None:
                _failed(edit, f"parent: {NO_CONTENT}", report)
                continue
            parent_text, parent_size = parent.content, parent.size
        try:
            credit = credit_of(parent_text, child.content or "", parent_size=parent_size, child_size=child.size)
        except Exception as error:  # the engine never raises on content; if it does, it is our bug: keep going
            logger.exception("the citation engine failed on %s:%s", edit.wiki, edit.revid)
            _failed(edit, f"citation engine error: {type(error).__name__}: {error}", report)
            continue
        reverted = REVERTED_TAG in child.tags
        edit_services.edit_credit(edit_id=edit.pk, credit=credit, reverted=reverted)
        (report.reverted if reverted else report.credited).append(edit.pk)


# --- filling the lists of added citations of edits credited before they were kept -----------------------------


@dataclass
class FillReport:
    filled: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)  # hidden or missing revisions, API errors: left without list
    errors: list[str] = field(default_factory=list)


def citations_missing(campaign_id: int) -> list[int]:
    """The campaign's edits that have a credit but no list of added citations, oldest stored first."""
    return list(
        TrackedEdit.objects.filter(campaign_links__campaign_id=campaign_id, citations_added__isnull=False,
                                   added_citations__isnull=True).order_by("pk").values_list("pk", flat=True)
    )


def fill_citations(edit_ids: Iterable[int], *, clients: dict[str, ActionApiClient] | None = None,
                   batch: int = 50) -> FillReport:
    """Fetch the revisions of edits credited before their added citations were kept, diff them again and store
    the list (``services.edits.edit_citations_fill``: only the list; figures and aggregates are left alone)."""
    report = FillReport()
    ids = list(edit_ids)
    for start in range(0, len(ids), batch):
        edits = list(TrackedEdit.objects.filter(pk__in=ids[start : start + batch], citations_added__isnull=False,
                                                added_citations__isnull=True).order_by("pk"))
        by_wiki: dict[str, list[TrackedEdit]] = {}
        for edit in edits:
            by_wiki.setdefault(edit.wiki, []).append(edit)
        for wiki, wiki_edits in by_wiki.items():
            _fill_wiki(wiki, wiki_edits, report, clients)
    return report


def _fill_wiki(wiki: str, edits: list[TrackedEdit], report: FillReport,
               clients: dict[str, ActionApiClient] | None) -> None:
    try:
        with _wiki_client(wiki, clients) as client:
            children, parents = _revisions_with_parents(client, [edit.revid for edit in edits])
    except UnknownWikiError as error:
        report.errors.append(str(error))
        report.skipped += [edit.pk for edit in edits]
        return
    except (WikimediaError, httpx.HTTPError) as error:
        report.errors.append(f"{wiki}: {type(error).__name__}: {error}")
        report.skipped += [edit.pk for edit in edits]
        return
    for edit in edits:
        child = children[edit.revid]
        parent = parents.get(child.parentid) if child.parentid else None
        unreadable = _hidden_reason(child) is not None or child.content is None or (
            child.parentid and (parent is None or _hidden_reason(parent) is not None or parent.content is None))
        if unreadable:
            report.skipped.append(edit.pk)
            continue
        try:
            added = diff(parent.content if parent is not None else None, child.content or "").added
        except Exception as error:  # as in crediting: the engine's bug, not the content's; keep going
            logger.exception("the citation engine failed on %s:%s", edit.wiki, edit.revid)
            report.errors.append(f"{edit.wiki}:{edit.revid}: {type(error).__name__}: {error}")
            report.skipped.append(edit.pk)
            continue
        if edit_services.edit_citations_fill(edit_id=edit.pk, added_citations=citation_records(added)):
            report.filled.append(edit.pk)


# --- refresh: reverts and hidden revisions of edits already credited --------------------------------------------


@dataclass
class RefreshReport:
    checked: int = 0
    reverted: list[int] = field(default_factory=list)
    hidden: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def refresh_edits(edits: Iterable[TrackedEdit], *, clients: dict[str, ActionApiClient] | None = None,
                  batch: int = 50) -> RefreshReport:
    """Re-read credited and reverted edits through the API in batches: an ``mw-reverted`` tag makes a credited
    edit ``reverted``; a deleted or hidden revision makes it ``hidden``. An API failure skips that batch."""
    report = RefreshReport()
    pending: dict[str, list[TrackedEdit]] = {}
    for edit in edits:
        group = pending.setdefault(edit.wiki, [])
        group.append(edit)
        if len(group) >= batch:
            _refresh_batch(edit.wiki, pending.pop(edit.wiki), report, clients)
    for wiki, group in pending.items():
        _refresh_batch(wiki, group, report, clients)
    return report


def _refresh_batch(wiki: str, edits: list[TrackedEdit], report: RefreshReport,
                   clients: dict[str, ActionApiClient] | None) -> None:
    try:
        with _wiki_client(wiki, clients) as client:
            revisions = client.revisions([edit.revid for edit in edits])
    except UnknownWikiError as error:
        report.errors.append(str(error))
        return
    except (WikimediaError, httpx.HTTPError) as error:
        report.errors.append(f"{wiki}: {type(error).__name__}: {error}")
        return
    TrackedEdit.objects.filter(pk__in=[edit.pk for edit in edits]).update(checked_at=timezone.now())
    for edit in edits:
        report.checked += 1
        revision = revisions[edit.revid]
        reason = _hidden_reason(revision)
        if reason is not None and edit.status != Status.HIDDEN:
            edit_services.edit_mark_hidden(edit_id=edit.pk, reason=reason)
            report.hidden.append(edit.pk)
        elif reason is None and REVERTED_TAG in revision.tags and edit.status == Status.CREDITED:
            edit_services.edit_mark_reverted(edit_id=edit.pk)
            report.reverted.append(edit.pk)
