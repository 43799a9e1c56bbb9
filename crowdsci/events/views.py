from __future__ import annotations

import calendar as pycalendar
import datetime
import json
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django_ratelimit.decorators import ratelimit

from crowdsci.core.csv import csv_streaming_response
from crowdsci.events import forms, jsonld, links, project_file, selectors, services
from crowdsci.events.errors import EventsError
from crowdsci.events.models import Event, FeaturedProject, Host, Registration
from crowdsci.network.models import Jurisdiction

LIST_PAGE_SIZE = 25
DAY_CELL_LIMIT = 3  # events shown in one day of the month grid; the rest behind "n more"
MAP_MAX_POINTS = 300  # markers sent to the map; beyond this the map shows state totals and asks to narrow
MAP_CACHE_SECONDS = 600  # map data and month grids; the events' version in the key makes changes show at once


def _filter_query(request: HttpRequest, form: forms.EventFilterForm, *, drop: tuple[str, ...] = ()) -> str:
    return urlencode([(key, request.GET[key]) for key in form.fields if request.GET.get(key) and key not in drop])


def _edition_or_404():
    edition = selectors.current_edition()
    if edition is None:
        raise Http404(_("There is no Citizen Science Month edition yet."))
    return edition


# The public side -------------------------------------------------------------------------------------------


def program(request: HttpRequest) -> HttpResponse:
    edition = selectors.current_edition()
    upcoming = []
    if edition is not None:
        upcoming = list(
            selectors.events_public(edition, selectors.EventFilters()).filter(
                ends_at__gte=timezone.now(), status=Event.Status.SCHEDULED
            )[:6]
        )
    context = {
        "edition": edition,
        "upcoming": upcoming,
        "projects": FeaturedProject.objects.order_by("-created", "title")[:6],
        "signup_open": edition is not None and timezone.localdate() <= edition.signup_deadline,
    }
    return render(request, "events/program.html", context)


def _month(request: HttpRequest, edition) -> datetime.date:
    try:
        year, month = (int(part) for part in request.GET.get("month", "").split("-"))
        return datetime.date(year, month, 1)
    except ValueError:
        return edition.starts_on.replace(day=1)


def calendar(request: HttpRequest) -> HttpResponse:
    """The events of the current edition as a month grid or a list, filtered; filters live in the URL."""
    edition = _edition_or_404()
    form = forms.EventFilterForm(request.GET)
    view = "month" if request.GET.get("view") == "month" else "list"
    context = {"edition": edition, "form": form, "view": view, "filter_query": _filter_query(request, form)}
    if view == "month":
        context.update(_month_grid(request, edition, form, _month(request, edition)))
    else:
        events = selectors.events_public(edition, form.filters())
        page = Paginator(events, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
        context["page"] = page
    return render(request, "events/calendar.html", context)


class _MonthGrid:
    """A month's weeks, each day with its first few events and the count of the rest. Read from the database
    only when the template renders the grid, that is when the cached grid (keyed on the events' version) is
    missing."""

    def __init__(self, events, first: datetime.date, next_month: datetime.date) -> None:
        self.in_month = selectors.events_in_month(events, first, next_month)
        self.first = first

    @cached_property
    def weeks(self) -> list[list[dict]]:
        in_month, first = self.in_month, self.first
        # A few events per day and the count of the rest, so a busy month stays one small query and a small page.
        counts = dict(in_month.order_by().values("local_date").annotate(n=Count("pk")).values_list("local_date", "n"))
        # The first few of each day: ranked on the (edition, local_date, starts_at) index alone, then those rows read.
        first_ids = (
            in_month.order_by()
            .annotate(rank=Window(RowNumber(), partition_by=[F("local_date")], order_by=[F("starts_at"), F("pk")]))
            .filter(rank__lte=DAY_CELL_LIMIT)
            .values_list("pk", flat=True)
        )
        shown = (
            Event.objects.filter(pk__in=list(first_ids))
            .only("slug", "title", "starts_at", "ends_at", "timezone", "status", "format", "local_date")
            .order_by("starts_at", "pk")
        )
        by_day: dict[datetime.date, list[Event]] = {}
        for event in shown:
            by_day.setdefault(event.local_date, []).append(event)
        return [
            [
                {
                    "date": day,
                    "in_month": day.month == first.month,
                    "events": by_day.get(day, []),
                    "more": max(counts.get(day, 0) - DAY_CELL_LIMIT, 0),
                    "count": counts.get(day, 0),
                }
                for day in week
            ]
            for week in pycalendar.Calendar(firstweekday=6).monthdatescalendar(first.year, first.month)
        ]


def _month_grid(request: HttpRequest, edition, form: forms.EventFilterForm, first: datetime.date) -> dict:
    """The month view. The grid shows titles, times and cancellations, nothing that registrations change, so it
    is rendered once per state of the edition's events (``selectors.events_version``), filter, month and
    language, and then served from the cache: a busy month's grid costs its queries and ninety events' markup."""
    next_month = (first + datetime.timedelta(days=32)).replace(day=1)
    previous_month = (first - datetime.timedelta(days=1)).replace(day=1)
    month_query = form.canonical_query(drop=("start", "end"))
    return {
        "month": first,
        "grid": _MonthGrid(selectors.events_public(edition, form.filters()), first, next_month),
        "grid_key": f"{selectors.events_version(edition)}:{first:%Y-%m}:{month_query}",
        "grid_cache_seconds": MAP_CACHE_SECONDS,
        "next_month": next_month,
        "previous_month": previous_month,
        "month_query": month_query,
    }


def event_map(request: HttpRequest) -> HttpResponse:
    edition = _edition_or_404()
    form = forms.EventFilterForm(request.GET)
    form.is_valid()
    return render(
        request,
        "events/map.html",
        {"edition": edition, "form": form, "filter_query": _filter_query(request, form)},
    )


def event_map_data(request: HttpRequest) -> HttpResponse:
    """Map data: each state's number of matching events, and markers for up to MAP_MAX_POINTS of them.

    Built once per state of the edition's events and filter (``selectors.events_version``: their count and
    newest change, read on an index), then served from the cache: the markers and counts of a 5,000-event
    edition cost a few milliseconds to build and are asked for by every map view. The version comes from the
    database, so every process (and the per-process cache in development) sees a change at once; the expiry
    only bounds what the version cannot see (a state renamed in the directory)."""
    edition = _edition_or_404()
    form = forms.EventFilterForm(request.GET)
    # Markers prefer what is still to come, counted from the start of the hour (so the hour is in the key).
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    key = f"events-map:{selectors.events_version(edition)}:{now:%Y%m%d%H}:{form.canonical_query()}"
    body = cache.get(key)
    if body is None:
        body = json.dumps(_map_data(edition, form.filters(), now=now), ensure_ascii=False).encode()
        cache.set(key, body, MAP_CACHE_SECONDS)
    return HttpResponse(body, content_type="application/json")


def _map_data(edition, filters: selectors.EventFilters, *, now: datetime.datetime) -> dict:
    events = selectors.events_public(edition, filters)
    # Counted by state id on the (edition, jurisdiction, ...) index; the 56 codes and names are read once here,
    # not joined per row (the markers use them too).
    counts = dict(
        events.order_by().values("jurisdiction_id").annotate(n=Count("pk")).values_list("jurisdiction_id", "n")
    )
    states = {pk: (code, name) for pk, code, name in Jurisdiction.objects.values_list("pk", "code", "name")}
    located = events.exclude(latitude=None).values_list(
        "slug", "title", "starts_at", "timezone", "city", "jurisdiction_id", "latitude", "longitude", "status"
    )
    # Beyond the cap, the events still to come (from the day before: one running now is not left out) rather
    # than the edition's first days; then the latest past ones. Both read the (edition, starts_at) index.
    cutoff = now - datetime.timedelta(days=1)
    points = list(located.filter(starts_at__gte=cutoff)[:MAP_MAX_POINTS])
    if len(points) < MAP_MAX_POINTS:
        past = located.filter(starts_at__lt=cutoff).order_by("-starts_at", "-pk")[: MAP_MAX_POINTS - len(points)]
        points = list(past)[::-1] + points
    detail_path = reverse("events-detail", kwargs={"slug": "-"})[:-2]  # one reverse() for every marker
    return {
        "total": sum(counts.values()),
        "states": [
            {"code": states[pk][0], "name": states[pk][1], "count": counts[pk]}
            for pk in sorted(counts, key=lambda pk: states[pk][0])
        ],
        # The start in UTC with the event's zone: the browser writes it in that zone (Intl's timeZone).
        "events": [
            {
                "url": f"{detail_path}{slug}/",
                "title": title,
                "start": starts_at.astimezone(datetime.UTC).isoformat(),
                "zone": zone,
                "place": f"{city}, {states[state][0]}",
                "lat": float(latitude),
                "lon": float(longitude),
                "cancelled": status == Event.Status.CANCELLED,
            }
            for slug, title, starts_at, zone, city, state, latitude, longitude, status in points
        ],
        "limit": MAP_MAX_POINTS,
    }


@ratelimit(key="ip", rate=settings.EVENTS_PUBLIC_WRITE_RATE, method="POST", block=True)
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_public(slug)
    if event is None:
        raise Http404
    form = forms.RegistrationForm(initial={"join_waitlist": event.places_left == 0})
    registered = None
    if request.method == "POST":
        form = forms.RegistrationForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                registered = services.registration_create(
                    event_id=event.pk,
                    name=data["name"],
                    email=data["email"],
                    party_size=data["party_size"],
                    join_waitlist=data["join_waitlist"],
                )
            except services.WaitlistOffered as error:
                form.add_error(None, error.message)
                form.data = form.data.copy()
                form.data["join_waitlist"] = "on"
            except EventsError as error:
                form.add_error(None, error.message)
            else:
                event.refresh_from_db(fields=["places_taken"])
                form = None
    context = {
        "event": event,
        "form": form,
        "registered": registered,
        "jsonld": jsonld.event_jsonld(event, request=request),
        "can_manage": selectors.user_can_manage_event(request.user, event),
        "registration_open": (
            event.registration_required and not event.is_cancelled and event.starts_at > timezone.now()
        ),
    }
    return render(request, "events/event_detail.html", context, status=200)


@ratelimit(key="ip", rate=settings.EVENTS_PUBLIC_WRITE_RATE, method="POST", block=True)
def registration_cancel(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link: a page that asks, then cancels on POST (a mail scanner's GET cancels nothing)."""
    registration = links.registration_from_cancel_token(token)
    if registration is None:
        return render(request, "events/registration_cancel.html", {"invalid": True}, status=404)
    done = False
    if request.method == "POST" and registration.status != Registration.Status.CANCELLED:
        try:
            registration = services.registration_cancel(registration_id=registration.pk)
        except EventsError as error:
            messages.error(request, error.message)
        else:
            done = True
    return render(request, "events/registration_cancel.html", {"registration": registration, "done": done})


def projects(request: HttpRequest) -> HttpResponse:
    form = forms.ProjectFilterForm(request.GET)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    queryset = selectors.projects_public(
        topic=data.get("topic"), setting=data.get("setting") or "", q=(data.get("q") or "").strip()
    )
    page = Paginator(queryset, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    filter_query = urlencode([(key, request.GET[key]) for key in form.fields if request.GET.get(key)])
    return render(request, "events/projects.html", {"form": form, "page": page, "filter_query": filter_query})


def project_detail(request: HttpRequest, slug: str) -> HttpResponse:
    project = get_object_or_404(FeaturedProject.objects.prefetch_related("topics"), slug=slug)
    return render(
        request, "events/project_detail.html", {"project": project, "events": selectors.project_events(project)[:100]}
    )


def editions(request: HttpRequest) -> HttpResponse:
    return render(request, "events/editions.html", {"editions": selectors.editions_with_numbers()})


def edition_detail(request: HttpRequest, year: int) -> HttpResponse:
    edition = get_object_or_404(selectors.editions_with_numbers(), year=year)
    return render(
        request, "events/edition_detail.html", {"edition": edition, "numbers": selectors.edition_numbers(edition)}
    )


# Hosting ---------------------------------------------------------------------------------------------------


@login_required
@ratelimit(key="user_or_ip", rate=settings.EVENTS_PUBLIC_WRITE_RATE, method="POST", block=True)
def host_signup(request: HttpRequest) -> HttpResponse:
    edition = _edition_or_404()
    form = forms.HostSignupForm(initial={"contact_email": request.user.email})
    if request.method == "POST":
        form = forms.HostSignupForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.host_signup(
                    actor=request.user,
                    edition=edition,
                    organization=data["organization"],
                    contact_name=data["contact_name"],
                    contact_email=data["contact_email"],
                    contact_phone=data["contact_phone"],
                    format=data["format"],
                    audiences=list(data["audiences"]),
                    expected_attendance=data["expected_attendance"],
                    preferred_dates=data["preferred_dates"],
                    interests=list(data["interests"]),
                    shipping_address=data["shipping_address"],
                )
            except EventsError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Thank you: your sign-up is with your regional coordinator for review."))
                return redirect("events-manage")
    return render(
        request,
        "events/host_signup.html",
        {"edition": edition, "form": form, "signup_open": timezone.localdate() <= edition.signup_deadline},
    )


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    """A host's dashboard: its sign-ups, kit, materials and events."""
    hosts = (
        selectors.hosts_managed_by(request.user)
        .filter(edition=selectors.current_edition())
        .select_related("edition__materials_guide")
        .prefetch_related("events")
        .order_by("organization__name")
    )
    return render(
        request,
        "events/manage.html",
        {"hosts": hosts, "reviews": selectors.user_reviews_hosts(request.user), "now": timezone.now()},
    )


def _managed_event(request: HttpRequest, slug: str) -> Event:
    event = get_object_or_404(Event.objects.select_related("host__organization", "edition", "jurisdiction"), slug=slug)
    if not selectors.user_can_manage_event(request.user, event):
        raise PermissionDenied
    return event


@login_required
def event_create(request: HttpRequest, pk: int) -> HttpResponse:
    host = get_object_or_404(selectors.hosts_managed_by(request.user), pk=pk)
    organization = host.organization
    form = forms.EventForm(
        initial={
            "city": organization.city,
            "state": organization.jurisdiction,
            "address": organization.address,
            "venue": organization.name,
            "format": host.format,
            "date": host.edition.starts_on,
            "timezone": settings.TIME_ZONE,
        }
    )
    if request.method == "POST":
        form = forms.EventForm(request.POST)
        if form.is_valid():
            try:
                event = services.event_create(actor=request.user, host=host, fields=form.to_fields())
            except EventsError as error:
                form.add_error(None, error.message)
            else:
                _warn_outside_edition(request, event)
                messages.success(request, _("Your event is registered and listed."))
                return redirect(event)
    return render(request, "events/event_form.html", {"form": form, "host": host, "event": None})


def _warn_outside_edition(request: HttpRequest, event: Event) -> None:
    if event.outside_edition:
        messages.warning(
            request,
            _("This event is outside %(edition)s (%(start)s to %(end)s). It is listed, but check the date.")
            % {"edition": event.edition, "start": event.edition.starts_on, "end": event.edition.ends_on},
        )


@login_required
def event_edit(request: HttpRequest, slug: str) -> HttpResponse:
    event = _managed_event(request, slug)
    form = forms.EventForm(initial=forms.EventForm.initial_for(event))
    if request.method == "POST":
        form = forms.EventForm(request.POST)
        if form.is_valid():
            try:
                event = services.event_update(actor=request.user, event=event, fields=form.to_fields())
            except EventsError as error:
                form.add_error(None, error.message)
            else:
                _warn_outside_edition(request, event)
                messages.success(request, _("Your changes are saved."))
                return redirect(event)
    directory_place = event.latitude is not None and event.location_source != Event.LocationSource.PICKED
    return render(
        request,
        "events/event_form.html",
        {"form": form, "host": event.host, "event": event, "directory_place": directory_place},
    )


@login_required
def event_cancel(request: HttpRequest, slug: str) -> HttpResponse:
    event = _managed_event(request, slug)
    form = forms.EventCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_cancel(actor=request.user, event=event, reason=form.cleaned_data["reason"])
        except EventsError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The event is cancelled and its registrants are being emailed."))
            return redirect(event)
    return render(request, "events/event_cancel.html", {"form": form, "event": event})


@login_required
def event_report(request: HttpRequest, slug: str) -> HttpResponse:
    event = _managed_event(request, slug)
    form = forms.ReportForm(request.POST or None, initial={"attendance": event.attendance, "notes": event.report_notes})
    if request.method == "POST" and form.is_valid():
        try:
            services.event_report(
                actor=request.user,
                event=event,
                attendance=form.cleaned_data["attendance"],
                notes=form.cleaned_data["notes"],
            )
        except EventsError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Thank you for reporting."))
            return redirect("events-manage")
    return render(request, "events/event_report.html", {"form": form, "event": event})


@login_required
def event_registrations(request: HttpRequest, slug: str) -> HttpResponse:
    """The check-in list: the host marks who attended; only the host, its coordinator and staff see it."""
    event = _managed_event(request, slug)
    if request.method == "POST":
        registration = get_object_or_404(
            selectors.registrations_visible_to(request.user, event), pk=request.POST.get("registration")
        )
        try:
            if request.POST.get("action") == "cancel":
                services.registration_cancel(registration_id=registration.pk, actor=request.user)
            else:
                services.registration_mark_attended(
                    actor=request.user, registration=registration, attended=request.POST.get("attended") == "1"
                )
        except EventsError as error:
            messages.error(request, error.message)
        return redirect("events-registrations", slug=event.slug)
    registrations = selectors.registrations_visible_to(request.user, event).order_by("status", "created", "pk")
    return render(request, "events/registrations.html", {"event": event, "registrations": registrations})


@login_required
def event_registrations_csv(request: HttpRequest, slug: str) -> HttpResponse:
    event = _managed_event(request, slug)
    rows = (
        (r.name, r.email, r.party_size, r.get_status_display(), "yes" if r.attended else "", r.created.isoformat())
        for r in selectors.registrations_visible_to(request.user, event).order_by("status", "created", "pk").iterator()
    )
    header = ("name", "email", "party_size", "status", "attended", "registered")
    return csv_streaming_response(f"{event.slug}-registrations.csv", header, rows)


# Review, kits, numbers (coordinators and staff) ------------------------------------------------------------


@login_required
def review(request: HttpRequest) -> HttpResponse:
    if not selectors.user_reviews_hosts(request.user):
        raise PermissionDenied
    edition = selectors.current_edition()
    hosts = (
        selectors.hosts_reviewable_by(request.user)
        .filter(edition=edition)
        .annotate(event_count=Count("events"))
        .order_by("status", "organization__jurisdiction__region__number", "organization__name")
    )
    return render(request, "events/review.html", {"edition": edition, "hosts": hosts})


@login_required
def review_host(request: HttpRequest, pk: int) -> HttpResponse:
    host = get_object_or_404(
        selectors.hosts_reviewable_by(request.user).prefetch_related("audiences", "interests"), pk=pk
    )
    review_form = forms.HostReviewForm(prefix="review")
    kit_form = forms.KitForm(
        prefix="kit",
        initial={
            "kit_status": host.kit_status,
            "carrier": host.kit_carrier,
            "tracking_number": host.kit_tracking_number,
        },
    )
    if request.method == "POST":
        try:
            if "review-decision" in request.POST:
                review_form = forms.HostReviewForm(request.POST, prefix="review")
                if review_form.is_valid():
                    services.host_review(
                        actor=request.user,
                        host=host,
                        approve=review_form.cleaned_data["decision"] == "approve",
                        reason=review_form.cleaned_data["reason"],
                    )
                    messages.success(request, _("Decision saved; the host is being emailed."))
                    return redirect("events-review-host", pk=host.pk)
            else:
                kit_form = forms.KitForm(request.POST, prefix="kit")
                if kit_form.is_valid():
                    services.host_kit_update(actor=request.user, host=host, **kit_form.cleaned_data)
                    messages.success(request, _("Kit status saved."))
                    return redirect("events-review-host", pk=host.pk)
        except EventsError as error:
            messages.error(request, error.message)
    return render(request, "events/review_host.html", {"host": host, "review_form": review_form, "kit_form": kit_form})


@login_required
def numbers(request: HttpRequest) -> HttpResponse:
    if not selectors.user_reviews_hosts(request.user):
        raise PermissionDenied
    edition = _edition_or_404()
    return render(request, "events/numbers.html", {"edition": edition, "numbers": selectors.edition_numbers(edition)})


@login_required
def numbers_csv(request: HttpRequest) -> HttpResponse:
    """Every event of the edition with its report, for staff and coordinators."""
    if not selectors.user_reviews_hosts(request.user):
        raise PermissionDenied
    edition = _edition_or_404()
    events = (
        Event.objects.filter(edition=edition, host__status=Host.Status.APPROVED)
        .select_related("host__organization", "jurisdiction__region")
        .order_by("jurisdiction__region__number", "jurisdiction__code", "starts_at", "pk")
    )
    header = (
        "region",
        "state",
        "host",
        "event",
        "starts",
        "format",
        "status",
        "capacity",
        "registered",
        "attendance",
        "notes",
    )
    rows = (
        (
            e.jurisdiction.region.number,
            e.jurisdiction.code,
            e.host.organization.name,
            e.title,
            e.local_start.isoformat(),
            e.format,
            e.status,
            e.capacity if e.capacity is not None else "",
            e.places_taken,
            e.attendance if e.attendance is not None else "",
            e.report_notes,
        )
        for e in events.iterator(chunk_size=500)
    )
    return csv_streaming_response(f"citizen-science-month-{edition.year}.csv", header, rows)


@login_required
@ratelimit(key="user_or_ip", rate="30/m", method="POST", block=True)
def projects_import(request: HttpRequest) -> HttpResponse:
    if not selectors.network.user_is_network_staff(request.user):
        raise PermissionDenied
    form = forms.ProjectImportForm()
    report = None
    if request.method == "POST":
        form = forms.ProjectImportForm(request.POST, request.FILES)
        if form.is_valid():
            text = project_file.decode(form.cleaned_data["file"].read())
            try:
                report = services.projects_import(actor=request.user, text=text)
            except EventsError as error:
                form.add_error(None, error.message)
    return render(
        request, "events/projects_import.html", {"form": form, "report": report, "columns": project_file.COLUMNS}
    )
