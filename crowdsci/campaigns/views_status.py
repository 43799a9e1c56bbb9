"""The tracker's status page for network staff: stream health, lag, counters, and edits waiting or failing."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from crowdsci.campaigns.selectors.tracker import tracker_status
from crowdsci.network.selectors import user_is_network_staff


def status(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    if not user_is_network_staff(request.user):
        raise PermissionDenied
    return render(request, "campaigns/status.html", {"status": tracker_status()})
