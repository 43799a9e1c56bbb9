from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse

from crowdsci.catalog.selectors import category_nav_items
from crowdsci.catalog.taxonomy_data import REGIONS_CATEGORY
from crowdsci.network.selectors import jurisdictions_for_finder
from crowdsci.site.models import SitePage
from crowdsci.site.programs import program_cards


def home(request: HttpRequest) -> HttpResponse:
    context = {
        "categories": category_nav_items(),
        "program_cards": program_cards(request),
        "jurisdictions": jurisdictions_for_finder(),
        "regions_url": reverse("catalog-category", kwargs={"category": REGIONS_CATEGORY}),
    }
    return render(request, "site/home.html", context)


def ccs(request: HttpRequest) -> HttpResponse:
    """The Crowdsourcing & Citizen Science overview: the network's own text (staff edit it), then the programs."""
    context = {
        "page": SitePage.objects.filter(key=SitePage.Key.CCS).first(),
        "program_cards": program_cards(request),
    }
    return render(request, "site/ccs.html", context)


def favicon(request: HttpRequest) -> HttpResponse:
    # Browsers ask for /favicon.ico whatever the page links to; answer with the icon rather than a logged 404.
    return redirect(static("crowdsci/favicon.svg"), permanent=True)
