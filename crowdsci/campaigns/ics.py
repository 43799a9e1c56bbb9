"""iCalendar (.ics) files for hosted events and the campaign's live session, with the icalendar package."""

from __future__ import annotations

from datetime import UTC, datetime

from icalendar import Calendar, Event

PRODID = "-//crowdsci//campaign events//EN"


def _calendar() -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    return calendar


def event_ics(
    *,
    uid: str,
    title: str,
    start: datetime,
    end: datetime,
    description: str = "",
    location: str = "",
    url: str = "",
    updated: datetime | None = None,
) -> bytes:
    """One VEVENT in UTC (every calendar program shows it in its own time zone)."""
    calendar = _calendar()
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", (updated or datetime.now(UTC)).astimezone(UTC))
    event.add("dtstart", start.astimezone(UTC))
    event.add("dtend", end.astimezone(UTC))
    event.add("summary", title)
    if description:
        event.add("description", description)
    if location:
        event.add("location", location)
    if url:
        event.add("url", url)
    calendar.add_component(event)
    return calendar.to_ical()
