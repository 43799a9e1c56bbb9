"""Hosted events: who may host and change them, the period rule, capacity, joining, the event's own figures,
and the .ics file."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from icalendar import Calendar

from crowdsci.campaigns.errors import CampaignsError
from crowdsci.campaigns.models import HostedEvent
from crowdsci.campaigns.selectors.dashboard import hosted_event_figures
from crowdsci.campaigns.services import events
from crowdsci.campaigns.tests.page_factories import make_campaign, make_credited_edit, make_participant
from crowdsci.network.models import RoleAssignment
from crowdsci.network.tests.factories import make_organization, make_user

pytestmark = pytest.mark.django_db


def organizer():
    return make_user(role=RoleAssignment.Role.ORGANIZER, organization=make_organization())


def host(campaign, actor=None, **fields):
    start = fields.pop("start", campaign.start + timedelta(days=2))
    values = {"title": "Edit-a-thon at the library", "start": start, "end": start + timedelta(hours=2),
              "time_zone": "America/Chicago", "mode": HostedEvent.Mode.VIRTUAL, "url": "https://meet.example.org/x"}
    values.update(fields)
    return events.hosted_event_create(actor=actor or organizer(), campaign=campaign, **values)


def test_organizers_host_events_and_others_cannot():
    campaign = make_campaign()
    assert host(campaign).pk
    with pytest.raises(CampaignsError, match="Only organizers"):
        host(campaign, actor=make_user())


def test_an_event_stays_inside_the_campaign_period_and_has_its_place():
    campaign = make_campaign()
    with pytest.raises(CampaignsError, match="inside the campaign"):
        host(campaign, start=campaign.end - timedelta(hours=1))
    with pytest.raises(CampaignsError, match="address"):
        host(campaign, mode=HostedEvent.Mode.IN_PERSON, address="")
    with pytest.raises(CampaignsError, match="time zone"):
        host(campaign, time_zone="Mars/Olympus")


def test_only_its_organizer_or_staff_change_an_event():
    campaign = make_campaign()
    owner = organizer()
    event = host(campaign, actor=owner)
    fields = {"title": "Renamed", "start": event.start, "end": event.end, "time_zone": event.time_zone,
              "mode": event.mode, "url": event.url}
    with pytest.raises(CampaignsError):
        events.hosted_event_update(actor=organizer(), event=event, **fields)
    events.hosted_event_update(actor=make_user(role=RoleAssignment.Role.STAFF), event=event, **fields)
    assert HostedEvent.objects.get().title == "Renamed"


def test_capacity_holds_and_joining_needs_a_registration():
    campaign = make_campaign()
    event = host(campaign, capacity=1)
    first, second, outsider = make_user(), make_user(), make_user()
    make_participant(campaign, user=first)
    make_participant(campaign, user=second)
    events.hosted_event_join(user=first, event=event)
    events.hosted_event_join(user=first, event=event)  # twice is once
    with pytest.raises(CampaignsError, match="full"):
        events.hosted_event_join(user=second, event=event)
    with pytest.raises(CampaignsError, match="Register"):
        events.hosted_event_join(user=outsider, event=event)
    events.hosted_event_leave(user=first, event=event)
    events.hosted_event_join(user=second, event=event)
    assert event.attendees.get().participant.user == second


def test_the_event_counts_its_participants_edits_inside_its_window():
    campaign = make_campaign()
    event = host(campaign)
    user = make_user()
    attendee = make_participant(campaign, "Attendee", user=user)
    other = make_participant(campaign, "Other")
    events.hosted_event_join(user=user, event=event)
    make_credited_edit(campaign, user="Attendee", participant=attendee, timestamp=event.start + timedelta(minutes=5),
                       citations=3, nlm=2)
    make_credited_edit(campaign, user="Attendee", participant=attendee, timestamp=event.end + timedelta(hours=1))
    make_credited_edit(campaign, user="Other", participant=other, timestamp=event.start + timedelta(minutes=5))
    assert hosted_event_figures(event) == {"edits": 1, "citations_added": 3, "nlm_citations_added": 2, "editors": 1}


def test_the_ics_download_is_a_valid_calendar_in_utc(client: Client):
    campaign = make_campaign("spring")
    event = host(campaign, title='Edit <b>"night"</b>', description="Bring a laptop")
    response = client.get(f"/campaigns/spring/events/{event.pk}/event.ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    [component] = calendar.walk("VEVENT")
    assert str(component["SUMMARY"]) == 'Edit <b>"night"</b>'
    assert component.decoded("DTSTART") == event.start.replace(microsecond=0)
    assert component.decoded("DTEND") == event.end.replace(microsecond=0)
    assert str(component["LOCATION"]) == "https://meet.example.org/x"
    # A second parser agrees (ics is the project's cross-check for feeds).
    import ics

    [parsed] = list(ics.Calendar(response.content.decode()).events)
    assert parsed.begin.datetime == event.start.replace(microsecond=0)


def test_the_event_page_escapes_and_lists_on_the_campaign(client: Client):
    campaign = make_campaign("spring")
    event = host(campaign, title="<img src=x onerror=alert(1)>")
    page = client.get(f"/campaigns/spring/events/{event.pk}/").content.decode()
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert f"/campaigns/spring/events/{event.pk}/" in client.get("/campaigns/spring/").content.decode()


def test_the_event_form_creates_for_organizers_and_refuses_others(client: Client):
    campaign = make_campaign("spring")
    start = (campaign.start + timedelta(days=3)).astimezone().strftime("%Y-%m-%dT%H:%M")
    end = (campaign.start + timedelta(days=3, hours=2)).astimezone().strftime("%Y-%m-%dT%H:%M")
    data = {"title": "Hosted", "start": start, "end": end, "time_zone": "America/New_York", "mode": "in_person",
            "address": "1 Main Street, Baltimore"}
    client.force_login(make_user())
    assert client.post("/campaigns/spring/events/new/", data).status_code == 403
    client.force_login(organizer())
    response = client.post("/campaigns/spring/events/new/", data)
    assert response.status_code == 302
    assert HostedEvent.objects.get().address == "1 Main Street, Baltimore"
