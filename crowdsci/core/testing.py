"""Test helpers shared by every app: named users with roles, and an axe-core check for browser tests.

Small hand-written factories instead of fixture files: a test says what it needs by name.
"""

from __future__ import annotations

import itertools
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser

from crowdsci.network.models import Jurisdiction, Organization, Region
from crowdsci.network.services import profile_ensure, role_grant

PASSWORD = "correct-horse-battery-staple-42"  # noqa: S105 -- a test-only password
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


def axe_serious_violations(page) -> list[dict]:
    """Run axe-core (vendored from the npm registry) in the page; return serious and critical violations.

    The script is loaded from our own static files, so the page's Content-Security-Policy allows it as is.
    """
    page.add_script_tag(url=settings.STATIC_URL + "vendor/axe/axe.min.js")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": violation["id"], "impact": violation["impact"], "nodes": [n["target"] for n in violation["nodes"]][:5]}
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
