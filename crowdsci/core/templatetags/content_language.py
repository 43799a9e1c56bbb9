"""``{% content_lang code %}``: the ``lang`` and ``dir`` attributes of user content written in language ``code``.

Guides, pages, events and campaigns say which language their text is in; rendering that text with its own lang and
dir keeps English readable inside an Arabic page (and Arabic inside an English one), and lets screen readers pick
the right voice. Use it on the element around the content: ``<article {% content_lang guide.language %}>``.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language_info

register = template.Library()


def language_direction(code: str) -> str:
    try:
        return "rtl" if get_language_info(code)["bidi"] else "ltr"
    except KeyError:
        return "auto"  # a language Django does not know: let the browser look at the text


@register.simple_tag
def content_lang(code: str | None) -> SafeString:
    if not code:
        return format_html('dir="auto"')
    return format_html('lang="{}" dir="{}"', code, language_direction(code))


@register.filter
def isolate(value: object) -> SafeString:
    """``value`` in a ``<bdi>``: a visitor's words inside a translated sentence keep their own direction
    ("Results for “HIV/AIDS 2024”" is not reordered inside an Arabic heading). The message id stays the same."""
    return format_html("<bdi>{}</bdi>", value)
