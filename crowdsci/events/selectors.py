"""Reads of Citizen Science Month. Who may see or change which hosts, events and registrants is decided here."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Max, Q, QuerySet, Sum

from crowdsci.catalog.models import Term
from crowdsci.events.models import Edition, Event, FeaturedProject, Host, Registration
from crowdsci.network import selectors as network
from crowdsci.network.models import Jurisdiction, Organization, Region

AnyUser = AbstractBaseUser | AnonymousUser


def current_edition() -> Edition | None:
    """The newest edition: the one the program page presents."""
    return Edition.objects.order_by("-year").first()


def audiences() -> QuerySet[Term]:
    return Term.objects.filter(category__slug="audiences").order_by("position", "name")


def project_topics() -> QuerySet[Term]:
    return Term.objects.filter(category__slug="topics").order_by("position", "name")


# Hosts -----------------------------------------------------------------------------------------------------


def hosts_reviewable_by(user: AnyUser) -> QuerySet[Host]:
    """Staff review every host; a regional coordinator those of organizations in their region; nobody else."""
    queryset = Host.objects.select_related("edition", "organization__jurisdiction__region")
    if network.user_is_network_staff(user):
        return queryset
    return queryset.filter(organization__jurisdiction__region__in=network.regions_coordinated_by(user))


def hosts_managed_by(user: AnyUser) -> QuerySet[Host]:
    """Hosts whose events this user may register and change: those they review, and their own (the person who
    signed up, and the organization's organizers)."""
    queryset = Host.objects.select_related("edition", "organization__jurisdiction__region")
    if network.user_is_network_staff(user):
        return queryset
    if not user.is_authenticated:
        return queryset.none()
    return queryset.filter(
        Q(organization__jurisdiction__region__in=network.regions_coordinated_by(user))
        | Q(submitted_by=user)
        | Q(organization__in=network.organizations_organized_by(user))
    )


def user_can_review_host(user: AnyUser, host: Host) -> bool:
    return hosts_reviewable_by(user).filter(pk=host.pk).exists()


def user_can_manage_host(user: AnyUser, host: Host) -> bool:
    return hosts_managed_by(user).filter(pk=host.pk).exists()


def user_reviews_hosts(user: AnyUser) -> bool:
    return network.user_is_network_staff(user) or network.regions_coordinated_by(user).exists()


def events_managed_by(user: AnyUser) -> QuerySet[Event]:
    return Event.objects.filter(host__in=hosts_managed_by(user)).select_related(
        "host__organization", "jurisdiction__region", "edition"
    )


def user_can_manage_event(user: AnyUser, event: Event) -> bool:
    return events_managed_by(user).filter(pk=event.pk).exists()


def registrations_managed_by(user: AnyUser) -> QuerySet[Registration]:
    """Every registration (emails included) of the events this user manages: the admin's list."""
    return Registration.objects.filter(event__in=events_managed_by(user).values("pk")).select_related("event")


def registrations_visible_to(user: AnyUser, event: Event) -> QuerySet[Registration]:
    """Registrants (with their emails) of an event: only for its host, its region's coordinator and staff."""
    if not user_can_manage_event(user, event):
        return Registration.objects.none()
    return event.registrations.all()


# Places ----------------------------------------------------------------------------------------------------

_MICRODEGREE = Decimal("0.000001")


@dataclass(frozen=True)
class Place:
    latitude: Decimal
    longitude: Decimal
    source: str  # Event.LocationSource


def _same_town(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def directory_place(*, city: str, jurisdiction: Jurisdiction, organization: Organization) -> Place | None:
    """Coordinates for an in-person event whose host picked no point on the map, from the member directory (no
    network geocoder): the host library's own, when the event is in its town; else the middle of the directory's
    libraries in that town; else, approximately, the library nearest the middle of those in the state (a real
    place inside the state, which the mean of an odd-shaped state's points need not be). None when the directory
    knows no located library in the state."""
    Source = Event.LocationSource
    if (
        organization.latitude is not None
        and organization.jurisdiction_id == jurisdiction.pk
        and _same_town(organization.city, city)
    ):
        return Place(organization.latitude, organization.longitude, Source.ORGANIZATION)
    located = [
        (latitude, longitude, town)
        for latitude, longitude, town in Organization.objects.filter(
            jurisdiction=jurisdiction, latitude__isnull=False
        ).values_list("latitude", "longitude", "city")
    ]
    in_town = [(latitude, longitude) for latitude, longitude, town in located if _same_town(town, city)]
    if in_town:
        return Place(
            (sum(p[0] for p in in_town) / len(in_town)).quantize(_MICRODEGREE),
            (sum(p[1] for p in in_town) / len(in_town)).quantize(_MICRODEGREE),
            Source.CITY,
        )
    if not located:
        return None
    middle = (sum(p[0] for p in located) / len(located), sum(p[1] for p in located) / len(located))
    latitude, longitude, _town = min(located, key=lambda p: (p[0] - middle[0]) ** 2 + (p[1] - middle[1]) ** 2)
    return Place(latitude, longitude, Source.STATE)


# The public side -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventFilters:
    region: Region | None = None
    jurisdiction: Jurisdiction | None = None
    format: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    language: str = ""
    audience: Term | None = None
    project: FeaturedProject | None = None

    @property
    def active(self) -> bool:
        return any(
            (
                self.region,
                self.jurisdiction,
                self.format,
                self.date_from,
                self.date_to,
                self.language,
                self.audience,
                self.project,
            )
        )


def events_public(edition: Edition | None, filters: EventFilters) -> QuerySet[Event]:
    """An edition's events as the public sees them (cancelled ones marked), filtered, with what a listing shows
    loaded up front.

    Every event belongs to an approved host: ``event_create`` requires approval and ``host_review`` refuses to
    decline a host that has events, so the listings need no join to the host to check it, and counting an edition's
    events reads the (edition, ...) indexes alone. The region filter is a list of states for the same reason."""
    queryset = Event.objects.select_related("host__organization", "jurisdiction__region")
    if edition is not None:
        queryset = queryset.filter(edition=edition)
    if filters.region:
        queryset = queryset.filter(jurisdiction_id__in=list(filters.region.jurisdictions.values_list("pk", flat=True)))
    if filters.jurisdiction:
        queryset = queryset.filter(jurisdiction=filters.jurisdiction)
    if filters.format:
        queryset = queryset.filter(format=filters.format)
    # Dates are the event's own local date (an indexed column, no per-row time zone conversion).
    if filters.date_from:
        queryset = queryset.filter(local_date__gte=filters.date_from)
    if filters.date_to:
        queryset = queryset.filter(local_date__lte=filters.date_to)
    if filters.language:
        queryset = queryset.filter(language=filters.language)
    if filters.audience:
        queryset = queryset.filter(audiences=filters.audience)
    if filters.project:
        queryset = queryset.filter(projects=filters.project)
    return queryset.order_by("starts_at", "pk")


def events_version(edition: Edition) -> str:
    """A name for the state of an edition's events as the map shows them: how many there are and the newest
    change. Every service that changes what the map shows (create, edit, cancel) saves the event and moves its
    ``updated``; registrations change only ``places_taken``, which the map does not show. Read on the
    (edition, updated) index alone."""
    stamp = Event.objects.filter(edition=edition).aggregate(latest=Max("updated"), count=Count("pk"))
    latest = stamp["latest"].isoformat() if stamp["latest"] else "-"
    return f"{edition.pk}:{stamp['count']}:{latest}"


def events_in_month(queryset: QuerySet[Event], first_day: datetime.date, next_month: datetime.date) -> QuerySet[Event]:
    return queryset.filter(local_date__gte=first_day, local_date__lt=next_month)


def event_public(slug: str) -> Event | None:
    return (
        Event.objects.filter(host__status=Host.Status.APPROVED, slug=slug)
        .select_related("host__organization__jurisdiction", "jurisdiction__region", "edition")
        .prefetch_related("projects", "audiences")
        .first()
    )


def projects_public(*, topic: Term | None = None, setting: str = "", q: str = "") -> QuerySet[FeaturedProject]:
    queryset = FeaturedProject.objects.prefetch_related("topics")
    if topic:
        queryset = queryset.filter(topics=topic)
    if setting:
        queryset = queryset.filter(setting__in=[setting, FeaturedProject.Setting.BOTH])
    if q:
        queryset = queryset.filter(Q(title__icontains=q) | Q(description__icontains=q))
    return queryset.order_by("title")


def project_events(project: FeaturedProject) -> QuerySet[Event]:
    return (
        project.events.filter(host__status=Host.Status.APPROVED)
        .select_related("jurisdiction", "host__organization")
        .order_by("-starts_at")
    )


# Numbers ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EditionNumbers:
    hosts: int
    events: int
    reported_events: int
    attendees: int
    by_region: list[dict]
    by_state: list[dict]


def edition_numbers(edition: Edition) -> EditionNumbers:
    """What the edition did, from the hosts' attendance reports (cancelled events count for nothing)."""
    held = Event.objects.filter(edition=edition, host__status=Host.Status.APPROVED, status=Event.Status.SCHEDULED)
    totals = held.aggregate(events=Count("pk"), reported=Count("attendance"), attendees=Sum("attendance"))
    by_region = list(
        held.values("jurisdiction__region__number", "jurisdiction__region__name")
        .annotate(events=Count("pk"), hosts=Count("host", distinct=True), attendees=Sum("attendance"))
        .order_by("jurisdiction__region__number")
    )
    by_state = list(
        held.values("jurisdiction__code", "jurisdiction__name", "jurisdiction__region__number")
        .annotate(events=Count("pk"), hosts=Count("host", distinct=True), attendees=Sum("attendance"))
        .order_by("jurisdiction__code")
    )
    return EditionNumbers(
        hosts=edition.hosts.filter(status=Host.Status.APPROVED).count(),
        events=totals["events"],
        reported_events=totals["reported"],
        attendees=totals["attendees"] or 0,
        by_region=by_region,
        by_state=by_state,
    )


def editions_with_numbers() -> QuerySet[Edition]:
    return Edition.objects.annotate(
        host_count=Count("hosts", filter=Q(hosts__status=Host.Status.APPROVED), distinct=True),
        event_count=Count("events", filter=Q(events__status=Event.Status.SCHEDULED), distinct=True),
    ).order_by("-year")
