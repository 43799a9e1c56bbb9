"""Worklists: articles a campaign wants improved, what they need (citation-needed markers, NLM citations,
views), and claims that tell others an article is taken.

Wikipedia is read before any transaction opens (category import, refresh); the writes that follow are short.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crowdsci import wikicite
from crowdsci.campaigns import wiki
from crowdsci.campaigns.errors import CampaignsError
from crowdsci.campaigns.models import ArticleClaim, Campaign, Participant, Worklist, WorklistArticle
from crowdsci.campaigns.selectors.access import user_organizes, worklist_manageable_by
from crowdsci.core.audit import audit_record
from crowdsci.core.errors import full_clean_or_raise
from crowdsci.core.locking import lock_row
from crowdsci.wikimedia.action import normalize_title
from crowdsci.wikimedia.errors import WikimediaError

MAX_ARTICLES_PER_LIST = 1000
MAX_CATEGORY_DEPTH = 3
MAX_MARKERS_KEPT = 30
DEFAULT_CLAIM_HOURS = 48
_HEADING = re.compile(r"^(={1,6})[ \t]*(.+?)[ \t]*\1[ \t]*$", re.MULTILINE)


@transaction.atomic(durable=True)
def worklist_create(*, actor: AbstractBaseUser, campaign: Campaign, name: str, description: str = "") -> Worklist:
    if not user_organizes(actor):
        raise CampaignsError(_("Only organizers and network staff build worklists."))
    worklist = Worklist(campaign=campaign, name=name.strip(), description=description.strip(), created_by=actor)
    full_clean_or_raise(worklist, CampaignsError)
    worklist.save()
    audit_record(actor=actor, action="worklist.create", obj=worklist)
    return worklist


@transaction.atomic(durable=True)
def worklist_delete(*, actor: AbstractBaseUser, worklist: Worklist) -> None:
    worklist = lock_row(Worklist, worklist.pk)
    if not worklist_manageable_by(actor, worklist):
        raise CampaignsError(_("Only the worklist's author or network staff delete it."))
    audit_record(actor=actor, action="worklist.delete", obj=worklist, detail={"name": worklist.name})
    worklist.delete()


def titles_parse(text: str) -> list[str]:
    """One title a line, as pasted: links' brackets, a full article URL and underscores are accepted."""
    titles: list[str] = []
    for line in text.splitlines():
        title = line.strip().removeprefix("[[").removesuffix("]]").split("|", 1)[0]
        match = re.match(r"^https?://[^/]+/wiki/(.+)$", title)
        if match:
            from urllib.parse import unquote

            title = unquote(match.group(1))
        title = normalize_title(title)
        if title and title not in titles:
            titles.append(title)
    return titles


@transaction.atomic(durable=True)
def worklist_add_titles(
    *, actor: AbstractBaseUser, worklist: Worklist, titles: Iterable[str], wiki_name: str = "enwiki"
) -> list[WorklistArticle]:
    """Add articles by title (normalized, each once); returns the ones added."""
    worklist = lock_row(Worklist, worklist.pk)
    if not worklist_manageable_by(actor, worklist):
        raise CampaignsError(_("Only the worklist's author or network staff change it."))
    wanted = [normalize_title(title) for title in titles]
    wanted = [title for title in dict.fromkeys(wanted) if title]
    present = set(worklist.articles.filter(wiki=wiki_name).values_list("title", flat=True))
    new = [title for title in wanted if title not in present]
    for title in new:
        if any(character in title for character in "#<>[]|{}"):
            raise CampaignsError(_("Not a valid article title: %(title)s") % {"title": title})
    if len(present) + len(new) > MAX_ARTICLES_PER_LIST:
        raise CampaignsError(
            _("A worklist holds at most %(count)s articles.") % {"count": MAX_ARTICLES_PER_LIST}
        )
    added = WorklistArticle.objects.bulk_create(
        [WorklistArticle(worklist=worklist, wiki=wiki_name, title=title) for title in new]
    )
    audit_record(actor=actor, action="worklist.add_articles", obj=worklist, detail={"titles": new[:50],
                                                                                   "count": len(new)})
    return added


def worklist_import_category(
    *, actor: AbstractBaseUser, worklist: Worklist, category: str, depth: int = 0, wiki_name: str = "enwiki"
) -> list[WorklistArticle]:
    """Add the articles of a Wikipedia category (and its subcategories down to ``depth``) through the API."""
    if not worklist_manageable_by(actor, worklist):
        raise CampaignsError(_("Only the worklist's author or network staff change it."))
    depth = max(0, min(int(depth), MAX_CATEGORY_DEPTH))
    category = category.strip().removeprefix("Category:").strip()
    if not category:
        raise CampaignsError(_("Enter a category name."))
    try:
        with wiki.action_client(wiki_name) as client:
            members = client.category_members(category, max_depth=depth)
    except WikimediaError as error:
        raise CampaignsError(_("Wikipedia could not be reached to read the category (%(error)s); try again "
                               "later.") % {"error": type(error).__name__}) from error
    titles = [member.title for member in members if member.namespace == 0]
    if not titles:
        raise CampaignsError(_("The category has no articles (or does not exist)."))
    return worklist_add_titles(actor=actor, worklist=worklist, titles=titles, wiki_name=wiki_name)


def _section_numbers(text: str) -> list[tuple[int, int, str]]:
    """(offset, section number, heading) of each heading, in order; section 0 is the lead."""
    return [(match.start(), index, match.group(2)) for index, match in enumerate(_HEADING.finditer(text), 1)]


def markers_of(text: str) -> list[dict]:
    """Each {{citation needed}} marker with its sentence, section name and section number (for the editor)."""
    headings = _section_numbers(text)
    markers = []
    for marker in wikicite.citation_needed(text)[:MAX_MARKERS_KEPT]:
        number = 0
        for offset, index, _heading in headings:
            if offset > marker.span[0]:
                break
            number = index
        markers.append({"template": marker.template, "date": marker.date or "", "section": marker.section,
                        "section_number": number, "sentence": marker.sentence[:500]})
    return markers


def worklist_articles_refresh(*, article_ids: Iterable[int], today: date | None = None) -> int:
    """Read each article's latest revision and 30 days of views, then store what was found; returns how many
    were refreshed. A failure is stored on the row (and the old figures kept), never raised."""
    articles = list(WorklistArticle.objects.filter(pk__in=list(article_ids)))
    today = today or timezone.now().date()
    refreshed = 0
    by_wiki: dict[str, list[WorklistArticle]] = {}
    for article in articles:
        by_wiki.setdefault(article.wiki, []).append(article)
    for wiki_name, group in by_wiki.items():
        results: dict[int, dict] = {}
        try:
            with wiki.action_client(wiki_name) as client:
                info = client.page_info([article.title for article in group])
                revids = [page.lastrevid for page in info.values() if page.lastrevid and not page.missing]
                revisions = client.revisions(revids) if revids else {}
            with wiki.pageviews_client() as views_client:
                views = views_client.total_views_for_many(
                    wiki.pageviews_project(wiki_name),
                    [article.title for article in group if not info[article.title].missing],
                    today - timedelta(days=30), today - timedelta(days=1),
                )
        except WikimediaError as error:
            WorklistArticle.objects.filter(pk__in=[article.pk for article in group]).update(
                refresh_error=f"{type(error).__name__}: {error}"[:500]
            )
            continue
        now = timezone.now()
        for article in group:
            page = info[article.title]
            if page.missing:
                results[article.pk] = {"missing": True, "refreshed_at": now, "refresh_error": ""}
                continue
            revision = revisions.get(page.lastrevid)
            if revision is None or not revision.has_content:
                results[article.pk] = {"refresh_error": _("The latest revision has no readable text.")}
                continue
            counts = wikicite.count(revision.content)
            markers = markers_of(revision.content)
            results[article.pk] = {
                "missing": False, "citation_needed": int(counts["citation_needed"]), "markers": markers,
                "nlm_citations": int(counts["nlm"]), "citations": int(counts["definitions"]),
                "views_30d": views.get(article.title, 0), "last_revid": revision.revid,
                "last_edit": revision.timestamp, "refreshed_at": now, "refresh_error": "",
            }
        with transaction.atomic(durable=True):
            for pk, values in results.items():
                WorklistArticle.objects.filter(pk=pk).update(**values)
                refreshed += "refreshed_at" in values
    return refreshed


def _release_expired(article: WorklistArticle, now: datetime) -> None:
    ArticleClaim.objects.filter(article=article, released_at__isnull=True, expires_at__lte=now).update(
        released_at=now
    )


@transaction.atomic(durable=True)
def article_claim(
    *, user: AbstractBaseUser, article: WorklistArticle, hours: int = DEFAULT_CLAIM_HOURS,
    now: datetime | None = None,
) -> ArticleClaim:
    """Claim an article for ``hours``; the article's row is locked so two people cannot both take it."""
    now = now or timezone.now()
    article = lock_row(WorklistArticle.objects.select_related("worklist"), article.pk)
    participant = Participant.objects.filter(
        campaign_id=article.worklist.campaign_id, user=user, left__isnull=True
    ).first()
    if participant is None:
        raise CampaignsError(_("Register for the campaign first, then claim articles."))
    _release_expired(article, now)
    current = ArticleClaim.objects.filter(article=article, released_at__isnull=True).first()
    if current is not None:
        if current.user_id == user.pk:
            current.expires_at = now + timedelta(hours=hours)
            current.save(update_fields=["expires_at"])
            return current
        raise CampaignsError(_("Someone else is working on this article."))
    claim = ArticleClaim(article=article, user=user, participant=participant, claimed_at=now,
                         expires_at=now + timedelta(hours=hours))
    full_clean_or_raise(claim, CampaignsError)
    claim.save()
    audit_record(actor=user, action="article_claim.create", obj=claim)
    return claim


@transaction.atomic(durable=True)
def article_claim_release(*, user: AbstractBaseUser, article: WorklistArticle, now: datetime | None = None) -> None:
    """Give the article back: its claimant, or the worklist's manager, may."""
    now = now or timezone.now()
    article = lock_row(WorklistArticle.objects.select_related("worklist"), article.pk)
    claim = ArticleClaim.objects.filter(article=article, released_at__isnull=True).first()
    if claim is None:
        return
    if claim.user_id != user.pk and not worklist_manageable_by(user, article.worklist):
        raise CampaignsError(_("Only the person who claimed the article (or the worklist's author) releases it."))
    claim.released_at = now
    claim.save(update_fields=["released_at"])
    audit_record(actor=user, action="article_claim.release", obj=claim)
