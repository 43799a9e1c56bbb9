"""Host sign-up, review by the region's coordinator, the program kit's journey, events and reports."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from crowdsci.catalog.models import Term
from crowdsci.core.models import AuditEntry
from crowdsci.events import services
from crowdsci.events.errors import EventsError
from crowdsci.events.models import Event, Host
from crowdsci.events.tests.factories import event_fields, make_edition, make_event, make_host
from crowdsci.network.tests.factories import make_organization, make_user

pytestmark = pytest.mark.django_db


def signup(user, organization, edition, **extra):
    return services.host_signup(
        actor=user,
        edition=edition,
        organization=organization,
        contact_name="Pat",
        contact_email="pat@example.org",
        format="in_person",
        audiences=list(Term.objects.filter(category__slug="audiences")[:2]),
        expected_attendance=40,
        interests=[],
        shipping_address="1 Main St",
        **extra,
    )


def test_one_signup_per_organization_and_edition_and_none_after_the_deadline():
    edition = make_edition(2031, signup_deadline=datetime.date(2031, 3, 1))
    library = make_organization("Atlanta Library", state="GA", city="Atlanta")
    librarian = make_user("librarian")
    host = signup(librarian, library, edition, today=datetime.date(2031, 2, 1))
    assert host.status == Host.Status.PENDING and host.audiences.count() == 2
    with pytest.raises(EventsError, match="already signed up"):
        signup(librarian, library, edition, today=datetime.date(2031, 2, 1))
    with pytest.raises(EventsError, match="closed on 2031-03-01"):
        signup(librarian, make_organization(), edition, today=datetime.date(2031, 3, 2))
    assert Host.objects.count() == 1


def test_only_the_regions_coordinator_or_staff_review_and_the_host_is_emailed(django_capture_on_commit_callbacks):
    host = make_host(make_organization(state="GA", city="Atlanta"), status="pending", contact_email="pat@example.org")
    other_coordinator = make_user("coord5", role="coordinator", region=5)
    organizer = make_user("organizer", role="organizer", organization=host.organization)
    for outsider in (other_coordinator, organizer):
        with pytest.raises(EventsError, match="regional coordinator"):
            services.host_review(actor=outsider, host=host, approve=True)
    coordinator = make_user("coord2", role="coordinator", region=2)
    with pytest.raises(EventsError, match="reason"):
        services.host_review(actor=coordinator, host=host, approve=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.host_review(actor=coordinator, host=host, approve=False, reason="Outside our program this year.")
    host.refresh_from_db()
    assert host.status == Host.Status.DECLINED and host.reviewed_by == coordinator
    assert mail.outbox[-1].to == ["pat@example.org"] and "Outside our program" in mail.outbox[-1].body
    with django_capture_on_commit_callbacks(execute=True):
        services.host_review(actor=make_user("staffer", role="staff"), host=host, approve=True)
    assert "approved to host" in mail.outbox[-1].body
    assert list(
        AuditEntry.objects.filter(object_type="events.host", object_id=str(host.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    ) == [
        "host.decline",
        "host.approve",
    ]


def test_the_kit_moves_forward_and_a_shipped_kit_has_its_tracking_number():
    host = make_host(make_organization(state="GA", city="Atlanta"))
    coordinator = make_user("coord2", role="coordinator", region=2)
    services.host_kit_update(actor=coordinator, host=host, kit_status="prepared")
    with pytest.raises(EventsError, match="carrier and tracking number"):
        services.host_kit_update(actor=coordinator, host=host, kit_status="shipped")
    services.host_kit_update(actor=coordinator, host=host, kit_status="shipped", carrier="USPS", tracking_number="94")
    with pytest.raises(EventsError, match="further along"):
        services.host_kit_update(actor=coordinator, host=host, kit_status="prepared")
    services.host_kit_update(actor=coordinator, host=host, kit_status="delivered")
    host.refresh_from_db()
    assert (host.kit_status, host.kit_carrier, host.kit_tracking_number) == ("delivered", "USPS", "94")
    pending = make_host(make_organization(state="GA", city="Macon"), status="pending")
    with pytest.raises(EventsError, match="approved host"):
        services.host_kit_update(actor=coordinator, host=pending, kit_status="prepared")


def test_a_host_registers_events_only_for_its_own_organization_once_approved():
    host = make_host(make_organization(state="GA", city="Atlanta", latitude=33.75, longitude=-84.39))
    organizer = make_user("organizer", role="organizer", organization=host.organization)
    stranger = make_user("stranger", role="organizer", organization=make_organization())
    with pytest.raises(EventsError, match="your own organization"):
        services.event_create(actor=stranger, host=host, fields=event_fields())
    event = services.event_create(actor=organizer, host=host, fields=event_fields())
    # Geocoded from the directory: the event is in the host's town and no point was picked.
    assert (float(event.latitude), float(event.longitude)) == (33.75, -84.39)
    assert event.jurisdiction == host.organization.jurisdiction
    pending = make_host(make_organization(state="GA", city="Macon"), status="pending", submitted_by=organizer)
    with pytest.raises(EventsError, match="once the sign-up is approved"):
        services.event_create(actor=organizer, host=pending, fields=event_fields())


def test_bad_event_input_is_refused_with_a_clear_message():
    host = make_host(make_organization(state="GA", city="Atlanta"))
    staff = make_user("staffer", role="staff")
    start = timezone.now() + datetime.timedelta(days=3)
    with pytest.raises(EventsError, match="end after it starts"):
        services.event_create(actor=staff, host=host, fields=event_fields(starts_at=start, ends_at=start))
    with pytest.raises(EventsError, match="needs its link"):
        services.event_create(actor=staff, host=host, fields=event_fields(format="virtual"))
    with pytest.raises(EventsError, match="city and state"):
        services.event_create(actor=staff, host=host, fields=event_fields(city=""))
    assert not Event.objects.exists()


def test_an_event_outside_the_edition_is_allowed_and_flagged():
    edition = make_edition(2031)
    host = make_host(make_organization(state="GA", city="Atlanta"), edition=edition)
    start = datetime.datetime(2031, 5, 3, 14, tzinfo=datetime.UTC)
    event = services.event_create(
        actor=make_user("staffer", role="staff"),
        host=host,
        fields=event_fields(starts_at=start, ends_at=start + datetime.timedelta(hours=1)),
    )
    assert event.outside_edition


def test_attendance_is_reported_after_the_event_and_counted_in_the_editions_numbers():
    from crowdsci.events.selectors import edition_numbers

    host = make_host(make_organization(state="GA", city="Atlanta"))
    organizer = make_user("organizer", role="organizer", organization=host.organization)
    future = make_event(host)
    with pytest.raises(EventsError, match="after the event"):
        services.event_report(actor=organizer, event=future, attendance=5)
    past = make_event(host, starts_at=timezone.now() - datetime.timedelta(days=2))
    services.event_report(actor=organizer, event=past, attendance=23, notes="Rainy but fun.")
    numbers = edition_numbers(host.edition)
    assert (numbers.hosts, numbers.events, numbers.reported_events, numbers.attendees) == (1, 2, 1, 23)
    assert numbers.by_state[0]["jurisdiction__code"] == "GA" and numbers.by_state[0]["attendees"] == 23
