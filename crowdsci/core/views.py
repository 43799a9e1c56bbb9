from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "429.html", status=429)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "core/error.html",
        {"title": _("Access denied"), "message": _("You do not have permission to see this page.")},
        status=403,
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "core/error.html",
        {"title": _("Page not found"), "message": _("We could not find the page you asked for.")},
        status=404,
    )


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without a request context: the failure may have come from a context processor or the database.
    from django.template import loader

    template = loader.get_template("500.html")
    return HttpResponse(template.render(), status=500)
