"""Factories for the kits app's rows. Users and organizations come from the network's factories."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from django.utils import timezone

from crowdsci.kits import services
from crowdsci.kits.models import KitCopy, KitRequest, KitType
from crowdsci.network.models import Affiliation, Region
from crowdsci.network.tests.factories import make_organization

_sequence = itertools.count(1)

CONTENTS = ["Test strips", "Sample cups", "Thermometer", "Activity guide"]
SANITATION_STEPS = ["Wipe every container", "Replace used test strips", "Check the contents list"]


def make_kit_type(name: str = "Test the Waters kit") -> KitType:
    kit_type, _created = KitType.objects.get_or_create(
        slug="test-the-waters",
        defaults={
            "name": name,
            "description": "A water-testing kit.",
            "contents": CONTENTS,
            "sanitation_steps": SANITATION_STEPS,
            "sanitation_guide": "Wipe, replace, check.",
        },
    )
    return kit_type


def make_copy(tag: str | None = None, *, region: int = 2, kit_type: KitType | None = None, **fields: Any) -> KitCopy:
    return KitCopy.objects.create(
        kit_type=kit_type or make_kit_type(),
        asset_tag=tag or f"TTW-{next(_sequence):03d}",
        home_region=Region.objects.get(number=region),
        **fields,
    )


def priority_affiliation(code: str = "arsl") -> Affiliation:
    affiliation, _created = Affiliation.objects.get_or_create(
        code=code, defaults={"name": code.upper(), "gives_kit_priority": True}
    )
    if not affiliation.gives_kit_priority:
        affiliation.gives_kit_priority = True
        affiliation.save()
    return affiliation


def make_request(
    organization=None,
    *,
    name: str | None = None,
    state: str = "GA",
    priority: bool = False,
    confirm_by=None,
    actor=None,
    **fields: Any,
) -> KitRequest:
    """A submitted request (through the service), confirmed too when ``confirm_by`` is given."""
    kit_type = fields.pop("kit_type", None) or make_kit_type()
    if organization is None:
        affiliations = [priority_affiliation()] if priority else []
        organization = make_organization(
            name or f"Kit Library {next(_sequence)}", state=state, city="Town", affiliations=affiliations
        )
    today = timezone.localdate()
    values = {
        "contact_name": "Ada Librarian",
        "contact_email": "ada@example.org",
        "shipping_address": "1 Main Street",
        "intended_use": "A water-testing afternoon.",
        "start_date": today + datetime.timedelta(days=10),
        "end_date": today + datetime.timedelta(days=20),
        "audience_size": 25,
        **fields,
    }
    kit_request = services.kit_request_submit(actor=actor, kit_type=kit_type, organization=organization, **values)
    if confirm_by is not None:
        kit_request = services.kit_request_confirm_receipt(actor=confirm_by, kit_request=kit_request)
    return kit_request


def accept_offer(kit_request: KitRequest, actor=None):
    """The requester confirms the offered kit with the address and dates they asked for."""
    return services.loan_offer_accept(
        actor=actor,
        kit_request=kit_request,
        shipping_address=kit_request.shipping_address or "1 Main Street",
        start_date=kit_request.start_date,
        end_date=kit_request.end_date,
    )
