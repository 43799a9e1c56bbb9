"""Reads of worklists: their articles with the open claim, and the campaign's "needs citations" ranking."""

from __future__ import annotations

from django.db.models import Count, F, FilteredRelation, Min, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Greatest, Ln
from django.utils import timezone

from crowdsci.campaigns.models import Campaign, Worklist, WorklistArticle


def worklists_with_counts(campaign: Campaign) -> QuerySet[Worklist]:
    return Worklist.objects.filter(campaign=campaign).annotate(
        article_count=Count("articles"),
        markers=Coalesce(Sum("articles__citation_needed"), Value(0)),
    ).order_by("name")


def _with_open_claim(articles: QuerySet[WorklistArticle]) -> QuerySet[WorklistArticle]:
    now = timezone.now()
    return articles.annotate(
        open_claim=FilteredRelation("claims", condition=Q(claims__released_at__isnull=True,
                                                          claims__expires_at__gt=now)),
    ).annotate(
        claimed_by=F("open_claim__user_id"), claim_expires=F("open_claim__expires_at"),
        claim_participant=F("open_claim__participant_id"),
    )


def worklist_articles(worklist: Worklist) -> QuerySet[WorklistArticle]:
    return _with_open_claim(worklist.articles.all()).order_by(
        F("citation_needed").desc(nulls_last=True), "title"
    )


def worklist_article(pk: int) -> WorklistArticle:
    return _with_open_claim(WorklistArticle.objects.filter(pk=pk)).select_related("worklist").get()


def needs_citations(campaign: Campaign) -> QuerySet[WorklistArticle]:
    """The campaign's articles with citation-needed markers, most markers weighted by readership first:
    markers × ln(e + views over 30 days), so a much-read article with a few gaps comes before an unread one
    with many. Each title once, even if it is on two of the campaign's worklists."""
    articles = WorklistArticle.objects.filter(worklist__campaign=campaign, citation_needed__gt=0, missing=False)
    keep = articles.values("wiki", "title").annotate(first=Min("id")).values("first")
    articles = WorklistArticle.objects.filter(id__in=keep)
    return _with_open_claim(articles).annotate(
        weight=F("citation_needed") * Ln(Greatest(Coalesce(F("views_30d"), Value(0)), Value(0)) + Value(2.718281828))
    ).order_by("-weight", "title")
