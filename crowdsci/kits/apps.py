from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KitsConfig(AppConfig):
    name = "crowdsci.kits"
    verbose_name = _("Test the Waters kits")
    nav_order = 80
    demo_order = 80
