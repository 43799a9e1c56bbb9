"""The kits pages. Views stay thin: forms parse, selectors read (with role and region scoping), services write."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from crowdsci.core.csv import csv_streaming_response
from crowdsci.kits import forms, selectors, services
from crowdsci.kits.errors import KitsError
from crowdsci.kits.models import KitCopy, KitRequest, KitType, Loan


def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "kits/index.html",
        {
            "hold": selectors.shipping_hold(),
            "manages": selectors.user_manages_kits(request.user),
            "my_requests": selectors.requests_made_by(request.user),
        },
    )


# The requester's side ---------------------------------------------------------------------------------------


@ratelimit(key="ip", rate=lambda group, request: settings.KITS_REQUEST_RATE, method="POST", block=True)
def request_form(request: HttpRequest) -> HttpResponse:
    form = forms.KitRequestForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            kit_request = services.kit_request_submit(
                actor=request.user,
                kit_type=data["kit_type"],
                organization=data["organization"],
                contact_name=data["contact_name"],
                contact_email=data["contact_email"],
                contact_phone=data["contact_phone"],
                shipping_address=data["shipping_address"],
                intended_use=data["intended_use"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                audience_size=data["audience_size"],
                language=get_language() or "en",
            )
        except KitsError as exc:
            error = exc.message
        else:
            messages.success(request, _("Your request was received. Keep this page's address: it shows your request."))
            return redirect("kits-request-detail", public_id=kit_request.public_id)
    return render(
        request,
        "kits/request_form.html",
        {"form": form, "error": error, "hold": selectors.shipping_hold(), "has_kits": KitType.objects.exists()},
    )


@ratelimit(key="ip", rate="30/m", method="POST", block=True)
def request_detail(request: HttpRequest, public_id) -> HttpResponse:
    """The requester's own page, reached by its unguessable address: status, history, place, and actions."""
    kit_request = selectors.request_public(str(public_id))
    if kit_request is None:
        raise Http404
    loan = Loan.objects.select_related("copy").filter(request=kit_request).first()
    accept_form = None
    if kit_request.status == KitRequest.Status.OFFERED:
        accept_form = forms.OfferAcceptForm(
            request.POST if request.POST.get("action") == "accept" else None,
            initial={
                "shipping_address": kit_request.shipping_address,
                "start_date": kit_request.start_date,
                "end_date": kit_request.end_date,
            },
        )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "accept" and accept_form is not None:
                if accept_form.is_valid():
                    services.loan_offer_accept(actor=request.user, kit_request=kit_request, **accept_form.cleaned_data)
                    messages.success(request, _("Thank you: the kit will be shipped to this address."))
                    return redirect("kits-request-detail", public_id=public_id)
            elif action == "withdraw":
                services.kit_request_withdraw(actor=request.user, kit_request=kit_request)
                messages.success(request, _("Your request was withdrawn."))
                return redirect("kits-request-detail", public_id=public_id)
            elif action == "renew" and loan is not None:
                services.loan_renew(actor=request.user, loan=loan)
                messages.success(request, _("The loan was renewed."))
                return redirect("kits-request-detail", public_id=public_id)
        except KitsError as exc:
            messages.error(request, exc.message)
            return redirect("kits-request-detail", public_id=public_id)
    context = {
        "kit_request": kit_request,
        "loan": loan,
        "events": kit_request.events.all(),
        "position": selectors.queue_position(kit_request),
        "expected": selectors.expected_date(kit_request),
        "hold": selectors.shipping_hold(),
        "accept_form": accept_form,
        "can_withdraw": kit_request.status in ("submitted", "confirmed", "offered", "accepted"),
        "can_renew": loan is not None
        and loan.status == Loan.Status.ON_LOAN
        and not loan.renewed
        and not selectors.others_waiting(kit_request.kit_type_id),
    }
    response = render(request, "kits/request_detail.html", context)
    # The address is the key to the page; the site-wide Referrer-Policy (same-origin) never sends it to another
    # site. ("no-referrer" would make browsers send "Origin: null" with the page's forms, which CSRF refuses.)
    response["Cache-Control"] = "private, no-store"
    return response


# Staff and regional representatives -------------------------------------------------------------------------


def _require_manager(request: HttpRequest) -> None:
    if not selectors.user_manages_kits(request.user):
        raise PermissionDenied


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    status = request.GET.get("status", "open")
    requests = selectors.requests_visible_to(request.user)
    if status == "open":
        requests = requests.filter(status__in=("submitted", "confirmed", "offered", "accepted", "shipped", "delivered"))
    elif status in KitRequest.Status.values:
        requests = requests.filter(status=status)
    is_staff = selectors.user_is_staff(request.user)
    queues = []
    for kit_type in KitType.objects.all():
        entries = list(
            selectors.queue(kit_type).filter(pk__in=selectors.requests_visible_to(request.user).values("pk"))
        )
        queues.append({"kit_type": kit_type, "entries": entries})
    return render(
        request,
        "kits/manage.html",
        {
            "requests": requests.order_by(*selectors.QUEUE_ORDER)[:200],
            "status": status,
            "statuses": KitRequest.Status.choices,
            "queues": queues,
            "hold": selectors.shipping_hold(),
            "hold_form": forms.ReasonForm(),
            "is_staff": is_staff,
        },
    )


@login_required
@require_POST
def hold(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    form = forms.ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give the reason."))
        return redirect("kits-manage")
    on = request.POST.get("on") == "1"
    try:
        services.shipping_hold_set(actor=request.user, on=on, reason=form.cleaned_data["reason"])
    except KitsError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Shipping is now paused.") if on else _("Shipping has resumed."))
    return redirect("kits-manage")


@login_required
def manage_request(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    kit_request = selectors.requests_visible_to(request.user).filter(pk=pk).first()
    if kit_request is None:
        raise Http404
    loan = Loan.objects.select_related("copy").filter(request=kit_request).first()
    if request.method == "POST":
        action = request.POST.get("action", "")
        error = _manage_request_action(request, kit_request, loan, action)
        if error:
            messages.error(request, error)
        return redirect("kits-manage-request", pk=pk)
    return render(
        request,
        "kits/manage_request.html",
        {
            "kit_request": kit_request,
            "loan": loan,
            "events": kit_request.events.select_related("actor"),
            "position": selectors.queue_position(kit_request),
            "expected": selectors.expected_date(kit_request),
            "hold": selectors.shipping_hold(),
            "is_staff": selectors.user_is_staff(request.user),
            "can_act": selectors.user_can_act_on_request(request.user, kit_request),
            "decline_form": forms.ReasonForm(),
            "move_form": forms.MoveForm(),
            "ship_form": forms.ShipForm(),
        },
    )


def _manage_request_action(request: HttpRequest, kit_request: KitRequest, loan: Loan | None, action: str) -> str:
    """Run one action of the request page; returns an error message, or '' after a success message."""
    user = request.user
    try:
        if action == "confirm":
            services.kit_request_confirm_receipt(actor=user, kit_request=kit_request)
            messages.success(request, _("Receipt confirmed; the requester has been told."))
        elif action == "decline":
            form = forms.ReasonForm(request.POST)
            if not form.is_valid():
                return _("Please give the reason for declining.")
            services.kit_request_decline(actor=user, kit_request=kit_request, reason=form.cleaned_data["reason"])
            messages.success(request, _("The request was declined; the requester has been told."))
        elif action == "move":
            form = forms.MoveForm(request.POST)
            if not form.is_valid():
                return _("Please give the new place and the reason for the move.")
            place = services.kit_request_move(actor=user, kit_request=kit_request, **form.cleaned_data)
            messages.success(request, _("Moved to place %(place)s.") % {"place": place})
        elif action == "allocate":
            if not selectors.user_is_staff(user):
                raise PermissionDenied
            loan = services.loan_allocate_next(actor=user, kit_type=kit_request.kit_type)
            messages.success(
                request,
                _("Kit %(tag)s offered to %(organization)s.")
                % {"tag": loan.copy.asset_tag, "organization": loan.request.organization.name}
                if loan
                else _("No kit is free for the head of the queue right now."),
            )
        elif action == "ship" and loan is not None:
            form = forms.ShipForm(request.POST)
            if not form.is_valid():
                return _("Please give the carrier and the tracking number.")
            services.loan_ship(actor=user, loan=loan, **form.cleaned_data)
            messages.success(request, _("Marked as shipped; the requester has been told."))
        elif action == "deliver" and loan is not None:
            services.loan_deliver(actor=user, loan=loan)
            messages.success(request, _("Marked as delivered; the loan has started."))
        else:
            return _("Unknown action.")
    except KitsError as exc:
        return exc.message
    return ""


@login_required
def copies(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    is_staff = selectors.user_is_staff(request.user)
    form = forms.CopyCreateForm(request.POST or None) if is_staff else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                copy = services.kit_copy_create(actor=request.user, **form.cleaned_data)
            except KitsError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Copy %(tag)s added.") % {"tag": copy.asset_tag})
                return redirect("kits-copies")
    return render(
        request,
        "kits/copies.html",
        {"copies": selectors.copies_visible_to(request.user), "now": timezone.now(), "form": form},
    )


@login_required
def copy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    copy = selectors.copies_visible_to(request.user).filter(pk=pk).first()
    if copy is None:
        raise Http404
    is_staff = selectors.user_is_staff(request.user)
    return_form = forms.ReturnForm(contents=copy.kit_type.contents)
    sanitation_form = forms.SanitationForm(steps=copy.kit_type.sanitation_steps)
    status_form = forms.CopyStatusForm()
    if request.method == "POST":
        if not is_staff:
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "return":
                return_form = forms.ReturnForm(request.POST, contents=copy.kit_type.contents)
                if return_form.is_valid():
                    services.loan_return(actor=request.user, copy=copy, **return_form.cleaned_data)
                    messages.success(request, _("Return recorded; the kit now awaits sanitation."))
                    return redirect("kits-copy", pk=pk)
            elif action == "sanitize":
                sanitation_form = forms.SanitationForm(request.POST, steps=copy.kit_type.sanitation_steps)
                if sanitation_form.is_valid():
                    services.copy_sanitation_record(actor=request.user, copy=copy, **sanitation_form.cleaned_data)
                    messages.success(request, _("Sanitation recorded."))
                    return redirect("kits-copy", pk=pk)
            elif action == "status":
                status_form = forms.CopyStatusForm(request.POST)
                if status_form.is_valid():
                    services.copy_status_set(actor=request.user, copy=copy, **status_form.cleaned_data)
                    messages.success(request, _("Status changed."))
                    return redirect("kits-copy", pk=pk)
        except KitsError as exc:
            messages.error(request, exc.message)
            return redirect("kits-copy", pk=pk)
    return render(
        request,
        "kits/copy_detail.html",
        {
            "copy": copy,
            "loan": selectors.open_loan_of(copy),
            "history": copy.history.select_related("actor")[:50],
            "loans": copy.loans.select_related("request__organization")[:20],
            "is_staff": is_staff,
            "return_form": return_form,
            "sanitation_form": sanitation_form,
            "status_form": status_form,
            "statuses": dict(KitCopy.Status.choices),
        },
    )


# Kit resources ----------------------------------------------------------------------------------------------


def resources(request: HttpRequest) -> HttpResponse:
    """The sanitation guide (HTML, printable, PDF) and the activity guide's audio in six languages, the
    visitor's UI language first."""
    return render(
        request,
        "kits/resources.html",
        {
            "kit_types": KitType.objects.all(),
            "audio_languages": selectors.audio_by_language(get_language() or "en"),
            "can_upload": selectors.user_is_staff(request.user),
        },
    )


def sanitation_pdf(request: HttpRequest) -> HttpResponse:
    from crowdsci.kits.pdf import sanitation_guide_pdf

    response = HttpResponse(sanitation_guide_pdf(list(KitType.objects.all())), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="test-the-waters-sanitation-guide.pdf"'
    return response


@login_required
@ratelimit(key="user", rate="60/h", method="POST", block=True)
def audio_upload(request: HttpRequest) -> HttpResponse:
    if not selectors.user_is_staff(request.user):
        raise PermissionDenied
    form = forms.AudioUploadForm(request.POST or None, request.FILES or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        limit = settings.KITS_AUDIO_MAX_BYTES
        if upload.size > limit:
            error = _("The file is larger than %(limit)s MB; please upload a smaller file.") % {
                "limit": limit // (1024 * 1024)
            }
        else:
            try:
                track = services.audio_track_upload(
                    actor=request.user,
                    language=form.cleaned_data["language"],
                    number=form.cleaned_data["number"],
                    title=form.cleaned_data["title"],
                    transcript=form.cleaned_data["transcript"],
                    data=upload.read(),
                )
            except KitsError as exc:
                error = exc.message
            else:
                messages.success(
                    request,
                    _("Track %(number)s (%(language)s) saved: %(duration)s.")
                    % {
                        "number": track.number,
                        "language": track.get_language_display(),
                        "duration": track.duration_display,
                    },
                )
                return redirect("kits-audio-upload")
    return render(request, "kits/audio_upload.html", {"form": form, "error": error})


def audio_file(request: HttpRequest, pk: int) -> FileResponse:
    """A track's file, served by the app (media files are not otherwise served in production), with the type
    read from the file at upload; ``?download=1`` saves it instead of playing it."""
    track = selectors.audio_track(pk)
    if track is None or not track.file or not track.file.storage.exists(track.file.name):
        raise Http404
    download = request.GET.get("download") == "1"
    filename = f"test-the-waters-{track.language}-{track.number:02d}{track.extension}"
    response = FileResponse(
        track.file.open("rb"), content_type=track.content_type, as_attachment=download, filename=filename
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response


# Reports ----------------------------------------------------------------------------------------------------


@login_required
def reports(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    region_reports = selectors.report_regions(request.user)
    return render(
        request,
        "kits/reports.html",
        {
            "region_reports": region_reports,
            "statuses": KitRequest.Status.choices,
            "loans_per_copy": selectors.report_loans_per_copy(request.user),
            "overdue": selectors.report_overdue_loans(request.user),
            "is_staff": selectors.user_is_staff(request.user),
        },
    )


@login_required
def reports_export(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    return csv_streaming_response(
        "kit-requests.csv", selectors.REPORT_CSV_COLUMNS, selectors.report_csv_rows(request.user)
    )
