"""Factories for Citizen Science Month rows: an edition, an approved host, an event, registrations."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from django.utils import timezone

from crowdsci.events import services
from crowdsci.events.models import Edition, Event, FeaturedProject, Host, Registration
from crowdsci.network.models import Jurisdiction, Organization
from crowdsci.network.tests.factories import make_organization

_sequence = itertools.count(1)


def make_edition(year: int | None = None, **fields: Any) -> Edition:
    year = year or timezone.localdate().year
    existing = Edition.objects.filter(year=year).first()
    if existing:
        return existing
    return Edition.objects.create(
        year=year,
        starts_on=fields.pop("starts_on", datetime.date(year, 4, 1)),
        ends_on=fields.pop("ends_on", datetime.date(year, 4, 30)),
        signup_deadline=fields.pop("signup_deadline", datetime.date(year, 12, 31)),
        partner=fields.pop("partner", "SciStarter"),
        **fields,
    )


def make_host(
    organization: Organization | None = None,
    *,
    edition: Edition | None = None,
    status: str = Host.Status.APPROVED,
    submitted_by=None,
    **fields: Any,
) -> Host:
    return Host.objects.create(
        edition=edition or make_edition(),
        organization=organization or make_organization(),
        submitted_by=submitted_by,
        contact_name=fields.pop("contact_name", "Pat Host"),
        contact_email=fields.pop("contact_email", "host@example.org"),
        format=fields.pop("format", "in_person"),
        expected_attendance=fields.pop("expected_attendance", 30),
        shipping_address=fields.pop("shipping_address", "1 Main Street"),
        status=status,
        **fields,
    )


def event_fields(**changes: Any) -> services.EventFields:
    """What a host types into the event form: an in-person event in Atlanta in ten days, changed by ``changes``."""
    start = timezone.now() + datetime.timedelta(days=10)
    values = {
        "title": "Bird count",
        "description": "Birds.",
        "starts_at": start,
        "ends_at": start + datetime.timedelta(hours=2),
        "timezone": "America/New_York",
        "format": "in_person",
        "city": "Atlanta",
        "capacity": 10,
    }
    values.update(changes)
    return services.EventFields(**values)


def make_event(
    host: Host | None = None,
    *,
    starts_at: datetime.datetime | None = None,
    hours: float = 2,
    capacity: int | None = 10,
    **fields: Any,
) -> Event:
    host = host or make_host()
    starts_at = starts_at or timezone.now() + datetime.timedelta(days=7)
    number = next(_sequence)
    state = fields.pop("state", None)
    jurisdiction = Jurisdiction.objects.get(code=state) if state else host.organization.jurisdiction
    projects = fields.pop("projects", [])
    if fields.get("latitude") is not None:
        fields.setdefault("location_source", Event.LocationSource.PICKED)
    event = Event.objects.create(
        host=host,
        edition=host.edition,
        slug=fields.pop("slug", f"test-event-{number}"),
        title=fields.pop("title", f"Test event {number}"),
        description=fields.pop("description", "Counting birds together."),
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=hours),
        timezone=fields.pop("timezone", "America/New_York"),
        format=fields.pop("format", "in_person"),
        city=fields.pop("city", host.organization.city),
        jurisdiction=jurisdiction,
        capacity=capacity,
        **fields,
    )
    if projects:
        event.projects.set(projects)
    return event


def make_project(title: str | None = None, **fields: Any) -> FeaturedProject:
    number = next(_sequence)
    title = title or f"Project {number}"
    return FeaturedProject.objects.create(
        slug=fields.pop("slug", f"project-{number}"),
        title=title,
        description=fields.pop("description", "Look, count, report."),
        url=fields.pop("url", f"https://projects.example.org/{number}"),
        setting=fields.pop("setting", FeaturedProject.Setting.BOTH),
        **fields,
    )


def register(event: Event, name: str = "Ada", *, party_size: int = 1, join_waitlist: bool = True, **kw) -> Registration:
    return services.registration_create(
        event_id=event.pk,
        name=name,
        email=kw.pop("email", f"{name.lower().replace(' ', '.')}@example.org"),
        party_size=party_size,
        join_waitlist=join_waitlist,
        **kw,
    )
