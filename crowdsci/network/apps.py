from __future__ import annotations

from django.apps import AppConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "crowdsci.network"
    verbose_name = _("Network")
    nav_order = 50
    demo_order = 10  # first: every other app's demo data uses its organizations and people

    def navigation(self, request: HttpRequest) -> list:
        from django.urls import reverse
        from django.utils.translation import gettext as _

        from crowdsci.core.navigation import NavItem, is_current

        url = reverse("network-directory")
        return [
            NavItem(
                label=_("Member directory"),
                url=url,
                description=_("Find member libraries and organizations by region, state, type and affiliation."),
                current=is_current(request.path, url),
            )
        ]

    def staff_navigation(self, request: HttpRequest) -> list:
        from django.urls import reverse
        from django.utils.translation import gettext as _

        from crowdsci.core.navigation import NavItem
        from crowdsci.network import selectors

        if not selectors.user_works_in_admin(request.user):
            return []
        return [
            NavItem(label=_("Import organizations"), url=reverse("network-import")),
            NavItem(label=_("Administration"), url=reverse("admin:index")),
        ]

    def demo_load(self) -> None:
        from crowdsci.network.demo import load_demo_network

        load_demo_network()

    def demo_logins(self) -> list[tuple[str, str, str]]:
        from crowdsci.network.demo import demo_logins

        return demo_logins()
