"""Registration, capacity and the waitlist (services), on both databases."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from crowdsci.events import services
from crowdsci.events.errors import EventsError
from crowdsci.events.models import Event, Registration
from crowdsci.events.tests.factories import make_event, register

pytestmark = pytest.mark.django_db

Status = Registration.Status


def statuses(event: Event) -> dict[str, str]:
    return dict(event.registrations.values_list("name", "status"))


def test_registrations_fill_the_event_then_join_the_waitlist_with_their_party_size():
    event = make_event(capacity=4)
    register(event, "Ada", party_size=3)
    register(event, "Ben", party_size=2)  # does not fit in the one place left
    register(event, "Cy", party_size=1)
    event.refresh_from_db()
    assert statuses(event) == {"Ada": Status.CONFIRMED, "Ben": Status.WAITLISTED, "Cy": Status.CONFIRMED}
    assert event.places_taken == 4
    assert event.places_left == 0
    assert Registration.objects.get(name="Ben").party_size == 2


def test_a_party_too_large_for_the_places_left_is_offered_the_waitlist_and_nothing_is_stored():
    event = make_event(capacity=4)
    register(event, "Ada", party_size=3)
    with pytest.raises(services.WaitlistOffered, match="Only 1 place"):
        register(event, "Ben", party_size=2, join_waitlist=False)
    assert not Registration.objects.filter(name="Ben").exists()
    register(event, "Dee", join_waitlist=False)
    with pytest.raises(services.WaitlistOffered, match="full"):
        register(event, "Cy", join_waitlist=False)
    assert sorted(event.registrations.values_list("name", flat=True)) == ["Ada", "Dee"]


def test_a_party_larger_than_the_whole_event_is_refused():
    event = make_event(capacity=3)
    with pytest.raises(EventsError, match="3 places in all"):
        register(event, "Ada", party_size=4)


def test_cancelling_promotes_the_first_waiting_entries_that_fit_in_order(django_capture_on_commit_callbacks):
    event = make_event(capacity=4)
    ada = register(event, "Ada", party_size=4)
    register(event, "Ben", party_size=3)
    register(event, "Cy", party_size=2)
    register(event, "Dee", party_size=1)
    register(event, "Eve", party_size=1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration_id=ada.pk)
    event.refresh_from_db()
    # Ben (3) first; then only 1 place left: Cy (2) keeps his place in line, Dee (1) fits, Eve waits.
    assert statuses(event) == {
        "Ada": Status.CANCELLED,
        "Ben": Status.CONFIRMED,
        "Cy": Status.WAITLISTED,
        "Dee": Status.CONFIRMED,
        "Eve": Status.WAITLISTED,
    }
    assert event.places_taken == 4
    assert sorted(message.to[0] for message in mail.outbox) == ["ben@example.org", "dee@example.org"]
    assert all("A place opened up" in message.subject for message in mail.outbox)


def test_a_waitlisted_person_leaves_without_freeing_anything():
    event = make_event(capacity=1)
    register(event, "Ada")
    ben = register(event, "Ben")
    services.registration_cancel(registration_id=ben.pk)
    event.refresh_from_db()
    assert statuses(event) == {"Ada": Status.CONFIRMED, "Ben": Status.CANCELLED}
    assert event.places_taken == 1


def test_cancelling_twice_is_harmless_and_frees_places_once():
    event = make_event(capacity=1)
    ada = register(event, "Ada")
    register(event, "Ben")
    register(event, "Cy")
    services.registration_cancel(registration_id=ada.pk)
    services.registration_cancel(registration_id=ada.pk)
    event.refresh_from_db()
    assert statuses(event) == {"Ada": Status.CANCELLED, "Ben": Status.CONFIRMED, "Cy": Status.WAITLISTED}
    assert event.places_taken == 1


def test_a_larger_capacity_promotes_at_once():
    from crowdsci.events.forms import EventForm
    from crowdsci.network.tests.factories import make_user

    event = make_event(capacity=1)
    register(event, "Ada")
    register(event, "Ben")
    staff = make_user("staffer", role="staff")
    form = EventForm(initial=EventForm.initial_for(event))
    fields = services.EventFields(
        **{
            "title": event.title,
            "description": event.description,
            "starts_at": event.starts_at,
            "ends_at": event.ends_at,
            "timezone": event.timezone,
            "format": event.format,
            "city": event.city,
            "jurisdiction": event.jurisdiction,
            "capacity": 2,
        }
    )
    assert form.initial["capacity"] == 1
    services.event_update(actor=staff, event=event, fields=fields)
    assert statuses(event) == {"Ada": Status.CONFIRMED, "Ben": Status.CONFIRMED}
    fields.capacity = 1
    with pytest.raises(EventsError, match="2 places are already taken"):
        services.event_update(actor=staff, event=event, fields=fields)


def test_one_active_registration_per_email_whatever_its_case():
    event = make_event(capacity=5)
    register(event, "Ada", email="ada@example.org")
    with pytest.raises(EventsError, match="already registered"):
        register(event, "Ada again", email="ADA@Example.org")
    assert event.registrations.count() == 1


def test_after_cancelling_the_same_email_can_register_again():
    event = make_event(capacity=5)
    ada = register(event, "Ada")
    services.registration_cancel(registration_id=ada.pk)
    assert register(event, "Ada").status == Status.CONFIRMED


def test_registration_is_refused_for_past_cancelled_and_no_registration_events():
    past = make_event(starts_at=timezone.now() - datetime.timedelta(hours=1))
    with pytest.raises(EventsError, match="already started"):
        register(past, "Ada")
    cancelled = make_event(status=Event.Status.CANCELLED)
    with pytest.raises(EventsError, match="cancelled"):
        register(cancelled, "Ada")
    open_door = make_event(registration_required=False)
    with pytest.raises(EventsError, match="no registration"):
        register(open_door, "Ada")
    assert not Registration.objects.exists()


def test_unlimited_capacity_confirms_everyone():
    event = make_event(capacity=None)
    for name in ("Ada", "Ben", "Cy"):
        register(event, name, party_size=20)
    event.refresh_from_db()
    assert event.places_taken == 60
    assert set(statuses(event).values()) == {Status.CONFIRMED}


def test_confirmation_and_waitlist_emails_carry_a_cancel_link(django_capture_on_commit_callbacks):
    event = make_event(capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        register(event, "Ada")
        register(event, "Ben")
    confirmed, waitlisted = mail.outbox
    assert confirmed.subject.startswith("You are registered")
    assert waitlisted.subject.startswith("You are on the waitlist")
    assert "/citizen-science-month/registrations/" in confirmed.body
    assert "/cancel/" in waitlisted.body
