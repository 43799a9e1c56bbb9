from __future__ import annotations

from django.apps import AppConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    name = "crowdsci.site"
    label = "site"
    verbose_name = _("Site")
    nav_order = 90

    def navigation(self, request: HttpRequest) -> list:
        from django.utils.translation import gettext as _

        from crowdsci.core.navigation import NavItem

        # The programs' overview page; until it exists it shows as coming, never as a dead link.
        return [
            NavItem(
                label=_("Crowdsourcing & Citizen Science"),
                url=None,
                description=_("#CiteNLM Wikipedia edit-a-thons, Citizen Science Month and Test the Waters kits."),
            )
        ]
