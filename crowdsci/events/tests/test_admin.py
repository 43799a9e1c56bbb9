"""The events admin: editions created and changed by staff through the services (audited); hosts, events,
registrations and projects read-only, staff seeing everything and a coordinator only their region (a guessed
address of another region's row is a 404); organizers and participants nothing."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from crowdsci.core.models import AuditEntry
from crowdsci.events.models import Edition, Event, FeaturedProject, Host, Registration
from crowdsci.events.tests.factories import make_edition, make_event, make_host, make_project, register
from crowdsci.network.tests.factories import make_organization, make_user

pytestmark = pytest.mark.django_db


def admin_url(model, action="changelist", *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


@pytest.fixture
def world():
    edition = make_edition(2031)
    atlanta = make_host(make_organization("Atlanta Library", state="GA", city="Atlanta"), edition=edition)
    portland = make_host(make_organization("Portland Library", state="OR", city="Portland"), edition=edition)
    birds = make_event(atlanta, title="Atlanta birds")
    clouds = make_event(portland, title="Portland clouds")
    register(birds, "Ada Atlanta")
    register(clouds, "Pat Portland")
    make_project("Bird Count")
    return {
        "edition": edition,
        "atlanta": atlanta,
        "portland": portland,
        "birds": birds,
        "clouds": clouds,
        "staff": make_user("staff", role="staff"),
        "coordinator2": make_user("coordinator2", role="coordinator", region=2),
        "organizer": make_user("organizer", role="organizer", organization=atlanta.organization),
    }


def test_staff_see_every_list_and_no_one_writes_hosts_events_or_registrations_here(client, world):
    client.force_login(world["staff"])
    for model, names in (
        (Host, ["Atlanta Library", "Portland Library"]),
        (Event, ["Atlanta birds", "Portland clouds"]),
        (Registration, ["ada.atlanta@example.org", "pat.portland@example.org"]),
        (FeaturedProject, ["Bird Count"]),
        (Edition, ["2031"]),
    ):
        response = client.get(admin_url(model))
        assert response.status_code == 200, model
        assert all(name in response.content.decode() for name in names), model
    # Searches and filters answer.
    assert "Portland clouds" not in client.get(admin_url(Event) + "?q=atlanta").content.decode()
    assert client.get(admin_url(Registration) + "?status__exact=confirmed").status_code == 200
    # A detail page is a read-only view; adding, changing and deleting are refused.
    event = world["birds"]
    page = client.get(admin_url(Event, "change", event.pk))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.get(admin_url(Event, "add")).status_code == 403
    assert client.post(admin_url(Event, "change", event.pk), {"title": "Renamed"}).status_code == 403
    assert client.post(admin_url(Event, "delete", event.pk), {"post": "yes"}).status_code == 403
    assert (
        client.post(admin_url(Registration, "delete", event.registrations.get().pk), {"post": "yes"}).status_code == 403
    )
    event.refresh_from_db()
    assert event.title == "Atlanta birds" and Registration.objects.count() == 2


def test_a_coordinator_sees_only_their_regions_hosts_events_and_registrants(client, world):
    client.force_login(world["coordinator2"])
    hosts = client.get(admin_url(Host)).content.decode()
    assert "Atlanta Library" in hosts and "Portland Library" not in hosts
    registrations = client.get(admin_url(Registration)).content.decode()
    assert "ada.atlanta@example.org" in registrations and "pat.portland@example.org" not in registrations
    assert client.get(admin_url(Event, "change", world["birds"].pk)).status_code == 200
    # Another region's rows, by guessed address, do not exist for them.
    assert client.get(admin_url(Event, "change", world["clouds"].pk)).status_code == 404
    assert client.get(admin_url(Host, "change", world["portland"].pk)).status_code == 404
    other = world["clouds"].registrations.get()
    assert client.get(admin_url(Registration, "change", other.pk)).status_code == 404
    content_type = ContentType.objects.get_for_model(Event).pk
    view_on_site = reverse("admin:view_on_site", kwargs={"content_type_id": content_type, "object_id": other.event_id})
    assert client.get(view_on_site).status_code == 404
    # Editions are staff's.
    assert client.get(admin_url(Edition)).status_code == 403


def test_organizers_and_visitors_get_nothing(client, world):
    client.force_login(world["organizer"])
    for model in (Host, Event, Registration, FeaturedProject, Edition):
        assert client.get(admin_url(model)).status_code in (302, 403), model
    client.logout()
    assert client.get(admin_url(Registration)).status_code == 302  # to the sign-in page


def edition_form(**changes) -> dict:
    values = {
        "year": "2032",
        "starts_on": "2032-04-01",
        "ends_on": "2032-04-30",
        "signup_deadline": "2032-03-01",
        "partner": "SciStarter",
        "partner_url": "https://scistarter.org",
        "summary": "Citizen science in April.",
        "kit_contents": "Magnifiers.",
        "materials_guide": "",
    }
    values.update(changes)
    return values


def test_staff_create_and_change_editions_through_the_services(client, world):
    client.force_login(world["staff"])
    response = client.post(admin_url(Edition, "add"), edition_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    edition = Edition.objects.get(year=2032)
    assert AuditEntry.objects.filter(action="edition.create", object_id=str(edition.pk)).exists()
    response = client.post(
        admin_url(Edition, "change", edition.pk), edition_form(year="2099", summary="Now with a kit video.")
    )
    assert response.status_code == 302
    edition.refresh_from_db()
    assert (edition.year, edition.summary) == (2032, "Now with a kit video.")  # the year is read-only
    entry = AuditEntry.objects.get(action="edition.update", object_id=str(edition.pk))
    assert entry.detail == {"summary": "Now with a kit video."}
    # The database's rule (ends after it starts) comes back as a form error, nothing saved.
    response = client.post(admin_url(Edition, "change", edition.pk), edition_form(ends_on="2032-03-01"))
    assert response.status_code == 200
    edition.refresh_from_db()
    assert edition.ends_on == datetime.date(2032, 4, 30)
    assert client.post(admin_url(Edition, "delete", edition.pk), {"post": "yes"}).status_code == 403
