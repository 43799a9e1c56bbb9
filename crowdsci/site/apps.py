from __future__ import annotations

from django.apps import AppConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    name = "crowdsci.site"
    label = "site"
    verbose_name = _("Site")
    nav_order = 20  # after "All guides", before the directory: the programs are the network's other half
    demo_order = 90

    def navigation(self, request: HttpRequest) -> list:
        from django.urls import reverse
        from django.utils.translation import gettext as _

        from crowdsci.core.navigation import NavItem, is_current

        url = reverse("site-ccs")
        return [
            NavItem(
                label=_("Crowdsourcing & Citizen Science"),
                url=url,
                description=_("#CiteNLM Wikipedia edit-a-thons, Citizen Science Month and Test the Waters kits."),
                current=is_current(request.path, url),
            )
        ]

    def staff_navigation(self, request: HttpRequest) -> list:
        from django.urls import reverse
        from django.utils.translation import gettext as _

        from crowdsci.core.navigation import NavItem
        from crowdsci.network.selectors import user_is_network_staff
        from crowdsci.site.models import SitePage

        if not user_is_network_staff(request.user):
            return []
        page = SitePage.objects.filter(key=SitePage.Key.CCS).values_list("pk", flat=True).first()
        url = reverse("admin:site_sitepage_change", args=[page]) if page else reverse("admin:site_sitepage_add")
        return [
            NavItem(label=_("Edit the Crowdsourcing & Citizen Science page"), url=url),
            NavItem(label=_("Status"), url=reverse("site-status")),
        ]

    def metric_gauges(self) -> list:
        # The tracker's lag, events and credits for /metrics (crowdsci.core.metrics collects them at scrape time).
        from crowdsci.site.status import tracker_gauges

        return tracker_gauges()

    def demo_load(self) -> None:
        from crowdsci.site.demo import load_demo_site

        load_demo_site()
