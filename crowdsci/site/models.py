"""Pages whose text is the network's, edited by staff: the Crowdsourcing & Citizen Science overview (``/ccs/``).

A page is network data like a guide (Markdown, sanitized as guides are, in a stated language), not a template, so
another network writes its own. It is not a guide: it is a fixed page of the site with the program cards under its
text, it has no taxonomy and it must not turn up among the catalog's search results.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SitePage(models.Model):
    class Key(models.TextChoices):
        CCS = "ccs", _("Crowdsourcing & Citizen Science overview")

    key = models.CharField(_("page"), max_length=32, unique=True, choices=Key.choices)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=500, blank=True, help_text=_("The lead paragraph."))
    body = models.TextField(
        _("body"), blank=True, help_text=_("Markdown. Scripts, event handlers and styles are removed.")
    )
    # Derived on save by the service: the sanitized HTML shown on the page.
    body_html = models.TextField(_("rendered body"), blank=True, editable=False)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("The language the text is written in, so browsers and screen readers read it correctly."),
    )
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("site page")
        verbose_name_plural = _("site pages")
        constraints = [models.CheckConstraint(condition=Q(key__in=["ccs"]), name="site_page_key_known")]

    def __str__(self) -> str:
        return self.get_key_display()
