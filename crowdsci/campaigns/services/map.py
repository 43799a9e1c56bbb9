"""The participant map: opt-in, coarse pins that the participant can remove at any time."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from crowdsci.campaigns.errors import CampaignsError
from crowdsci.campaigns.models import Campaign, MapPin, Participant
from crowdsci.campaigns.models.community import COARSE_DECIMALS
from crowdsci.core.audit import audit_record
from crowdsci.core.errors import full_clean_or_raise

_STEP = Decimal(1).scaleb(-COARSE_DECIMALS)


def coarse(value: float | Decimal | str) -> Decimal:
    """A coordinate rounded to a tenth of a degree (about 11 km): a town, never a house."""
    return Decimal(str(value)).quantize(_STEP, rounding=ROUND_HALF_UP)


def _participant(user: AbstractBaseUser, campaign: Campaign) -> Participant:
    participant = Participant.objects.filter(campaign=campaign, user=user, left__isnull=True).first()
    if participant is None:
        raise CampaignsError(_("Register for the campaign first, then add yourself to the map."))
    return participant


@transaction.atomic(durable=True)
def map_pin_set(
    *, user: AbstractBaseUser, campaign: Campaign, latitude: float | Decimal, longitude: float | Decimal,
    place: str = "",
) -> MapPin:
    participant = _participant(user, campaign)
    try:
        latitude, longitude = coarse(latitude), coarse(longitude)
    except ArithmeticError:
        raise CampaignsError(_("Those are not coordinates.")) from None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise CampaignsError(_("Those coordinates are not on Earth."))
    pin = MapPin.objects.filter(participant=participant).first() or MapPin(participant=participant)
    pin.latitude, pin.longitude, pin.place = latitude, longitude, place.strip()[:120]
    full_clean_or_raise(pin, CampaignsError)
    pin.save()
    audit_record(actor=user, action="map_pin.set", obj=pin)
    return pin


@transaction.atomic(durable=True)
def map_pin_remove(*, user: AbstractBaseUser, campaign: Campaign) -> bool:
    pin = MapPin.objects.filter(participant__campaign=campaign, participant__user=user).first()
    if pin is None:
        return False
    audit_record(actor=user, action="map_pin.remove", obj=pin)
    pin.delete()
    return True
