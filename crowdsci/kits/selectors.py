"""Reads of the kits app: the queue, a request's place and expected date, and what each person may see.

Staff see every request; a regional representative (coordinator) sees the requests of their region; a requester
sees their own request through its unguessable page address.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet
from django.utils import timezone

from crowdsci.kits.models import (
    OPEN_LOAN_STATUSES,
    WAITING_REQUEST_STATUSES,
    KitCopy,
    KitRequest,
    KitType,
    Loan,
    ShippingHold,
)
from crowdsci.network.models import Region, RoleAssignment
from crowdsci.network.selectors import regions_coordinated_by, user_is_network_staff

AnyUser = AbstractBaseUser | AnonymousUser

QUEUE_ORDER = ("-priority", "queue_time", "id")

user_is_staff = user_is_network_staff


def shipping_hold() -> ShippingHold:
    hold, _created = ShippingHold.objects.get_or_create(pk=1)
    return hold


def user_manages_kits(user: AnyUser) -> bool:
    """Staff and regional representatives work on kit requests (representatives only in their region)."""
    return user_is_network_staff(user) or regions_coordinated_by(user).exists()


def user_can_act_on_request(user: AnyUser, kit_request: KitRequest) -> bool:
    """Confirm receipt or decline: staff, or the representative of the request's region."""
    if user_is_network_staff(user):
        return True
    return regions_coordinated_by(user).filter(pk=kit_request.region_id).exists()


def requests_visible_to(user: AnyUser) -> QuerySet[KitRequest]:
    queryset = KitRequest.objects.select_related("organization", "region", "kit_type")
    if user_is_network_staff(user):
        return queryset
    if not user.is_authenticated:
        return queryset.none()
    return queryset.filter(region__in=regions_coordinated_by(user))


def regions_visible_to(user: AnyUser) -> QuerySet[Region]:
    if user_is_network_staff(user):
        return Region.objects.all()
    return regions_coordinated_by(user)


def requests_made_by(user: AnyUser) -> QuerySet[KitRequest]:
    """The requests a signed-in person made (their pages are also reachable by address alone)."""
    if not user.is_authenticated:
        return KitRequest.objects.none()
    return KitRequest.objects.filter(requested_by=user).select_related("organization").order_by("-submitted")[:20]


def request_public(public_id: str) -> KitRequest | None:
    return (
        KitRequest.objects.select_related("organization__jurisdiction", "region", "kit_type")
        .filter(public_id=public_id)
        .first()
    )


def representatives_of(region: Region) -> list[str]:
    """Email addresses of the region's representatives; staff when the region has none."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(
        role_assignments__role=RoleAssignment.Role.COORDINATOR, role_assignments__region=region, is_active=True
    )
    emails = sorted({user.email for user in users if user.email})
    if not emails:
        staff = get_user_model().objects.filter(role_assignments__role=RoleAssignment.Role.STAFF, is_active=True)
        emails = sorted({user.email for user in staff if user.email})
    return emails


def queue(kit_type: KitType | int) -> QuerySet[KitRequest]:
    """The waiting requests for a kit type, in queue order: priority first, then time of submission."""
    return (
        KitRequest.objects.filter(kit_type=kit_type, status__in=WAITING_REQUEST_STATUSES)
        .select_related("organization", "region")
        .order_by(*QUEUE_ORDER)
    )


def queue_position(kit_request: KitRequest) -> int | None:
    """1 for the head of the queue; None when the request is not waiting."""
    if not kit_request.is_waiting:
        return None
    ahead = KitRequest.objects.filter(kit_type=kit_request.kit_type_id, status__in=WAITING_REQUEST_STATUSES).filter(
        Q(priority__gt=kit_request.priority)
        | Q(priority=kit_request.priority, queue_time__lt=kit_request.queue_time)
        | Q(priority=kit_request.priority, queue_time=kit_request.queue_time, id__lt=kit_request.id)
    )
    return ahead.count() + 1


def copy_free_dates(kit_type: KitType | int, *, now: datetime.datetime | None = None) -> list[datetime.date]:
    """When each copy of the kit type can next go out, earliest first (lost, retired and maintenance copies never).

    A free copy: now, or when its sanitation turnaround ends. A copy out on loan: its due date plus the
    turnaround. A copy shipped or offered: the loan length from now, plus the turnaround.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    turnaround = datetime.timedelta(days=settings.KITS_SANITATION_TURNAROUND_DAYS)
    loan_length = datetime.timedelta(days=settings.KITS_LOAN_DAYS + settings.KITS_SHIPPING_DAYS)
    dates: list[datetime.date] = []
    open_loans = {
        loan.copy_id: loan for loan in Loan.objects.filter(copy__kit_type=kit_type, status__in=OPEN_LOAN_STATUSES)
    }
    for copy in KitCopy.objects.filter(kit_type=kit_type).exclude(
        status__in=[KitCopy.Status.LOST, KitCopy.Status.RETIRED, KitCopy.Status.MAINTENANCE]
    ):
        if copy.status == KitCopy.Status.AVAILABLE:
            ready = copy.available_from
            dates.append(max(today, timezone.localdate(ready)) if ready else today)
        elif copy.status == KitCopy.Status.RETURNED:
            dates.append(today + turnaround)
        else:
            loan = open_loans.get(copy.pk)
            if loan is not None and loan.due_date:
                dates.append(max(today, loan.due_date) + turnaround)
            else:
                dates.append(today + loan_length + turnaround)
    return sorted(dates)


def expected_date(kit_request: KitRequest) -> datetime.date | None:
    """When the request can expect a kit: the n-th free date for the n-th place (None: no copy will come free,
    or the request is not waiting). Each copy serves one place per round; later rounds add a loan and turnaround."""
    position = queue_position(kit_request)
    if position is None:
        return None
    dates = copy_free_dates(kit_request.kit_type_id)
    if not dates:
        return None
    rounds, index = divmod(position - 1, len(dates))
    cycle = datetime.timedelta(
        days=settings.KITS_LOAN_DAYS + settings.KITS_SHIPPING_DAYS + settings.KITS_SANITATION_TURNAROUND_DAYS
    )
    return dates[index] + rounds * cycle


def others_waiting(kit_type: KitType | int) -> bool:
    return KitRequest.objects.filter(kit_type=kit_type, status__in=WAITING_REQUEST_STATUSES).exists()


def copies_visible_to(user: AnyUser) -> QuerySet[KitCopy]:
    queryset = KitCopy.objects.select_related("kit_type", "home_region")
    if user_is_network_staff(user):
        return queryset
    return queryset.filter(home_region__in=regions_coordinated_by(user))


def open_loan_of(copy: KitCopy) -> Loan | None:
    return Loan.objects.select_related("request__organization").filter(copy=copy, status__in=OPEN_LOAN_STATUSES).first()


@dataclass(frozen=True)
class RegionStatusRow:
    region: str
    status: str
    count: int


@dataclass(frozen=True)
class LanguageTracks:
    code: str
    name: str
    tracks: list
    bidi: bool


def audio_by_language(ui_language: str) -> list[LanguageTracks]:
    """The six languages with their tracks, the visitor's UI language first, then the program's order."""
    from django.utils.translation import get_language_info

    from crowdsci.kits.models import AUDIO_LANGUAGES, AudioTrack

    tracks: dict[str, list[AudioTrack]] = {code: [] for code, _name in AUDIO_LANGUAGES}
    for track in AudioTrack.objects.order_by("language", "number"):
        tracks.setdefault(track.language, []).append(track)
    ui = ui_language.lower()
    ordered = sorted(AUDIO_LANGUAGES, key=lambda item: 0 if item[0] == ui else 1)
    return [
        LanguageTracks(code=code, name=name, tracks=tracks[code], bidi=get_language_info(code)["bidi"])
        for code, name in ordered
    ]


def audio_track(pk: int):
    from crowdsci.kits.models import AudioTrack

    return AudioTrack.objects.filter(pk=pk).first()


# Reports (staff: every region; a representative: their own) -----------------------------------------------


@dataclass(frozen=True)
class RegionReport:
    region: Region
    by_status: dict[str, int]
    queue_length: int
    confirm_hours_median: float | None
    ship_days_median: float | None


def _median(values: list[float]) -> float | None:
    import statistics

    return round(statistics.median(values), 1) if values else None


def report_regions(user: AnyUser) -> list[RegionReport]:
    """Per region in the user's scope: requests by status, queue length, median time to confirm and to ship."""
    from collections import defaultdict

    from django.db.models import Count

    regions = list(regions_visible_to(user).order_by("number"))
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        KitRequest.objects.filter(region__in=regions).values("region", "status").annotate(n=Count("id")).order_by()
    ):
        counts[row["region"]][row["status"]] = row["n"]
    confirm_hours: dict[int, list[float]] = defaultdict(list)
    for region_id, submitted, confirmed in KitRequest.objects.filter(
        region__in=regions, confirmed_at__isnull=False
    ).values_list("region", "submitted", "confirmed_at"):
        confirm_hours[region_id].append((confirmed - submitted).total_seconds() / 3600)
    ship_days: dict[int, list[float]] = defaultdict(list)
    for region_id, submitted, shipped in Loan.objects.filter(
        request__region__in=regions, shipped_at__isnull=False
    ).values_list("request__region", "request__submitted", "shipped_at"):
        ship_days[region_id].append((shipped - submitted).total_seconds() / 86400)
    return [
        RegionReport(
            region=region,
            by_status=counts.get(region.pk, {}),
            queue_length=sum(counts.get(region.pk, {}).get(status, 0) for status in WAITING_REQUEST_STATUSES),
            confirm_hours_median=_median(confirm_hours.get(region.pk, [])),
            ship_days_median=_median(ship_days.get(region.pk, [])),
        )
        for region in regions
    ]


def report_loans_per_copy(user: AnyUser) -> QuerySet[KitCopy]:
    from django.db.models import Count

    served = Q(loans__status__in=["shipped", "on_loan", "returned", "lost"])
    return copies_visible_to(user).annotate(loan_count=Count("loans", filter=served)).order_by("asset_tag")


def report_overdue_loans(user: AnyUser) -> QuerySet[Loan]:
    return (
        Loan.objects.filter(status=Loan.Status.ON_LOAN, due_date__lt=timezone.localdate())
        .filter(request__in=requests_visible_to(user))
        .select_related("copy", "request__organization", "request__region")
        .order_by("due_date", "id")
    )


REPORT_CSV_COLUMNS = (
    "request_id",
    "organization",
    "region",
    "status",
    "priority_affiliations",
    "submitted",
    "receipt_confirmed",
    "hours_to_confirm",
    "copy",
    "shipped",
    "days_to_ship",
    "due_date",
    "returned",
)


def report_csv_rows(user: AnyUser):
    """One row per request in the user's scope, oldest first, read in chunks (the download streams)."""
    requests = (
        requests_visible_to(user).select_related("loan__copy").order_by("submitted", "id").iterator(chunk_size=500)
    )
    for kit_request in requests:
        loan = getattr(kit_request, "loan", None)
        confirm = kit_request.confirmed_at
        shipped = loan.shipped_at if loan else None
        yield (
            kit_request.pk,
            kit_request.organization.name,
            kit_request.region.number,
            kit_request.status,
            " ".join(kit_request.affiliation_codes) if kit_request.has_priority else "",
            kit_request.submitted.isoformat(),
            confirm.isoformat() if confirm else "",
            round((confirm - kit_request.submitted).total_seconds() / 3600, 1) if confirm else "",
            loan.copy.asset_tag if loan else "",
            shipped.isoformat() if shipped else "",
            round((shipped - kit_request.submitted).total_seconds() / 86400, 1) if shipped else "",
            loan.due_date.isoformat() if loan and loan.due_date else "",
            loan.returned_at.isoformat() if loan and loan.returned_at else "",
        )
