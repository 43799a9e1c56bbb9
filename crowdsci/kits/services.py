"""Writes of the kits app. Each is one function in one durable transaction, audited, raising KitsError.

Locking: every write that touches the queue or a copy locks rows in one fixed order, so two writers queue behind
each other instead of deadlocking: the shipping hold row, then the request, then the loan, then the copy.
Allocation holds the shipping hold row for its whole transaction, which serializes allocations (the queue's head
can never be served twice nor skipped) and makes "is the hold on?" and "allocate" one atomic step; the free copy
itself is taken with SKIP LOCKED so a copy another write holds (a return, a sanitation record) is passed over
rather than waited for. On SQLite, BEGIN IMMEDIATE serializes writers (see crowdsci.core.locking).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from crowdsci.core.audit import audit_record
from crowdsci.core.errors import full_clean_or_raise
from crowdsci.core.files import delete_stored_file_after_commit
from crowdsci.core.locking import busy_as_service_error, lock_row, set_lock_timeout
from crowdsci.kits import notify, selectors
from crowdsci.kits.audio import AudioInfo, read_audio
from crowdsci.kits.errors import KitsError
from crowdsci.kits.models import (
    AUDIO_LANGUAGES,
    OPEN_LOAN_STATUSES,
    OPEN_REQUEST_STATUSES,
    TRACK_COUNT,
    WAITING_REQUEST_STATUSES,
    AudioTrack,
    CopyStatusChange,
    KitCopy,
    KitRequest,
    KitType,
    Loan,
    RequestEvent,
    SanitationRecord,
    ShippingHold,
    audio_upload_to,
)
from crowdsci.network.models import Organization
from crowdsci.network.selectors import user_is_network_staff

User = AbstractBaseUser | AnonymousUser | None
RS = KitRequest.Status
CS = KitCopy.Status
LS = Loan.Status


# Helpers (inside a caller's transaction) --------------------------------------------------------------------


def _actor(actor: User) -> AbstractBaseUser | None:
    return actor if actor is not None and actor.is_authenticated else None


def _require_staff(actor: User) -> None:
    if actor is None or not user_is_network_staff(actor):
        raise KitsError(_("Only network staff may do this."))


def _hold_locked() -> ShippingHold:
    ShippingHold.objects.get_or_create(pk=1)
    return lock_row(ShippingHold, 1)


def _request_set_status(
    kit_request: KitRequest, status: str, *, actor: User, note: str = "", notice: str | None = None
) -> None:
    """Change the request's status, record it in its history and the audit log, and tell the requester."""
    old = kit_request.status
    kit_request.status = status
    if status not in OPEN_REQUEST_STATUSES and kit_request.closed_at is None:
        kit_request.closed_at = timezone.now()
    kit_request.save()
    RequestEvent.objects.create(request=kit_request, status=status, note=note, actor=_actor(actor))
    audit_record(
        actor=_actor(actor),
        action=f"kit_request.{status}",
        obj=kit_request,
        reason=note,
        detail={"from": old, "to": status},
    )
    notify.requester_notify(kit_request, notice or status, note=note)


def _copy_set_status(copy: KitCopy, status: str, *, actor: User, reason: str = "") -> None:
    old = copy.status
    copy.status = status
    copy.save()
    CopyStatusChange.objects.create(copy=copy, from_status=old, to_status=status, actor=_actor(actor), reason=reason)
    audit_record(
        actor=_actor(actor), action="kit_copy.status", obj=copy, reason=reason, detail={"from": old, "to": status}
    )


def add_business_days(start: datetime.datetime, days: int) -> datetime.datetime:
    """``start`` plus ``days`` working days (Saturday and Sunday skipped), same time of day."""
    moment = start
    remaining = days
    while remaining > 0:
        moment += datetime.timedelta(days=1)
        if moment.weekday() < 5:
            remaining -= 1
    return moment


# Requests ---------------------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def kit_request_submit(
    *,
    actor: User,
    kit_type: KitType,
    organization: Organization,
    contact_name: str,
    contact_email: str,
    contact_phone: str = "",
    shipping_address: str,
    intended_use: str,
    start_date: datetime.date,
    end_date: datetime.date,
    audience_size: int,
    language: str = "en",
) -> KitRequest:
    """A library asks for a kit. Its affiliations are kept as they are now; the region's representative is told."""
    # Lock the organization: two submissions for it at once queue here, and the second sees the first. (Only
    # its row: select_related under FOR UPDATE would lock its state's and region's rows too.)
    organization = lock_row(Organization, organization.pk)
    region = organization.jurisdiction.region if organization.jurisdiction_id else None
    if region is None:
        raise KitsError(_("This organization has no region in the directory; please contact network staff."))
    if KitRequest.objects.filter(organization=organization, status__in=OPEN_REQUEST_STATUSES).exists():
        raise KitsError(_("%(organization)s already has an open kit request.") % {"organization": organization.name})
    affiliations = list(organization.affiliations.all())
    has_priority = any(affiliation.gives_kit_priority for affiliation in affiliations)
    now = timezone.now()
    kit_request = KitRequest(
        kit_type=kit_type,
        organization=organization,
        region=region,
        requested_by=_actor(actor),
        contact_name=contact_name.strip(),
        contact_email=contact_email.strip(),
        contact_phone=contact_phone.strip(),
        shipping_address=shipping_address.strip(),
        intended_use=intended_use.strip(),
        start_date=start_date,
        end_date=end_date,
        audience_size=audience_size,
        language=language,
        affiliation_codes=sorted(affiliation.code for affiliation in affiliations),
        has_priority=has_priority,
        priority=1 if has_priority else 0,
        queue_time=now,
        submitted=now,
    )
    full_clean_or_raise(
        kit_request,
        KitsError,
        messages={"__all__": _("Please check the dates: the end date must not be before the start date.")},
    )
    try:
        with transaction.atomic():
            kit_request.save()
    except IntegrityError as error:
        raise KitsError(
            _("%(organization)s already has an open kit request.") % {"organization": organization.name}
        ) from error
    RequestEvent.objects.create(request=kit_request, status=RS.SUBMITTED, actor=_actor(actor))
    audit_record(
        actor=_actor(actor),
        action="kit_request.submitted",
        obj=kit_request,
        detail={"organization": organization.pk, "affiliations": kit_request.affiliation_codes},
    )
    hold = selectors.shipping_hold()
    note = (
        _(
            "Kit shipping is paused network-wide at the moment; requests are still accepted and will be served "
            "in queue order when shipping resumes."
        )
        if hold.is_on
        else ""
    )
    notify.requester_notify(kit_request, "submitted", note=note)
    notify.representatives_notify(kit_request, selectors.representatives_of(region))
    return kit_request


@transaction.atomic(durable=True)
def kit_request_confirm_receipt(*, actor: AbstractBaseUser, kit_request: KitRequest) -> KitRequest:
    """The regional representative confirms the request arrived (not a promise of a kit)."""
    kit_request = lock_row(KitRequest, kit_request.pk)
    if not selectors.user_can_act_on_request(actor, kit_request):
        raise KitsError(_("Only the representative of this request's region, or network staff, may confirm it."))
    if kit_request.status != RS.SUBMITTED:
        raise KitsError(_("This request is not waiting for confirmation of receipt."))
    kit_request.confirmed_at = timezone.now()
    kit_request.confirmed_by = actor
    _request_set_status(kit_request, RS.CONFIRMED, actor=actor)
    return kit_request


@transaction.atomic(durable=True)
def kit_request_decline(*, actor: AbstractBaseUser, kit_request: KitRequest, reason: str) -> KitRequest:
    kit_request = lock_row(KitRequest, kit_request.pk)
    if not selectors.user_can_act_on_request(actor, kit_request):
        raise KitsError(_("Only the representative of this request's region, or network staff, may decline it."))
    if not kit_request.is_waiting:
        raise KitsError(_("Only a request still waiting in the queue can be declined."))
    if not reason.strip():
        raise KitsError(_("Please give the reason for declining."))
    _request_set_status(kit_request, RS.DECLINED, actor=actor, note=reason.strip())
    return kit_request


def kit_request_withdraw(*, actor: User, kit_request: KitRequest) -> KitRequest:
    """The requester withdraws. A kit already offered to them goes to the next request in the queue."""
    kit_request, released = _kit_request_withdraw(actor=actor, kit_request=kit_request)
    if released:
        kits_allocate(actor=None)
    return kit_request


@transaction.atomic(durable=True)
def _kit_request_withdraw(*, actor: User, kit_request: KitRequest) -> tuple[KitRequest, bool]:
    _hold_locked()
    kit_request = lock_row(KitRequest, kit_request.pk)
    if kit_request.status not in (*WAITING_REQUEST_STATUSES, RS.OFFERED, RS.ACCEPTED):
        raise KitsError(_("A request can be withdrawn only before its kit ships."))
    released = False
    loan = Loan.objects.filter(request=kit_request, status__in=OPEN_LOAN_STATUSES).first()
    if loan is not None:
        loan = lock_row(Loan, loan.pk)
        copy = lock_row(KitCopy, loan.copy_id)
        loan.status = LS.CANCELLED
        loan.closed_at = timezone.now()
        loan.save()
        _copy_set_status(copy, CS.AVAILABLE, actor=actor, reason=_("Request withdrawn before shipping."))
        released = True
    _request_set_status(kit_request, RS.WITHDRAWN, actor=actor)
    return kit_request, released


@transaction.atomic(durable=True)
def kit_request_move(*, actor: AbstractBaseUser, kit_request: KitRequest, position: int, reason: str) -> int:
    """Staff move a waiting request to ``position`` (1 = head) in its queue, with a reason; returns the new place.

    The request takes its new neighbours' priority and a queue time between theirs, so the ordinary queue order
    (priority, then time) keeps it there as other requests come and go.
    """
    _require_staff(actor)
    if not reason.strip():
        raise KitsError(_("Please give the reason for moving this request."))
    _hold_locked()  # serializes with allocation: the queue does not change under an allocation
    kit_request = lock_row(KitRequest, kit_request.pk)
    if not kit_request.is_waiting:
        raise KitsError(_("Only a request waiting in the queue can be moved."))
    others = list(selectors.queue(kit_request.kit_type_id).exclude(pk=kit_request.pk))
    position = max(1, min(position, len(others) + 1))
    before = others[position - 2] if position >= 2 else None
    after = others[position - 1] if position - 1 < len(others) else None
    old_place = selectors.queue_position(kit_request)
    if after is None and before is None:
        return 1
    if after is None:
        kit_request.priority = before.priority
        kit_request.queue_time = before.queue_time + datetime.timedelta(seconds=1)
    elif before is None or before.priority != after.priority:
        kit_request.priority = after.priority
        kit_request.queue_time = after.queue_time - datetime.timedelta(seconds=1)
    else:
        kit_request.priority = after.priority
        kit_request.queue_time = before.queue_time + (after.queue_time - before.queue_time) / 2
    kit_request.save(update_fields=["priority", "queue_time"])
    new_place = selectors.queue_position(kit_request)
    RequestEvent.objects.create(
        request=kit_request,
        status=kit_request.status,
        actor=actor,
        note=_("Moved in the queue from place %(old)s to place %(new)s: %(reason)s")
        % {"old": old_place, "new": new_place, "reason": reason.strip()},
    )
    audit_record(
        actor=actor,
        action="kit_request.move",
        obj=kit_request,
        reason=reason.strip(),
        detail={"from": old_place, "to": new_place},
    )
    notify.requester_notify(
        kit_request, "moved", note=_("Your place in the queue is now %(place)s.") % {"place": new_place}
    )
    return new_place


# The shipping hold ------------------------------------------------------------------------------------------


def shipping_hold_set(*, actor: AbstractBaseUser, on: bool, reason: str) -> ShippingHold:
    """Staff pause or resume shipping network-wide. Resuming allocates free kits in queue order at once."""
    hold = _shipping_hold_write(actor=actor, on=on, reason=reason)
    if not on:
        kits_allocate(actor=actor)
    return hold


@transaction.atomic(durable=True)
def _shipping_hold_write(*, actor: AbstractBaseUser, on: bool, reason: str) -> ShippingHold:
    _require_staff(actor)
    if not reason.strip():
        raise KitsError(_("Please give the reason."))
    hold = _hold_locked()
    if hold.is_on == on:
        raise KitsError(_("Shipping is already paused.") if on else _("Shipping is not paused."))
    hold.is_on = on
    hold.reason = reason.strip()
    hold.changed_by = actor
    hold.changed_at = timezone.now()
    hold.save()
    audit_record(actor=actor, action="shipping_hold.on" if on else "shipping_hold.off", obj=hold, reason=hold.reason)
    # Everyone whose kit this touches is told: those waiting, and those whose kit was about to ship.
    affected = KitRequest.objects.filter(status__in=(*WAITING_REQUEST_STATUSES, RS.OFFERED, RS.ACCEPTED))
    for kit_request in affected.select_related("organization"):
        notify.requester_notify(kit_request, "hold_on" if on else "hold_off", note=hold.reason)
    return hold


# Allocation -------------------------------------------------------------------------------------------------


def kits_allocate(*, actor: User = None, kit_type: KitType | None = None) -> list[Loan]:
    """Give free copies to the heads of the queues until no copy or no confirmed request is left.

    Each allocation is its own transaction, so a long run holds no lock for long. While the hold is on this
    allocates nothing (a scheduled run simply finds nothing to do).
    """
    loans: list[Loan] = []
    kit_types = [kit_type] if kit_type is not None else list(KitType.objects.all())
    for each in kit_types:
        while True:
            try:
                loan = loan_allocate_next(actor=actor, kit_type=each)
            except KitsError:
                return loans
            if loan is None:
                break
            loans.append(loan)
    return loans


@transaction.atomic(durable=True)
def loan_allocate_next(*, actor: User, kit_type: KitType) -> Loan | None:
    """Offer a free copy to the request at the head of ``kit_type``'s queue; None when there is nothing to do.

    Only requests whose receipt the representative confirmed are served; a request still waiting for
    confirmation keeps its place in the queue but is not offered a kit until confirmed.
    """
    hold = _hold_locked()
    if hold.is_on:
        raise KitsError(_("Shipping is paused network-wide: nothing is allocated until it resumes."))
    now = timezone.now()
    head = (
        KitRequest.objects.filter(kit_type=kit_type, status=RS.CONFIRMED)
        .order_by(*selectors.QUEUE_ORDER)
        .values_list("pk", flat=True)
        .first()
    )
    if head is None:
        return None
    kit_request = lock_row(KitRequest, head)
    if kit_request.status != RS.CONFIRMED:  # withdrawn or declined since we read it: the next run serves the next
        return None
    set_lock_timeout(5)
    with busy_as_service_error():
        copy = (
            KitCopy.objects.filter(kit_type=kit_type, status=CS.AVAILABLE)
            .filter(Q(available_from__isnull=True) | Q(available_from__lte=now))
            # A copy at home in the request's region first (shorter shipping), then by asset tag.
            .annotate(
                away=Case(
                    When(home_region=kit_request.region_id, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                )
            )
            .order_by("away", "asset_tag")
            .select_for_update(skip_locked=True)
            .first()
        )
    if copy is None:
        return None
    loan = Loan.objects.create(
        request=kit_request,
        copy=copy,
        status=LS.OFFERED,
        allocated_at=now,
        offer_expires_at=now + datetime.timedelta(days=settings.KITS_OFFER_DAYS),
    )
    _copy_set_status(copy, CS.RESERVED, actor=actor, reason=_("Allocated to request %(id)s") % {"id": kit_request.pk})
    _request_set_status(
        kit_request,
        RS.OFFERED,
        actor=actor,
        note=_(
            "Kit %(tag)s is reserved for you. Please confirm the shipping address and dates on your request's "
            "page by %(date)s."
        )
        % {"tag": copy.asset_tag, "date": timezone.localdate(loan.offer_expires_at)},
    )
    return loan


@transaction.atomic(durable=True)
def loan_offer_accept(
    *,
    actor: User,
    kit_request: KitRequest,
    shipping_address: str,
    start_date: datetime.date,
    end_date: datetime.date,
) -> Loan:
    """The requester confirms the shipping address and dates of the kit offered to them."""
    kit_request = lock_row(KitRequest, kit_request.pk)
    loan = Loan.objects.filter(request=kit_request).first()
    if kit_request.status != RS.OFFERED or loan is None or loan.status != LS.OFFERED:
        raise KitsError(_("There is no kit offer waiting for your confirmation."))
    loan = lock_row(Loan, loan.pk)
    if loan.offer_expires_at < timezone.now():
        raise KitsError(_("This offer has expired; the kit passes to the next request in the queue."))
    if end_date < start_date:
        raise KitsError(_("Please check the dates: the end date must not be before the start date."))
    if not shipping_address.strip():
        raise KitsError(_("Please give the shipping address."))
    kit_request.shipping_address = shipping_address.strip()
    kit_request.start_date = start_date
    kit_request.end_date = end_date
    loan.status = LS.ACCEPTED
    loan.accepted_at = timezone.now()
    loan.save()
    _request_set_status(kit_request, RS.ACCEPTED, actor=actor)
    return loan


def loan_offer_expire(*, loan_id: int) -> bool:
    """An offer not confirmed in time: the request lapses, the copy goes to the next request. True if expired."""
    expired = _loan_offer_expire(loan_id=loan_id)
    if expired:
        kits_allocate(actor=None)
    return expired


@transaction.atomic(durable=True)
def _loan_offer_expire(*, loan_id: int) -> bool:
    _hold_locked()
    # The fixed order: request, then loan, then copy (a loan never changes its request or copy).
    kit_request = lock_row(KitRequest, Loan.objects.values_list("request_id", flat=True).get(pk=loan_id))
    loan = lock_row(Loan, loan_id)
    if loan.status != LS.OFFERED or loan.offer_expires_at >= timezone.now():
        return False
    copy = lock_row(KitCopy, loan.copy_id)
    loan.status = LS.EXPIRED
    loan.closed_at = timezone.now()
    loan.save()
    _copy_set_status(copy, CS.AVAILABLE, actor=None, reason=_("Offer expired"))
    _request_set_status(
        kit_request,
        RS.EXPIRED,
        actor=None,
        note=_(
            "The kit offered to you was not confirmed within %(days)s days and passed to the next request. "
            "You are welcome to request again."
        )
        % {"days": settings.KITS_OFFER_DAYS},
    )
    return True


# Loans ------------------------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def loan_ship(*, actor: AbstractBaseUser, loan: Loan, carrier: str, tracking_number: str) -> Loan:
    _require_staff(actor)
    hold = _hold_locked()
    if hold.is_on:
        raise KitsError(_("Shipping is paused network-wide: nothing ships until it resumes."))
    kit_request = lock_row(KitRequest, loan.request_id)
    loan = lock_row(Loan, loan.pk)
    copy = lock_row(KitCopy, loan.copy_id)
    if loan.status != LS.ACCEPTED:
        raise KitsError(_("Only a kit whose requester confirmed the address and dates can ship."))
    if not carrier.strip() or not tracking_number.strip():
        raise KitsError(_("Please give the carrier and the tracking number."))
    loan.status = LS.SHIPPED
    loan.shipped_at = timezone.now()
    loan.carrier = carrier.strip()
    loan.tracking_number = tracking_number.strip()
    loan.save()
    _copy_set_status(copy, CS.SHIPPED, actor=actor)
    _request_set_status(
        kit_request,
        RS.SHIPPED,
        actor=actor,
        note=_("Carrier: %(carrier)s, tracking number: %(tracking)s")
        % {"carrier": loan.carrier, "tracking": loan.tracking_number},
    )
    return loan


@transaction.atomic(durable=True)
def loan_deliver(*, actor: AbstractBaseUser, loan: Loan) -> Loan:
    _require_staff(actor)
    kit_request = lock_row(KitRequest, loan.request_id)
    loan = lock_row(Loan, loan.pk)
    copy = lock_row(KitCopy, loan.copy_id)
    if loan.status != LS.SHIPPED:
        raise KitsError(_("Only a shipped kit can be marked delivered."))
    loan.status = LS.ON_LOAN
    loan.delivered_at = timezone.now()
    loan.due_date = timezone.localdate() + datetime.timedelta(days=settings.KITS_LOAN_DAYS)
    loan.save()
    _copy_set_status(copy, CS.ON_LOAN, actor=actor)
    _request_set_status(
        kit_request, RS.DELIVERED, actor=actor, note=_("Due back on %(date)s.") % {"date": loan.due_date}
    )
    return loan


@transaction.atomic(durable=True)
def loan_renew(*, actor: User, loan: Loan) -> Loan:
    """One renewal, and only when nobody waits for this kit type."""
    _hold_locked()  # the queue does not grow between the check and the renewal
    kit_request = lock_row(KitRequest, loan.request_id)
    loan = lock_row(Loan, loan.pk)
    if loan.status != LS.ON_LOAN:
        raise KitsError(_("Only a kit on loan can be renewed."))
    if loan.renewed:
        raise KitsError(_("This loan was already renewed once."))
    if selectors.others_waiting(kit_request.kit_type_id):
        raise KitsError(_("Other libraries are waiting for this kit, so it cannot be renewed."))
    loan.renewed = True
    loan.due_date = loan.due_date + datetime.timedelta(days=settings.KITS_RENEWAL_DAYS)
    loan.due_soon_sent = False
    loan.save()
    RequestEvent.objects.create(
        request=kit_request,
        status=kit_request.status,
        actor=_actor(actor),
        note=_("Renewed: due back on %(date)s.") % {"date": loan.due_date},
    )
    audit_record(actor=_actor(actor), action="loan.renew", obj=loan, detail={"due_date": str(loan.due_date)})
    notify.requester_notify(kit_request, "renewed", note=_("Due back on %(date)s.") % {"date": loan.due_date})
    return loan


@transaction.atomic(durable=True)
def loan_return(
    *,
    actor: AbstractBaseUser,
    copy: KitCopy,
    missing_parts: list[str] | None = None,
    damaged_parts: list[str] | None = None,
    notes: str = "",
) -> Loan:
    """A copy comes back, with its condition report against the contents checklist. It then awaits sanitation."""
    _require_staff(actor)
    loan_id = Loan.objects.filter(copy=copy, status__in=(LS.SHIPPED, LS.ON_LOAN)).values_list("pk", flat=True).first()
    if loan_id is None:
        raise KitsError(_("Kit %(tag)s is not on loan, so it cannot be returned.") % {"tag": copy.asset_tag})
    kit_request = lock_row(KitRequest, Loan.objects.values_list("request_id", flat=True).get(pk=loan_id))
    loan = lock_row(Loan, loan_id)
    copy = lock_row(KitCopy, copy.pk)
    if loan.status not in (LS.SHIPPED, LS.ON_LOAN):
        raise KitsError(_("Kit %(tag)s is not on loan, so it cannot be returned.") % {"tag": copy.asset_tag})
    contents = set(copy.kit_type.contents)
    missing, damaged = list(missing_parts or []), list(damaged_parts or [])
    unknown = sorted((set(missing) | set(damaged)) - contents)
    if unknown:
        raise KitsError(_("Not on this kit's contents checklist: %(parts)s") % {"parts": ", ".join(unknown)})
    loan.status = LS.RETURNED
    loan.returned_at = timezone.now()
    loan.closed_at = loan.returned_at
    loan.missing_parts = missing
    loan.damaged_parts = damaged
    loan.condition_notes = notes.strip()
    loan.save()
    _copy_set_status(copy, CS.RETURNED, actor=actor, reason=notes.strip())
    _request_set_status(kit_request, RS.RETURNED, actor=actor)
    return loan


@transaction.atomic(durable=True)
def copy_sanitation_record(
    *, actor: AbstractBaseUser, copy: KitCopy, steps_done: list[str], notes: str = ""
) -> SanitationRecord:
    """The sanitation checklist of the guide is done; the copy can go out once the turnaround has passed."""
    _require_staff(actor)
    copy = lock_row(KitCopy, copy.pk)
    if copy.status != CS.RETURNED:
        raise KitsError(_("Only a returned kit awaiting sanitation can be recorded as sanitized."))
    missing = [step for step in copy.kit_type.sanitation_steps if step not in steps_done]
    if missing:
        raise KitsError(
            _("Every step of the sanitation checklist must be done; still to do: %(steps)s")
            % {"steps": "; ".join(missing)}
        )
    now = timezone.now()
    ready_at = now + datetime.timedelta(days=settings.KITS_SANITATION_TURNAROUND_DAYS)
    last_loan = Loan.objects.filter(copy=copy).order_by("-allocated_at", "-id").first()
    record = SanitationRecord.objects.create(
        copy=copy,
        loan=last_loan,
        steps_done=list(steps_done),
        notes=notes.strip(),
        recorded_by=actor,
        ready_at=ready_at,
    )
    copy.available_from = ready_at
    _copy_set_status(
        copy,
        CS.AVAILABLE,
        actor=actor,
        reason=_("Sanitized; ready from %(date)s") % {"date": timezone.localtime(ready_at).strftime("%Y-%m-%d %H:%M")},
    )
    return record


@transaction.atomic(durable=True)
def copy_status_set(*, actor: AbstractBaseUser, copy: KitCopy, status: str, reason: str) -> KitCopy:
    """Staff take a copy out of service (maintenance, retired, lost) or put it back, with a reason."""
    _require_staff(actor)
    if status not in (CS.AVAILABLE, CS.MAINTENANCE, CS.RETIRED, CS.LOST):
        raise KitsError(_("That status is set by the lending steps, not by hand."))
    if not reason.strip():
        raise KitsError(_("Please give the reason."))
    copy = lock_row(KitCopy, copy.pk)
    if Loan.objects.filter(copy=copy, status__in=OPEN_LOAN_STATUSES).exists():
        raise KitsError(_("This kit is lent or reserved; return it first."))
    if copy.status == CS.RETURNED and status == CS.AVAILABLE:
        raise KitsError(_("A returned kit must be sanitized before it can go out again."))
    _copy_set_status(copy, status, actor=actor, reason=reason.strip())
    return copy


@transaction.atomic(durable=True)
def kit_copy_create(*, actor: User, kit_type: KitType, asset_tag: str, home_region) -> KitCopy:
    if actor is not None:
        _require_staff(actor)
    copy = KitCopy(kit_type=kit_type, asset_tag=asset_tag.strip(), home_region=home_region, status=CS.AVAILABLE)
    full_clean_or_raise(copy, KitsError)
    copy.save()
    CopyStatusChange.objects.create(copy=copy, to_status=CS.AVAILABLE, actor=_actor(actor), reason="created")
    audit_record(actor=_actor(actor), action="kit_copy.create", obj=copy)
    return copy


# Scheduled work (called by tasks) ---------------------------------------------------------------------------


def loans_expire_offers(*, now: datetime.datetime | None = None) -> int:
    now = now or timezone.now()
    expired = 0
    for loan_id in Loan.objects.filter(status=LS.OFFERED, offer_expires_at__lt=now).values_list("pk", flat=True):
        if _loan_offer_expire(loan_id=loan_id):
            expired += 1
    if expired:
        kits_allocate(actor=None)
    return expired


def kit_requests_remind_unconfirmed(*, now: datetime.datetime | None = None) -> int:
    """Remind the representative of each request not confirmed within the set business days (and again every
    as many business days after the last reminder)."""
    now = now or timezone.now()
    days = settings.KITS_CONFIRMATION_REMINDER_BUSINESS_DAYS
    sent = 0
    for kit_request in KitRequest.objects.filter(status=RS.SUBMITTED).select_related("organization", "region"):
        since = kit_request.reminded_at or kit_request.submitted
        if add_business_days(timezone.localtime(since), days) <= now and _kit_request_remind(
            kit_request_id=kit_request.pk, now=now
        ):
            sent += 1
    return sent


@transaction.atomic(durable=True)
def _kit_request_remind(*, kit_request_id: int, now: datetime.datetime) -> bool:
    kit_request = lock_row(KitRequest, kit_request_id)
    since = kit_request.reminded_at or kit_request.submitted
    days = settings.KITS_CONFIRMATION_REMINDER_BUSINESS_DAYS
    if kit_request.status != RS.SUBMITTED or add_business_days(timezone.localtime(since), days) > now:
        return False  # confirmed, or reminded by another run, meanwhile
    kit_request.reminded_at = now
    kit_request.save(update_fields=["reminded_at"])
    notify.representatives_notify(kit_request, selectors.representatives_of(kit_request.region), reminder=True)
    audit_record(actor=None, action="kit_request.remind", obj=kit_request)
    return True


def loans_send_notices(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Due soon (once), overdue (every few days), then lost after the set period: a library system's schedule."""
    now = now or timezone.now()
    counts = {"due_soon": 0, "overdue": 0, "lost": 0}
    for loan_id in Loan.objects.filter(status=LS.ON_LOAN).values_list("pk", flat=True):
        kind = _loan_notice(loan_id=loan_id, now=now)
        if kind:
            counts[kind] += 1
    return counts


@transaction.atomic(durable=True)
def _loan_notice(*, loan_id: int, now: datetime.datetime) -> str | None:
    request_id = Loan.objects.values_list("request_id", flat=True).get(pk=loan_id)
    kit_request = lock_row(KitRequest, request_id)
    loan = lock_row(Loan, loan_id)
    if loan.status != LS.ON_LOAN or loan.due_date is None:
        return None
    today = timezone.localdate(now)
    if today > loan.due_date:
        days_over = (today - loan.due_date).days
        if days_over >= settings.KITS_LOST_AFTER_DAYS:
            copy = lock_row(KitCopy, loan.copy_id)
            loan.status = LS.LOST
            loan.closed_at = now
            loan.save()
            _copy_set_status(copy, CS.LOST, actor=None, reason=ngettext(
                "Overdue %(days)s day", "Overdue %(days)s days", days_over) % {"days": days_over})
            _request_set_status(
                kit_request,
                RS.LOST,
                actor=None,
                note=_("The kit was due on %(date)s and is now recorded as lost. Please contact us.")
                % {"date": loan.due_date},
            )
            return "lost"
        interval = datetime.timedelta(days=settings.KITS_OVERDUE_NOTICE_DAYS)
        if loan.last_overdue_notice is None or now - loan.last_overdue_notice >= interval:
            loan.overdue_notices += 1
            loan.last_overdue_notice = now
            loan.save(update_fields=["overdue_notices", "last_overdue_notice"])
            audit_record(actor=None, action="loan.overdue_notice", obj=loan, detail={"days": days_over})
            notify.requester_notify(kit_request, "overdue", note=_("It was due on %(date)s.") % {"date": loan.due_date})
            return "overdue"
        return None
    if not loan.due_soon_sent and (loan.due_date - today).days <= settings.KITS_DUE_SOON_DAYS:
        loan.due_soon_sent = True
        loan.save(update_fields=["due_soon_sent"])
        audit_record(actor=None, action="loan.due_soon_notice", obj=loan)
        notify.requester_notify(kit_request, "due_soon", note=_("It is due on %(date)s.") % {"date": loan.due_date})
        return "due_soon"
    return None


# The activity guide's audio ----------------------------------------------------------------------------------


def audio_track_upload(
    *,
    actor: User,
    language: str,
    number: int,
    title: str,
    transcript: str,
    data: bytes,
) -> AudioTrack:
    """Store (or replace) one track of the activity guide. The file's type comes from its bytes, its duration
    from the file; anything else is refused with a message saying what we accept. ``actor`` None is the demo."""
    if actor is not None:
        _require_staff(actor)
    if language not in dict(AUDIO_LANGUAGES):
        raise KitsError(_("Unknown language."))
    if not 1 <= number <= TRACK_COUNT:
        raise KitsError(_("The track number must be between 1 and %(count)s.") % {"count": TRACK_COUNT})
    if not title.strip():
        raise KitsError(_("Please give the track's title."))
    limit = settings.KITS_AUDIO_MAX_BYTES
    if len(data) > limit:
        raise KitsError(
            _("The file is larger than %(limit)s MB; please upload a smaller file.") % {"limit": limit // (1024 * 1024)}
        )
    info = read_audio(data)
    if info is None:
        raise KitsError(
            _(
                "This file is not audio we can use. Please upload an MP3, Ogg, M4A/AAC or WAV file (the type is read "
                "from the file itself, not its name)."
            )
        )
    return _audio_track_write(
        actor=actor,
        language=language,
        number=number,
        title=title.strip(),
        transcript=transcript.strip(),
        data=data,
        info=info,
    )


@transaction.atomic(durable=True)
def _audio_track_write(
    *, actor: User, language: str, number: int, title: str, transcript: str, data: bytes, info: AudioInfo
) -> AudioTrack:
    track = AudioTrack.objects.select_for_update().filter(language=language, number=number).first()
    old_name = track.file.name if track is not None and track.file else ""
    if track is None:
        track = AudioTrack(language=language, number=number)
    track.title = title
    track.transcript = transcript
    track.content_type = info.content_type
    track.extension = info.extension
    track.duration_seconds = info.duration_seconds
    track.size = len(data)
    track.uploaded_by = _actor(actor)
    # A new name each time (the storage adds a suffix), so a cached old file is never served for the new one;
    # the old file is removed once the new row is committed.
    track.file.save(audio_upload_to(track, ""), ContentFile(data), save=False)
    full_clean_or_raise(track, KitsError)
    track.save()
    if old_name and old_name != track.file.name:
        delete_stored_file_after_commit(track.file.storage, old_name)
    audit_record(
        actor=_actor(actor),
        action="audio_track.upload",
        obj=track,
        detail={"language": language, "number": number, "type": info.content_type, "bytes": len(data)},
    )
    return track


@transaction.atomic(durable=True)
def kit_type_save(*, actor: AbstractBaseUser, kit_type: KitType) -> KitType:
    """Create or change a kit type (its contents and sanitation checklists are lists of short lines)."""
    _require_staff(actor)
    is_new = kit_type.pk is None
    for field in ("contents", "sanitation_steps"):
        value = getattr(kit_type, field)
        if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
            raise KitsError(_('The checklists must be lists of text lines, e.g. ["Test strips", "Gloves"].'))
        setattr(kit_type, field, [item.strip() for item in value])
    full_clean_or_raise(kit_type, KitsError)
    kit_type.save()
    audit_record(actor=actor, action="kit_type.create" if is_new else "kit_type.update", obj=kit_type)
    return kit_type
