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
            Job(
                name="campaigns.refresh_edits", every=timedelta(hours=1), task="crowdsci.campaigns.tasks.refresh_edits"
            ),
            *self.page_scheduled_jobs(),
        ]

    def staff_navigation(self, request: HttpRequest) -> list:
        from django.urls import reverse
        from django.utils.translation import gettext as _

        from crowdsci.core.navigation import NavItem
        from crowdsci.network.selectors import user_is_network_staff

        if not user_is_network_staff(request.user):
            return []
        return [NavItem(label=_("Edit tracker status"), url=reverse("campaigns-status")),
                *self.page_staff_navigation(request)]

    def demo_load(self) -> None:
        from crowdsci.campaigns.demo import DEMO_SLUG, load_demo_campaign
        from crowdsci.campaigns.page_demo import load_demo_pages, load_demo_upcoming_campaign

        load_demo_campaign()
        load_demo_pages(DEMO_SLUG)
        load_demo_upcoming_campaign()

    # --- the campaign pages' contributions (the tracker's are above) ---
    def navigation(self, request: HttpRequest) -> list:
        from django.urls import reverse
        from django.utils.translation import gettext as _

        from crowdsci.core.navigation import NavItem, is_current

        url = reverse("campaigns-list")
        return [
            NavItem(
                label=_("#CiteNLM edit-a-thons"),
                url=url,
                description=_("Add citations to NLM sources on Wikipedia: live dashboards, worklists and events."),
                current=is_current(request.path, url),
            )
        ]

    def program_card(self, request: HttpRequest):
        from django.urls import reverse
        from django.utils.translation import gettext as _

        from crowdsci.campaigns.selectors.dashboard import campaigns_listed
        from crowdsci.core.navigation import ProgramCard

        groups = dict(campaigns_listed())
        shown = (groups["current"] or groups["upcoming"] or [None])[0]
        status, dates = "", None
        if shown is not None:
            running = shown in groups["current"]
            # The name isolated (FSI … PDI): "#CiteNLM Spring 2027" keeps its order inside an Arabic sentence.
            name = f"\u2068{shown.name}\u2069"
            status = (_("%(name)s: running now") if running else _("%(name)s: coming up")) % {"name": name}
            dates = (shown.first_day, shown.last_day)
        return ProgramCard(
            label=_("#CiteNLM Wikipedia edit-a-thons"),
            url=reverse("campaigns-list"),
            description=_("Add citations to National Library of Medicine sources to Wikipedia's health articles and "
                          "tag your edits #CiteNLM: every edit counted live."),
            status=status,
            dates=dates,
        )

    def page_staff_navigation(self, request: HttpRequest) -> list:
        from django.urls import reverse
        from django.utils.translation import gettext as _

        from crowdsci.campaigns.selectors.access import user_manages_campaigns
        from crowdsci.core.navigation import NavItem

        if not user_manages_campaigns(request.user):
            return []
        return [NavItem(label=_("New campaign"), url=reverse("campaigns-create"))]


    def page_scheduled_jobs(self) -> list:
        from datetime import timedelta

        from crowdsci.core.scheduler import Job

        return [
            Job(name="campaigns.worklists_refresh", every=timedelta(minutes=30),
                task="crowdsci.campaigns.page_tasks.worklists_refresh_due"),
            Job(name="campaigns.usernames_recheck", every=timedelta(minutes=30),
                task="crowdsci.campaigns.page_tasks.usernames_recheck"),
            Job(name="campaigns.network_rollup", every=timedelta(minutes=10),
                task="crowdsci.campaigns.page_tasks.network_rollup_refresh"),
            Job(name="campaigns.counts", every=timedelta(minutes=1),
                task="crowdsci.campaigns.page_tasks.campaign_counts_refresh"),
            Job(name="campaigns.article_views", every=timedelta(minutes=30),
                task="crowdsci.campaigns.page_tasks.article_views_refresh_due"),
        ]
