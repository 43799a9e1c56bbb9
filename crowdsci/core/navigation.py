"""The site's main navigation: the catalog's categories, the directory, and the programs."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str | None  # None: the page does not exist yet and is shown as coming, never as a link.
    description: str = ""
    current: bool = False


def navigation_items(request: HttpRequest) -> list[NavItem]:
    from crowdsci.catalog.selectors import category_nav_items

    path = request.path
    items = [
        NavItem(label=label, url=url, description=description, current=bool(url) and path.startswith(url))
        for label, url, description in category_nav_items()
    ]
    directory_url = reverse("network-directory")
    items.append(
        NavItem(
            label=_("Member directory"),
            url=directory_url,
            description=_("Find member libraries and organizations by region, state, type and affiliation."),
            current=path.startswith(directory_url),
        )
    )
    items.append(
        NavItem(
            label=_("Crowdsourcing & Citizen Science"),
            url=None,
            description=_("#CiteNLM Wikipedia edit-a-thons, Citizen Science Month and Test the Waters kits."),
        )
    )
    return items
