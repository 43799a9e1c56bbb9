"""Writes of the site's own pages: one service renders, sanitizes, validates, saves and audits."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from crowdsci.catalog.rendering import render_markdown
from crowdsci.core.audit import audit_record
from crowdsci.core.errors import full_clean_or_raise
from crowdsci.network.selectors import user_is_network_staff
from crowdsci.site.errors import SiteError
from crowdsci.site.models import SitePage


@transaction.atomic(durable=True)
def site_page_save(
    *,
    actor: AbstractBaseUser | None,
    key: str,
    title: str,
    summary: str,
    body: str,
    language: str,
) -> SitePage:
    """Create or replace the text of the page ``key``. Staff only (``actor=None`` is the system: demo, tests)."""
    if actor is not None and not user_is_network_staff(actor):
        raise SiteError(_("Only network staff can edit this page."))
    page = SitePage.objects.select_for_update().filter(key=key).first() or SitePage(key=key)
    created = page.pk is None
    page.title = title.strip()
    page.summary = summary.strip()
    page.body = body
    page.language = language
    page.body_html = render_markdown(body)
    full_clean_or_raise(page, SiteError)
    page.save()
    audit_record(actor=actor, action="site_page.create" if created else "site_page.update", obj=page)
    return page
