from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django_ratelimit.decorators import ratelimit

from crowdsci.accounts.forms import ProfileForm
from crowdsci.network import selectors, services
from crowdsci.network.errors import NetworkError


@login_required
@ratelimit(key="user", rate="30/m", method="POST", block=True)
def profile(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                services.profile_update(user=request.user, **form.cleaned_data)
            except NetworkError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Your profile was saved."))
                response = redirect("accounts-profile")
                language = form.cleaned_data["preferred_language"]
                translation.activate(language)
                response.set_cookie(
                    "django_language", language, samesite="Lax", secure=request.is_secure(), max_age=365 * 24 * 3600
                )
                return response
    else:
        # Reading the page writes nothing: someone without a profile yet sees its defaults; saving creates it.
        profile = selectors.profile_or_blank(request.user)
        form = ProfileForm(
            initial={
                "display_name": profile.display_name,
                "organization": profile.organization,
                "wikipedia_username": profile.wikipedia_username,
                "preferred_language": profile.preferred_language,
            }
        )
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "roles": selectors.role_assignments_visible_to(request.user).filter(user=request.user),
        },
    )
