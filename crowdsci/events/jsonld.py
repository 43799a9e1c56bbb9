"""schema.org ``Event`` as JSON-LD: one event for its page, and the list a partner (SciStarter) imports.

On a page the JSON-LD sits in ``<script type="application/ld+json">``: a data block, which browsers never run, so
the Content-Security-Policy's ``script-src 'self'`` does not apply to it and no nonce is needed. It is written
with Django's ``json_script`` escaping (``<``, ``>`` and ``&`` as ``\\u`` escapes), so text from a host can never
close the element.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from crowdsci.events import links
from crowdsci.events.models import Event, Format

_ATTENDANCE_MODE = {
    Format.IN_PERSON: "https://schema.org/OfflineEventAttendanceMode",
    Format.VIRTUAL: "https://schema.org/OnlineEventAttendanceMode",
    Format.HYBRID: "https://schema.org/MixedEventAttendanceMode",
}


def event_jsonld(
    event: Event, *, request: HttpRequest | None = None, context: bool = True, places_left: bool = True
) -> dict[str, Any]:
    url = links.event_url(event)
    data: dict[str, Any] = {
        "@type": "Event",
        "@id": url,
        "name": event.title,
        "description": event.description,
        "url": url,
        "startDate": event.local_start.isoformat(),
        "endDate": event.local_end.isoformat(),
        "eventStatus": (
            "https://schema.org/EventCancelled" if event.is_cancelled else "https://schema.org/EventScheduled"
        ),
        "eventAttendanceMode": _ATTENDANCE_MODE[event.format],
        "inLanguage": event.language,
        "isAccessibleForFree": True,
        "organizer": {"@type": "Organization", "name": event.host.organization.name},
    }
    if context:
        data = {"@context": "https://schema.org", **data}
    locations: list[dict[str, Any]] = []
    if event.is_in_person:
        place: dict[str, Any] = {
            "@type": "Place",
            "name": event.venue or event.host.organization.name,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": event.address,
                "addressLocality": event.city,
                "addressRegion": event.jurisdiction.code,
                "addressCountry": "US",
            },
        }
        if event.latitude is not None and not event.location_is_approximate:
            place["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": float(event.latitude),
                "longitude": float(event.longitude),
            }
        locations.append(place)
    if event.is_virtual:
        locations.append({"@type": "VirtualLocation", "url": event.virtual_url})
    data["location"] = locations[0] if len(locations) == 1 else locations
    if event.capacity is not None:
        data["maximumAttendeeCapacity"] = event.capacity
        if places_left:
            data["remainingAttendeeCapacity"] = event.places_left
    return data


def events_jsonld_list(events) -> dict[str, Any]:
    """An ``ItemList`` of events in start order, for partners' importers.

    Without the places left (each event's page has them): they change with every registration, would be stale
    in an importer's copy at once, and leaving them out lets the list be cached until an event changes."""
    return {
        "@context": "https://schema.org",
        "@type": "ItemList",
        "itemListOrder": "https://schema.org/ItemListOrderAscending",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "item": event_jsonld(event, context=False, places_left=False)}
            for position, event in enumerate(events, start=1)
        ],
    }
