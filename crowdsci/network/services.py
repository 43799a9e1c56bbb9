"""Writes of the network app. Each is one function, in one durable transaction, with an audit row."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from crowdsci.network.errors import NetworkError
from crowdsci.network.models import AuditEntry, Organization, Profile, Region, RoleAssignment

Role = RoleAssignment.Role

# Roles that work in the Django admin, and the permission group that gives each its model permissions.
ADMIN_GROUP_FOR_ROLE = {Role.STAFF: "Network staff", Role.COORDINATOR: "Regional coordinators"}


def audit_record(
    *, actor: AbstractBaseUser | None, action: str, obj: object, detail: dict | None = None
) -> AuditEntry:
    """Write an audit row; called inside the caller's transaction so it commits or rolls back with the change."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        detail=detail or {},
    )


def profile_ensure(*, user: AbstractBaseUser) -> Profile:
    """The user's profile, created empty on first need."""
    profile, _created = Profile.objects.get_or_create(user=user)
    return profile


@transaction.atomic(durable=True)
def profile_update(
    *,
    user: AbstractBaseUser,
    display_name: str,
    organization: Organization | None,
    wikipedia_username: str,
    preferred_language: str,
) -> Profile:
    profile = profile_ensure(user=user)
    profile.display_name = display_name.strip()
    profile.organization = organization
    profile.wikipedia_username = wikipedia_username_normalize(wikipedia_username)
    profile.preferred_language = preferred_language
    try:
        profile.full_clean()
    except ValidationError as error:
        if "__all__" in error.message_dict or "wikipedia_username" in error.message_dict:
            raise NetworkError(_("That Wikipedia username is already linked to another account.")) from error
        raise NetworkError("; ".join(message for messages in error.message_dict.values() for message in messages)) from error
    profile.save()
    audit_record(actor=user, action="profile.update", obj=profile)
    return profile


def wikipedia_username_normalize(username: str) -> str:
    """MediaWiki usernames: underscores are spaces, runs of spaces collapse, the first letter is upper case."""
    collapsed = " ".join(username.replace("_", " ").split())
    return collapsed[:1].upper() + collapsed[1:]


def _role_admin_access_sync(user: AbstractBaseUser) -> None:
    """Staff and coordinators work in the admin (is_staff plus their permission group); others do not."""
    roles = set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))
    for role, group_name in ADMIN_GROUP_FOR_ROLE.items():
        group, _created = Group.objects.get_or_create(name=group_name)
        if role in roles:
            user.groups.add(group)
        else:
            user.groups.remove(group)
    should_be_staff = bool(roles & set(ADMIN_GROUP_FOR_ROLE)) or user.is_superuser
    if user.is_staff != should_be_staff:
        user.is_staff = should_be_staff
        user.save(update_fields=["is_staff"])


@transaction.atomic(durable=True)
def role_grant(
    *,
    actor: AbstractBaseUser | None,
    user: AbstractBaseUser,
    role: str,
    region: Region | None = None,
    organization: Organization | None = None,
) -> RoleAssignment:
    if role not in Role.values:
        raise NetworkError(_("Unknown role: %(role)s.") % {"role": role})
    if role == Role.COORDINATOR and (region is None or organization is not None):
        raise NetworkError(_("A regional coordinator needs a region, and only a region."))
    if role == Role.ORGANIZER and (organization is None or region is not None):
        raise NetworkError(_("An organizer needs an organization, and only an organization."))
    if role in (Role.STAFF, Role.PARTICIPANT) and (region is not None or organization is not None):
        raise NetworkError(_("This role is not scoped to a region or an organization."))
    assignment = RoleAssignment(user=user, role=role, region=region, organization=organization, granted_by=actor)
    try:
        assignment.full_clean()
    except ValidationError as error:
        raise NetworkError(_("This person already has that role.")) from error
    assignment.save()
    _role_admin_access_sync(user)
    audit_record(actor=actor, action="role.grant", obj=assignment, detail={"user": user.pk, "role": role})
    return assignment


@transaction.atomic(durable=True)
def role_revoke(*, actor: AbstractBaseUser | None, assignment: RoleAssignment) -> None:
    user = assignment.user
    audit_record(actor=actor, action="role.revoke", obj=assignment, detail={"user": user.pk, "role": assignment.role})
    assignment.delete()
    _role_admin_access_sync(user)
