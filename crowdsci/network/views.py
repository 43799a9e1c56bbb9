from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django_ratelimit.decorators import ratelimit

from crowdsci.core.csv import csv_streaming_response
from crowdsci.network import organization_csv, selectors, services
from crowdsci.network.errors import NetworkError
from crowdsci.network.forms import DirectoryFilterForm, ImportConfirmForm, ImportUploadForm
from crowdsci.network.organization_csv import COLUMNS

DIRECTORY_PAGE_SIZE = 25


def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET)
    filters = form.filters()
    organizations = selectors.organizations_directory(filters)
    page = Paginator(organizations, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    filter_query = urlencode([(key, request.GET[key]) for key in form.fields if request.GET.get(key)])
    context = {
        "form": form,
        "filters": filters,
        "page": page,
        "filter_query": filter_query,
        "can_import": selectors.user_works_in_admin(request.user),
    }
    # A history restore asks for the whole page even though it comes from htmx.
    if request.htmx and not request.htmx.history_restore_request:
        response = render(request, "network/_directory_results.html", context)
    else:
        response = render(request, "network/directory.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def directory_export(request: HttpRequest) -> HttpResponse:
    filters = DirectoryFilterForm(request.GET).filters()
    # Streamed: chunked iteration keeps memory flat; prefetching affiliations needs chunk_size.
    organizations = selectors.organizations_directory(filters).iterator(chunk_size=500)
    return csv_streaming_response("member-organizations.csv", COLUMNS, organization_csv.export_rows(organizations))


def organization_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organization = selectors.organization_public(slug)
    if organization is None:
        raise Http404
    return render(request, "network/organization_detail.html", {"organization": organization})


@login_required
@ratelimit(key="user_or_ip", rate="30/m", method="POST", block=True)
def organization_import(request: HttpRequest) -> HttpResponse:
    """Upload a CSV, see what it would do (a dry run), then confirm to import it."""
    if not selectors.user_works_in_admin(request.user):
        raise PermissionDenied
    context = {
        "columns": COLUMNS,
        "upload_form": ImportUploadForm(),
        "states": selectors.jurisdictions_manageable_by(request.user).select_related("region").order_by("code"),
        "is_staff": selectors.user_is_network_staff(request.user),
    }
    if request.method == "POST":
        if "csv_text" in request.POST:
            confirm_form = ImportConfirmForm(request.POST)
            if confirm_form.is_valid():
                context.update(_import_run(request, confirm_form.cleaned_data["csv_text"], dry_run=False))
            else:
                context["error"] = _("The file to import did not come back with the confirmation; upload it again.")
        else:
            upload_form = ImportUploadForm(request.POST, request.FILES)
            context["upload_form"] = upload_form
            if upload_form.is_valid():
                try:
                    text = organization_csv.decode_upload(upload_form.cleaned_data["file"].read())
                except NetworkError as error:
                    context["error"] = error.message
                else:
                    context.update(_import_run(request, text, dry_run=True))
                    if context.get("report") and context["report"].ok:
                        context["confirm_form"] = ImportConfirmForm(initial={"csv_text": text})
    return render(request, "network/import.html", context)


def _import_run(request: HttpRequest, text: str, *, dry_run: bool) -> dict:
    try:
        report = services.organizations_import_csv(actor=request.user, text=text, dry_run=dry_run)
    except NetworkError as error:
        return {"error": error.message}
    if report.written:
        return {
            "report": report,
            "done": _("Imported: %(created)s created, %(updated)s updated.")
            % {
                "created": report.to_create,
                "updated": report.to_update,
            },
        }
    return {"report": report}
