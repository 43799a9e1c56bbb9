"""Placeholder until the catalog lands: its categories, shown in the navigation as coming."""

from __future__ import annotations

from django.utils.translation import gettext as _


def category_nav_items() -> list[tuple[str, str | None, str]]:
    """(label, url, description) for each catalog category; url None while its page does not exist."""
    labels = [
        _("Membership"),
        _("Funding"),
        _("Training"),
        _("Topics"),
        _("Audiences"),
        _("Regional Focus"),
        _("Resource Sharing"),
    ]
    return [(label, None, "") for label in labels]
