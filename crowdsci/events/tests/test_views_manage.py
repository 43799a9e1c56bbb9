"""Host sign-up, review, the host's dashboard and event pages, check-in and exports: who may see what."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from crowdsci.events.models import Event, FeaturedProject, Host, Registration
from crowdsci.events.tests.factories import make_edition, make_event, make_host, register
from crowdsci.network.tests.factories import make_organization, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def georgia():
    make_edition()
    library = make_organization("Atlanta Library", state="GA", city="Atlanta")
    host = make_host(library)
    return {
        "host": host,
        "event": make_event(host, title="Bird count"),
        "organizer": make_user("organizer", role="organizer", organization=library),
        "coordinator": make_user("coord2", role="coordinator", region=2),
        "other_coordinator": make_user("coord5", role="coordinator", region=5),
        "stranger": make_user("stranger", role="organizer", organization=make_organization("Elsewhere")),
        "staff": make_user("staffer", role="staff"),
    }


def test_a_library_signs_up_and_lands_on_its_dashboard(client):
    make_edition(signup_deadline=timezone.localdate() + datetime.timedelta(days=30))
    library = make_organization("Savannah Library", state="GA", city="Savannah")
    assert client.get("/citizen-science-month/host/").status_code == 302  # sign in first
    client.force_login(make_user("librarian"))
    response = client.post(
        "/citizen-science-month/host/",
        {
            "organization": library.pk,
            "contact_name": "Pat",
            "contact_email": "pat@example.org",
            "format": "hybrid",
            "expected_attendance": 25,
            "shipping_address": "1 Bay St",
        },
        follow=True,
    )
    assert "with your regional coordinator for review" in response.content.decode()
    assert "Savannah Library" in response.content.decode()
    assert Host.objects.get().status == Host.Status.PENDING


def test_a_coordinator_reviews_only_their_regions_hosts(client, georgia):
    client.force_login(georgia["other_coordinator"])
    assert "Atlanta Library" not in client.get("/citizen-science-month/manage/review/").content.decode()
    assert client.get(f"/citizen-science-month/manage/review/{georgia['host'].pk}/").status_code == 404
    client.force_login(georgia["organizer"])
    assert client.get("/citizen-science-month/manage/review/").status_code == 403
    client.force_login(georgia["coordinator"])
    assert "Atlanta Library" in client.get("/citizen-science-month/manage/review/").content.decode()
    response = client.post(
        f"/citizen-science-month/manage/review/{georgia['host'].pk}/",
        {"kit-kit_status": "shipped", "kit-carrier": "UPS", "kit-tracking_number": "1Z"},
        follow=True,
    )
    assert "Kit status saved" in response.content.decode()
    assert Host.objects.get().kit_tracking_number == "1Z"


def test_a_host_registers_and_edits_only_its_own_events(client, georgia):
    client.force_login(georgia["stranger"])
    assert client.get(f"/citizen-science-month/manage/hosts/{georgia['host'].pk}/events/new/").status_code == 404
    assert client.get(f"/citizen-science-month/manage/events/{georgia['event'].slug}/edit/").status_code == 403
    client.force_login(georgia["organizer"])
    day = timezone.localdate() + datetime.timedelta(days=20)
    response = client.post(
        f"/citizen-science-month/manage/hosts/{georgia['host'].pk}/events/new/",
        {
            "title": "Cloud watch",
            "description": "Clouds.",
            "date": day.isoformat(),
            "start_time": "10:00",
            "end_time": "09:00",
            "timezone": "America/New_York",
            "format": "in_person",
            "city": "Atlanta",
            "state": "GA",
            "language": "en",
        },
    )
    assert "The event must end after it starts." in response.content.decode()
    response = client.post(
        f"/citizen-science-month/manage/hosts/{georgia['host'].pk}/events/new/",
        {
            "title": "Cloud watch",
            "description": "Clouds.",
            "date": day.isoformat(),
            "start_time": "10:00",
            "end_time": "12:00",
            "timezone": "America/Chicago",
            "format": "in_person",
            "city": "Atlanta",
            "state": "GA",
            "language": "en",
            "capacity": "12",
            "registration_required": "on",
        },
    )
    event = Event.objects.get(title="Cloud watch")
    assert response.status_code == 302 and response["Location"] == event.get_absolute_url()
    assert event.local_start.hour == 10 and event.timezone == "America/Chicago"
    assert client.get(f"/citizen-science-month/manage/events/{event.slug}/edit/").status_code == 200


def test_an_event_can_run_past_midnight_or_over_several_days(client, georgia):
    from crowdsci.events.forms import EventForm

    client.force_login(georgia["organizer"])
    day = timezone.localdate() + datetime.timedelta(days=20)
    form = {
        "title": "Star party",
        "description": "Stars.",
        "date": day.isoformat(),
        "start_time": "21:00",
        "end_time": "01:00",
        "timezone": "America/New_York",
        "format": "in_person",
        "city": "Atlanta",
        "state": "GA",
        "language": "en",
    }
    url = f"/citizen-science-month/manage/hosts/{georgia['host'].pk}/events/new/"
    # 21:00 to 01:00 on the same day ends before it starts ...
    assert "The event must end after it starts." in client.post(url, form).content.decode()
    # ... and ends the next morning when the end date says so.
    assert client.post(url, {**form, "end_date": (day + datetime.timedelta(days=1)).isoformat()}).status_code == 302
    event = Event.objects.get(title="Star party")
    assert (event.local_end - event.local_start) == datetime.timedelta(hours=4)
    page = client.get(event.get_absolute_url()).content.decode()
    assert f"{(day + datetime.timedelta(days=1)).strftime('%a %-d %b %Y')}, 1 a.m." in page
    from django.utils import formats

    from crowdsci.events.emails import _when

    assert formats.date_format(event.local_end, "DATE_FORMAT") in _when(event)  # the emails say so too
    initial = EventForm.initial_for(event)
    assert (initial["date"], initial["end_date"]) == (day, day + datetime.timedelta(days=1))
    assert (
        "The event must end after it starts."
        in client.post(
            url, {**form, "title": "Backwards", "end_date": (day - datetime.timedelta(days=1)).isoformat()}
        ).content.decode()
    )


def test_registrant_emails_are_seen_by_the_host_the_regions_coordinator_and_staff_only(client, georgia):
    register(georgia["event"], "Ada")
    url = f"/citizen-science-month/manage/events/{georgia['event'].slug}/registrations/"
    for who in ("stranger", "other_coordinator"):
        client.force_login(georgia[who])
        assert client.get(url).status_code == 403
        assert client.get(url.replace("registrations/", "registrations.csv")).status_code == 403
    for who in ("organizer", "coordinator", "staff"):
        client.force_login(georgia[who])
        assert "ada@example.org" in client.get(url).content.decode()
    csv = b"".join(client.get(url.replace("registrations/", "registrations.csv")).streaming_content).decode()
    assert csv.splitlines()[1].startswith("Ada,ada@example.org,1,Confirmed")


def test_the_host_checks_people_in(client, georgia):
    ada = register(georgia["event"], "Ada")
    client.force_login(georgia["organizer"])
    url = f"/citizen-science-month/manage/events/{georgia['event'].slug}/registrations/"
    client.post(url, {"registration": ada.pk, "attended": "1"})
    assert Registration.objects.get(pk=ada.pk).attended
    assert 'aria-pressed="true"' in client.get(url).content.decode()


def test_the_host_cancels_an_event_and_it_stays_listed_as_cancelled(client, georgia):
    client.force_login(georgia["organizer"])
    client.post(f"/citizen-science-month/manage/events/{georgia['event'].slug}/cancel/", {"reason": "Storm"})
    assert Event.objects.get().status == Event.Status.CANCELLED
    client.logout()
    assert "This event is cancelled." in client.get(georgia["event"].get_absolute_url()).content.decode()


def test_numbers_and_their_csv_are_for_coordinators_and_staff(client, georgia):
    past = make_event(georgia["host"], title="Done", starts_at=timezone.now() - datetime.timedelta(days=1))
    client.force_login(georgia["organizer"])
    client.post(f"/citizen-science-month/manage/events/{past.slug}/report/", {"attendance": 17, "notes": "Good"})
    assert client.get("/citizen-science-month/manage/numbers/").status_code == 403
    client.force_login(georgia["staff"])
    assert "17" in client.get("/citizen-science-month/manage/numbers/").content.decode()
    rows = b"".join(client.get("/citizen-science-month/manage/numbers.csv").streaming_content).decode().splitlines()
    assert rows[0].startswith("region,state,host,event")
    assert any(row.startswith("2,GA,Atlanta Library,Done,") and ",17,Good" in row for row in rows)


def test_staff_import_projects_through_the_page(client, georgia):
    upload = SimpleUploadedFile(
        "p.csv", b"title,description,url,setting\nBirds,Count.,https://p.example.org/b,online\n", "text/csv"
    )
    client.force_login(georgia["coordinator"])
    assert client.get("/citizen-science-month/manage/projects/import/").status_code == 403
    client.force_login(georgia["staff"])
    response = client.post("/citizen-science-month/manage/projects/import/", {"file": upload})
    assert "Imported: 1 created" in response.content.decode()
    assert FeaturedProject.objects.get().slug == "birds"
