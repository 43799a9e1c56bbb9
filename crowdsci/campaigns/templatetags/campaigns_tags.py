"""Small filters of the campaign pages: Wikipedia links and citation labels (all output is escaped by Django)."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from crowdsci.campaigns import wiki
from crowdsci.campaigns.selectors.dashboard import NLM_SOURCE_LABELS

register = template.Library()

IDENTIFIER_LINKS = {
    "pmid": ("PMID", "https://pubmed.ncbi.nlm.nih.gov/{}/"),
    "pmcid": ("PMC", "https://www.ncbi.nlm.nih.gov/pmc/articles/{}/"),
    "doi": ("DOI", "https://doi.org/{}"),
}


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
def added_citations(edit) -> list[dict]:
    """The identifiers an edit added, linked (PubMed, PMC, the DOI resolver), when the credit lists them."""
    found = []
    for kind, values in (edit.identifiers_added or {}).items():
        if kind not in IDENTIFIER_LINKS or not isinstance(values, list):
            continue
        label, pattern = IDENTIFIER_LINKS[kind]
        for value in values[:10]:
            found.append({"label": label, "value": str(value), "url": pattern.format(value)})
    return found


@register.filter
def wiki_article_url(article) -> str:
    return wiki.article_url(article.wiki, article.title)
