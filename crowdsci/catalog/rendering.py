"""Markdown to safe HTML, plain text for the search index, and highlighted snippets that cannot inject HTML."""

from __future__ import annotations

import html
import re

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

# The database marks matches with these private-use characters; ``mark_highlights`` escapes everything else and
# only then turns them into <mark>. Guide text is stripped of them before it is indexed.
MATCH_START = "\ue000"
MATCH_END = "\ue001"

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "dl", "dt", "em",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "s", "strong", "sub",
    "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
# No style, no class, no event handler: nothing the Content-Security-Policy would have to block.
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

_markdown = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False}).enable("table")


def render_markdown(source: str) -> str:
    """Markdown (raw HTML allowed, then sanitized) to HTML safe to show as is.

    A level-one heading in the body becomes level two: the guide's title is the page's only h1.
    """
    rendered = _markdown.render(source.replace(MATCH_START, "").replace(MATCH_END, ""))
    rendered = rendered.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def html_to_text(safe_html: str) -> str:
    """The words of sanitized HTML, for the search index and snippets."""
    text = nh3.clean(safe_html.replace("<", " <"), tags=set(), attributes={})
    return " ".join(html.unescape(text).split())


_BALANCED_MATCH = re.compile(f"{MATCH_START}([^{MATCH_START}{MATCH_END}]*){MATCH_END}")


def mark_highlights(raw: str) -> SafeString:
    """Escape text from the database, then turn its match markers into <mark> elements.

    Escaping leaves the private-use markers alone, so only they can become tags; a stray marker is dropped.
    """
    escaped = html.escape(raw or "", quote=True)
    marked = _BALANCED_MATCH.sub(r"<mark>\1</mark>", escaped)
    return mark_safe(marked.replace(MATCH_START, "").replace(MATCH_END, ""))  # noqa: S308 - escaped above
