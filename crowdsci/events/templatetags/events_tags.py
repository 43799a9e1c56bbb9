from __future__ import annotations

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import _json_script_escapes, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def ld_json_script(value: object) -> SafeString:
    """``value`` as a ``<script type="application/ld+json">`` data block, escaped as Django's ``json_script`` does
    (``<``, ``>``, ``&`` as ``\\u`` escapes), so no text inside can end the element. A data block is never run,
    so the Content-Security-Policy (``script-src 'self'``, no inline execution) has nothing to forbid."""
    text = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_json_script_escapes)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


@register.filter
def select_options(bound_field) -> list[tuple[str, str, bool]]:
    """(value, label, selected) for a select's options, so a filter bar renders them in one loop instead of one
    widget template per option (the list pages render four selects with about a hundred options)."""
    current = bound_field.value()
    current = "" if current is None else str(current)
    return [(str(value), str(label), str(value) == current) for value, label in bound_field.field.choices]
