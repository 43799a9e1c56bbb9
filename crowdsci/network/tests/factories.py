"""Factories for the network's rows, shared by every app's tests: named users with roles, and organizations.

Small hand-written factories instead of fixture files: a test says what it needs by name.
"""

from __future__ import annotations

import itertools
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser

from crowdsci.core.testing import PASSWORD
from crowdsci.network.models import Jurisdiction, Organization, Region
from crowdsci.network.services import profile_ensure, role_grant

_sequence = itertools.count(1)


def make_user(
    name: str | None = None,
    *,
    role: str | None = None,
    region: Region | int | None = None,
    organization: Organization | None = None,
    superuser: bool = False,
    verified: bool = True,
) -> AbstractBaseUser:
    """A user who can log in with PASSWORD (email verified unless told otherwise), with an optional role."""
    from allauth.account.models import EmailAddress

    name = name or f"user{next(_sequence)}"
    email = f"{name}@example.org"
    user_model = get_user_model()
    user = user_model.objects.create_user(
        username=name, email=email, password=PASSWORD, is_superuser=superuser, is_staff=superuser
    )
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    profile_ensure(user=user)
    if isinstance(region, int):
        region = Region.objects.get(number=region)
    if role:
        role_grant(actor=None, user=user, role=role, region=region, organization=organization)
    return user


def make_organization(
    name: str | None = None, *, state: str = "MD", city: str = "Baltimore", **fields: Any
) -> Organization:
    from django.utils.text import slugify

    name = name or f"Test Library {next(_sequence)}"
    affiliations = fields.pop("affiliations", [])
    organization = Organization.objects.create(
        name=name,
        slug=fields.pop("slug", slugify(f"{name}-{city}-{state}")[:220]),
        type=fields.pop("type", Organization.Type.PUBLIC),
        city=city,
        jurisdiction=Jurisdiction.objects.get(code=state),
        **fields,
    )
    if affiliations:
        organization.affiliations.set(affiliations)
    return organization
