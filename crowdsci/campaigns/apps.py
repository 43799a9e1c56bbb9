from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "crowdsci.campaigns"
    verbose_name = _("#CiteNLM campaigns")
    nav_order = 60
    demo_order = 60
