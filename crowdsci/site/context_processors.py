from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from crowdsci.site.navigation import navigation_items, staff_navigation_items


def site(request: HttpRequest) -> dict[str, object]:
    return {
        "NETWORK_NAME": settings.NETWORK_NAME,
        "NETWORK_SHORT_NAME": settings.NETWORK_SHORT_NAME,
        "SHOW_DEMO_BANNER": settings.PROFILE == "development",
        "nav_items": navigation_items(request),
        # Lazy: only pages that show the staff menu pay for its queries.
        "staff_nav_items": SimpleLazyObject(lambda: staff_navigation_items(request)),
    }
