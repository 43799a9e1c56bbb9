from __future__ import annotations

from django.apps import AppConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "crowdsci.events"
    verbose_name = _("Citizen Science Month")
    nav_order = 70
    demo_order = 70

    def navigation(self, request: HttpRequest) -> list:
        from django.urls import reverse
        from django.utils.translation import gettext as _

        from crowdsci.core.navigation import NavItem, is_current

        url = reverse("events-program")
        return [
            NavItem(
                label=_("Citizen Science Month"),
                url=url,
                description=_("Citizen-science events at libraries every April: calendar, map and registration."),
                current=is_current(request.path, url),
            )
        ]

    def program_card(self, request: HttpRequest):
        from django.urls import reverse
        from django.utils import timezone
        from django.utils.formats import date_format
        from django.utils.translation import gettext as _

        from crowdsci.core.navigation import ProgramCard
        from crowdsci.events import selectors

        edition = selectors.current_edition()
        if edition is None:
            return None
        if timezone.localdate() <= edition.signup_deadline:
            status = _("Libraries: sign up to host by %(date)s") % {
                "date": date_format(edition.signup_deadline, "DATE_FORMAT")  # in the reader's language
            }
        else:
            status = _("Find an event near you")
        return ProgramCard(
            label=_("Citizen Science Month"),
            url=reverse("events-program"),
            description=_("Every April, libraries host citizen-science events with SciStarter."),
            status=status,
            dates=(edition.starts_on, edition.ends_on),
        )

    def staff_navigation(self, request: HttpRequest) -> list:
        from django.urls import reverse
        from django.utils.translation import gettext as _

        from crowdsci.core.navigation import NavItem
        from crowdsci.events import selectors

        items = []
        if selectors.user_reviews_hosts(request.user):
            items.append(NavItem(label=_("Citizen Science Month hosts"), url=reverse("events-review")))
            items.append(NavItem(label=_("Citizen Science Month numbers"), url=reverse("events-numbers")))
        if selectors.network.user_is_network_staff(request.user):
            items.append(NavItem(label=_("Import featured projects"), url=reverse("events-projects-import")))
        return items

    def scheduled_jobs(self) -> list:
        from datetime import timedelta

        from crowdsci.core.scheduler import Job

        return [Job(name="events.reminders", every=timedelta(minutes=15), task="crowdsci.events.tasks.send_reminders")]

    def demo_load(self) -> None:
        from crowdsci.events.demo import load_demo_events

        load_demo_events()
