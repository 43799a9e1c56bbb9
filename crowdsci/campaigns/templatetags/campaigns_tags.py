"""Small filters of the campaign pages: Wikipedia links, citation labels and the citations an edit added (all
output is escaped by Django)."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from crowdsci.campaigns import citation_links, wiki
from crowdsci.campaigns.models import TrackedEdit
from crowdsci.campaigns.selectors.dashboard import NLM_SOURCE_LABELS

register = template.Library()


@register.filter
def diff_url(edit) -> str:
    return wiki.diff_url(edit.wiki, edit.revid)


@register.filter
def article_url(key_or_edit, title: str | None = None) -> str:
    if hasattr(key_or_edit, "page_title"):
        return wiki.article_url(key_or_edit.wiki, key_or_edit.page_title)
    wiki_name, _sep, page = str(key_or_edit).partition(":")
    return wiki.article_url(wiki_name, page)


@register.filter
def nlm_label(source: str) -> str:
    if source == "nlm-other":
        return _("Other NLM")
    return NLM_SOURCE_LABELS.get(source, source)


@register.filter
def added_citations(edit, limit: int = TrackedEdit.CITATIONS_KEPT) -> citation_links.AddedCitations:
    """The citations an edit added, each identifier linked when well formed (see campaigns.citation_links)."""
    return citation_links.added_citations(edit, int(limit))


@register.filter
def wiki_article_url(article) -> str:
    return wiki.article_url(article.wiki, article.title)
