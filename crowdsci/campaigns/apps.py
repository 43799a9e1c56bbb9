from __future__ import annotations

from django.apps import AppConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "crowdsci.campaigns"
    verbose_name = _("#CiteNLM campaigns")
    nav_order = 60
    demo_order = 60

    def scheduled_jobs(self) -> list:
        from datetime import timedelta

        from crowdsci.core.scheduler import Job

        # Reverts and revision deletions happen within hours of an edit; an hourly re-check keeps the totals honest.
        return [
            Job(name="campaigns.refresh_edits", every=timedelta(hours=1), task="crowdsci.campaigns.tasks.refresh_edits")
        ]

    def staff_navigation(self, request: HttpRequest) -> list:
        from django.urls import reverse
        from django.utils.translation import gettext as _

        from crowdsci.core.navigation import NavItem
        from crowdsci.network.selectors import user_is_network_staff

        if not user_is_network_staff(request.user):
            return []
        return [NavItem(label=_("Edit tracker status"), url=reverse("campaigns-status"))]

    def demo_load(self) -> None:
        from crowdsci.campaigns.demo import load_demo_campaign

        load_demo_campaign()
