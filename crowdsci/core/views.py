from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "429.html", status=429)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Someone not signed in may well have access once they are: send them to the sign-in page, which brings
    # them back here, rather than a bare "Access denied".
    user = getattr(request, "user", None)
    if user is not None and not user.is_authenticated and request.method in ("GET", "HEAD"):
        return redirect_to_login(request.get_full_path())
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
