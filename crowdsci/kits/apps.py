from __future__ import annotations

from django.apps import AppConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class KitsConfig(AppConfig):
    name = "crowdsci.kits"
    verbose_name = _("Test the Waters kits")
    nav_order = 80
    demo_order = 80

    def navigation(self, request: HttpRequest) -> list:
        from django.urls import reverse
        from django.utils.translation import gettext as _

        from crowdsci.core.navigation import NavItem, is_current

        url = reverse("kits-index")
        return [
            NavItem(
                label=_("Test the Waters kits"),
                url=url,
                description=_("Borrow a water-testing kit for your library, and use its guides in six languages."),
                current=is_current(request.path, url),
            )
        ]

    def program_card(self, request: HttpRequest):
        """The kits' card on the home and CCS pages: what they are, and whether shipping is paused."""
        from django.urls import reverse
        from django.utils.translation import gettext as _

        from crowdsci.core.navigation import ProgramCard
        from crowdsci.kits.models import ShippingHold

        # A read, never get_or_create: the home page must not write. No row means shipping was never paused.
        paused = ShippingHold.objects.filter(pk=1, is_on=True).exists()
        return ProgramCard(
            label=_("Test the Waters kits"),
            url=reverse("kits-index"),
            description=_(
                "Water-testing kits libraries borrow for their communities, with an activity guide in six languages; "
                "rural and bookmobile libraries are served first."
            ),
            status=_("Shipping paused: requests are still taken") if paused else _("Requests open"),
        )

    def staff_navigation(self, request: HttpRequest) -> list:
        from django.urls import reverse
        from django.utils.translation import gettext as _

        from crowdsci.core.navigation import NavItem
        from crowdsci.kits import selectors

        if not selectors.user_manages_kits(request.user):
            return []
        return [
            NavItem(label=_("Kit requests"), url=reverse("kits-manage")),
            NavItem(label=_("Kit copies"), url=reverse("kits-copies")),
            NavItem(label=_("Kit reports"), url=reverse("kits-reports")),
        ]

    def scheduled_jobs(self) -> list:
        from datetime import timedelta

        from crowdsci.core.scheduler import Job

        return [
            Job(
                name="kits.remind_unconfirmed",
                every=timedelta(hours=1),
                task="crowdsci.kits.tasks.remind_unconfirmed_requests",
            ),
            Job(name="kits.expire_offers", every=timedelta(minutes=15), task="crowdsci.kits.tasks.expire_offers"),
            Job(name="kits.loan_notices", every=timedelta(hours=6), task="crowdsci.kits.tasks.send_loan_notices"),
            Job(name="kits.allocate", every=timedelta(minutes=15), task="crowdsci.kits.tasks.allocate_free_kits"),
        ]

    def demo_load(self) -> None:
        from crowdsci.kits.demo import load_demo_kits

        load_demo_kits()
