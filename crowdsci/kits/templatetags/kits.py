from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def lookup(mapping: dict, key: str):
    """``mapping[key]``, or None: the reports' status counts by status code."""
    return mapping.get(key) if isinstance(mapping, dict) else None
