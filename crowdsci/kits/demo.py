"""Demo data for Test the Waters: one kit type, twelve copies across the regions, and requests in every state of
the lending cycle (waiting for confirmation, waiting in the queue, offered, shipped, on loan, returned and in
sanitation), ARSL/ABOS priority included. Idempotent: the copies are matched by asset tag, and the requests are
only played through once (when the demo has none yet). Runs after the network's demo (demo_order).
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from crowdsci.kits import services
from crowdsci.kits.models import KitCopy, KitRequest, KitType
from crowdsci.network.models import Organization, Region

SANITATION_GUIDE = """\
Wear gloves. Work on a clean, dry surface away from food.
Empty every sample cup and vial into a sink; rinse each three times with tap water.
Wipe every container, the thermometer and the case with a 70% alcohol wipe; let them air-dry for 10 minutes.
Throw away used test strips and gloves; replace them from stock (check the expiry dates).
Check the kit against its contents list; record anything missing or damaged.
Pack the dry parts back in the case, in the numbered slots."""

SANITATION_STEPS = [
    "Rinse every sample cup and vial three times",
    "Wipe containers, thermometer and case with alcohol",
    "Replace used test strips and gloves",
    "Check the contents list",
]

CONTENTS = [
    "Test strips (50)",
    "Sample cups (10)",
    "Vials with caps (10)",
    "Digital thermometer",
    "Gloves (20 pairs)",
    "Printed activity guide",
    "Carrying case",
]

ACTIVITY_GUIDE = (
    "Ten short audio tracks lead a group through the kit: the tap water at home, what water does for the body, "
    "what goes down the drain, pipes and lead, and where to learn more. Each track has a transcript."
)

# (organization name, the state the demo plays it to)
DEMO_REQUESTS: tuple[tuple[str, str], ...] = (
    ("Blue Ridge Hollow Library", "delivered"),
    ("Sandhills Bookmobile Cooperative", "delivered"),
    ("Tanana Valley Public Library", "returned"),
    ("Okefenokee Regional Bookmobile", "shipped"),
    ("Chesapeake Shore Public Library", "shipped"),
    ("Snake River Public Library", "accepted"),
    ("Black Belt Community Library", "offered"),
    ("Prairie Rose Public Library", "offered"),
    ("Loess Hills Library", "offered"),
    ("Central Valley Medical Library", "offered"),
    ("Lowcountry Medical Library", "offered"),
    # Queued once every copy is out:
    ("Cumberland Plateau Public Library", "confirmed"),
    ("Gulf Coast University Health Sciences Library", "confirmed"),
    ("Delta Health Information Center", "submitted"),
    ("Flint Hills Public Library", "submitted"),
)


def load_demo_kits() -> None:
    kit_type, _created = KitType.objects.update_or_create(
        slug="test-the-waters",
        defaults={
            "name": "Test the Waters kit",
            "description": "A loanable water-testing kit for libraries, from the All of Us partnership.",
            "contents": CONTENTS,
            "sanitation_steps": SANITATION_STEPS,
            "sanitation_guide": SANITATION_GUIDE,
            "activity_guide": ACTIVITY_GUIDE,
        },
    )
    regions = list(Region.objects.order_by("number"))
    for number in range(1, 13):
        tag = f"TTW-{number:02d}"
        if not KitCopy.objects.filter(asset_tag=tag).exists():
            services.kit_copy_create(
                actor=None, kit_type=kit_type, asset_tag=tag, home_region=regions[(number - 1) % len(regions)]
            )
    from crowdsci.kits.audio_demo import load_demo_audio

    load_demo_audio()
    if KitRequest.objects.exists():
        return
    _play_requests(kit_type)


def _play_requests(kit_type: KitType) -> None:
    users = get_user_model().objects
    staff = users.get(username="demo-staff")
    coordinator = users.get(username="demo-coordinator")
    services.copy_status_set(
        actor=staff, copy=KitCopy.objects.get(asset_tag="TTW-12"), status="maintenance", reason="Thermometer replaced"
    )
    today = timezone.localdate()
    made: list[tuple[KitRequest, str]] = []
    for index, (name, target) in enumerate(DEMO_REQUESTS):
        organization = Organization.objects.filter(name=name).first()
        if organization is None:
            continue
        kit_request = services.kit_request_submit(
            actor=None,
            kit_type=kit_type,
            organization=organization,
            contact_name=f"{name.split()[0]} Librarian",
            contact_email=f"kits-{organization.slug[:40]}@example.org",
            shipping_address=f"{organization.address}\n{organization.city}, {organization.jurisdiction.code}",
            intended_use="A water-testing afternoon for families, with the activity guide's audio tracks.",
            start_date=today + datetime.timedelta(days=14 + index),
            end_date=today + datetime.timedelta(days=28 + index),
            audience_size=15 + 5 * index,
        )
        if target != "submitted":
            confirmer = coordinator if kit_request.region.number == 2 else staff
            services.kit_request_confirm_receipt(actor=confirmer, kit_request=kit_request)
        made.append((kit_request, target))
        if index == 10:  # every copy but the one in maintenance is out: the rest wait in the queue
            services.kits_allocate(actor=staff)
    for kit_request, target in made:
        kit_request.refresh_from_db()
        loan = getattr(kit_request, "loan", None)
        if loan is None or target in ("offered", "confirmed", "submitted"):
            continue
        services.loan_offer_accept(
            actor=None,
            kit_request=kit_request,
            shipping_address=kit_request.shipping_address,
            start_date=kit_request.start_date,
            end_date=kit_request.end_date,
        )
        if target == "accepted":
            continue
        services.loan_ship(actor=staff, loan=loan, carrier="UPS", tracking_number=f"1Z-DEMO-{loan.pk:04d}")
        if target == "shipped":
            continue
        services.loan_deliver(actor=staff, loan=loan)
        if target == "returned":
            services.loan_return(actor=staff, copy=loan.copy, damaged_parts=["Carrying case"], notes="Handle loose")
