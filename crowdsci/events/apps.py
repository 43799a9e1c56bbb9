from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "crowdsci.events"
    verbose_name = _("Citizen Science Month")
    nav_order = 70
    demo_order = 70
