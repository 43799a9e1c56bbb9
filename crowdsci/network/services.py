"""Writes of the network app. Each is one function, in one durable transaction, with an audit row."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils.text import slugify
from django.utils.translation import gettext as _

from crowdsci.core.audit import audit_record
from crowdsci.core.errors import full_clean_or_raise, validation_error_text
from crowdsci.network import organization_csv, selectors
from crowdsci.network.errors import NetworkError
from crowdsci.network.models import Affiliation, Jurisdiction, Organization, Profile, Region, RoleAssignment
from crowdsci.network.organization_csv import ImportReport

Role = RoleAssignment.Role

# Roles that work in the Django admin. What each may see and change there comes from the roles, through the
# selectors, not from Django's model permissions, so there are no permission groups to keep in step.
ADMIN_ROLES = frozenset({Role.STAFF, Role.COORDINATOR})


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
    actor: AbstractBaseUser | None = None,
) -> Profile:
    """Change a profile; ``actor`` is who does it when not the person themself (a coordinator in the admin)."""
    profile = profile_ensure(user=user)
    profile.display_name = display_name.strip()
    profile.organization = organization
    profile.wikipedia_username = wikipedia_username_normalize(wikipedia_username)
    profile.preferred_language = preferred_language
    taken = _("That Wikipedia username is already linked to another account.")
    full_clean_or_raise(profile, NetworkError, messages={"__all__": taken, "wikipedia_username": taken})
    profile.save()
    audit_record(actor=actor or user, action="profile.update", obj=profile)
    return profile


def wikipedia_username_normalize(username: str) -> str:
    """MediaWiki usernames: underscores are spaces, runs of spaces collapse, the first letter is upper case."""
    collapsed = " ".join(username.replace("_", " ").split())
    return collapsed[:1].upper() + collapsed[1:]


def _role_admin_access_sync(user: AbstractBaseUser) -> None:
    """Staff and coordinators can log in to the admin (is_staff); others cannot."""
    roles = set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))
    should_be_staff = bool(roles & ADMIN_ROLES) or user.is_superuser
    if user.is_staff != should_be_staff:
        user.is_staff = should_be_staff
        user.save(update_fields=["is_staff"])


def _role_change_check_actor(*, actor: AbstractBaseUser | None, role: str, organization: Organization | None) -> None:
    """Network staff grant and revoke any role; a coordinator only organizer roles of their region's
    organizations; nobody else any. ``actor`` None is the system (commands, demo data)."""
    if actor is None or selectors.user_is_network_staff(actor):
        return
    if (
        role == Role.ORGANIZER
        and organization is not None
        and selectors.organizations_in_regions_of(actor).filter(pk=organization.pk).exists()
    ):
        return
    raise NetworkError(_("You may not grant or revoke this role."))


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
    _role_change_check_actor(actor=actor, role=role, organization=organization)
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
    _role_change_check_actor(actor=actor, role=assignment.role, organization=assignment.organization)
    user = assignment.user
    audit_record(actor=actor, action="role.revoke", obj=assignment, detail={"user": user.pk, "role": assignment.role})
    assignment.delete()
    _role_admin_access_sync(user)


def organization_slug_unique(*, name: str, city: str, state: str, taken: set[str] | None = None) -> str:
    """A readable slug for a new organization: its name, then name, city and state, then a number.

    ``taken``, when given, holds every slug in use (the import loads them once) and receives the new one.
    """
    base = slugify(name)[:200] or "organization"
    candidates = [base, slugify(f"{name} {city} {state}")[:200] or base]
    candidates += [f"{candidates[1]}-{number}" for number in range(2, 1000)]
    for candidate in candidates:
        if taken is None:
            if not Organization.objects.filter(slug=candidate).exists():
                return candidate
        elif candidate not in taken:
            taken.add(candidate)
            return candidate
    raise NetworkError(_("Too many organizations with this name in this city."))


@transaction.atomic(durable=True)
def organization_save(
    *, actor: AbstractBaseUser, organization: Organization, affiliations: list[Affiliation] | None = None
) -> Organization:
    """Create or change an organization (the admin's form); the actor must be allowed to manage its state."""
    is_new = organization.pk is None
    if not selectors.jurisdictions_manageable_by(actor).filter(pk=organization.jurisdiction_id).exists():
        raise NetworkError(_("You may only manage organizations in your own region."))
    if not is_new and not selectors.organizations_manageable_by(actor).filter(pk=organization.pk).exists():
        raise NetworkError(_("You may only manage organizations in your own region."))
    if not organization.slug:
        organization.slug = organization_slug_unique(
            name=organization.name, city=organization.city, state=organization.jurisdiction.code
        )
    full_clean_or_raise(organization, NetworkError)
    organization.save()
    if affiliations is not None:
        organization.affiliations.set(affiliations)
    audit_record(
        actor=actor,
        action="organization.create" if is_new else "organization.update",
        obj=organization,
        detail={"name": organization.name},
    )
    return organization


@transaction.atomic(durable=True)
def organization_delete(*, actor: AbstractBaseUser, organization: Organization) -> None:
    if not selectors.user_is_network_staff(actor):
        raise NetworkError(_("Only network staff may delete an organization."))
    audit_record(actor=actor, action="organization.delete", obj=organization, detail={"name": organization.name})
    organization.delete()


def organizations_import_csv(*, actor: AbstractBaseUser | None, text: str, dry_run: bool) -> ImportReport:
    """Check every row of a CSV of organizations, then create or update them all in one transaction, or none.

    ``actor`` None is the command line (any state); otherwise rows must be in states the actor manages.
    A dry run, or a file with any error, writes nothing and returns the report (the preview).
    """
    allowed_states = None
    if actor is not None and not selectors.user_is_network_staff(actor):
        allowed_states = set(selectors.jurisdictions_manageable_by(actor).values_list("code", flat=True))
    report = organization_csv.check_csv(text, allowed_states=allowed_states, dry_run=dry_run)
    if not report.ok or dry_run:
        return report
    try:
        _organizations_import_write(actor=actor, report=report)
    except IntegrityError as error:
        # Someone created one of these organizations between the check and the write; nothing was stored.
        raise NetworkError(_("The directory changed while importing; nothing was stored. Please try again.")) from error
    report.written = True
    return report


@transaction.atomic(durable=True)
def _organizations_import_write(*, actor: AbstractBaseUser | None, report: ImportReport) -> None:
    affiliations = {affiliation.code: affiliation for affiliation in Affiliation.objects.all()}
    existing = Organization.objects.select_for_update().in_bulk(
        [row.organization_id for row in report.rows if row.organization_id]
    )
    taken = set(Organization.objects.values_list("slug", flat=True))
    created, updated = [], []
    for row in report.rows:
        organization = existing.get(row.organization_id) if row.organization_id else None
        if organization is None:
            organization = Organization(
                slug=organization_slug_unique(name=row.name, city=row.city, state=row.state, taken=taken)
            )
        for field_name, value in row.values.items():
            setattr(organization, field_name, value)
        try:
            # Uniqueness was settled by the natural-key match; the database constraint backs it up.
            organization.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            message = _("line %(line)s: %(error)s") % {"line": row.line, "error": validation_error_text(error)}
            raise NetworkError(message) from error
        organization.save()
        organization.affiliations.set([affiliations[code] for code in row.affiliation_codes])
        (created if row.action == "create" else updated).append(organization.pk)
    audit_record(
        actor=actor,
        action="organization.import",
        obj=Organization,
        object_id="import",
        detail={"created": created, "updated": updated},
    )


REGION_FIELDS = ("number", "name", "slug", "contact_name", "contact_email", "contact_url")


@transaction.atomic(durable=True)
def region_save(*, actor: AbstractBaseUser | None, region: Region) -> Region:
    """Save a region (the admin's form). Staff change everything; a coordinator only their region's public
    contact, which is what they keep up to date. ``actor=None`` is the system (the demo loader)."""
    is_new = region.pk is None
    if actor is not None and not selectors.user_is_network_staff(actor):
        if is_new or not selectors.regions_coordinated_by(actor).filter(pk=region.pk).exists():
            raise NetworkError(_("You may only change your own region's contact."))
        stored = Region.objects.select_for_update().get(pk=region.pk)
        if any(getattr(stored, name) != getattr(region, name) for name in ("number", "name", "slug")):
            raise NetworkError(_("Only network staff can rename or renumber a region."))
    full_clean_or_raise(region, NetworkError)
    region.save()
    audit_record(
        actor=actor,
        action="region.create" if is_new else "region.update",
        obj=region,
        detail={name: str(getattr(region, name)) for name in REGION_FIELDS},
    )
    return region


def _staff_only(actor: AbstractBaseUser | None) -> None:
    if actor is not None and not selectors.user_is_network_staff(actor):
        raise NetworkError(_("Only network staff may change the network's states, territories and affiliations."))


def _reference_save(*, actor: AbstractBaseUser | None, record: Jurisdiction | Affiliation) -> None:
    _staff_only(actor)
    is_new = record.pk is None
    full_clean_or_raise(record, NetworkError)
    record.save()
    name = record._meta.model_name
    audit_record(
        actor=actor,
        action=f"{name}.create" if is_new else f"{name}.update",
        obj=record,
        detail={"code": record.code, "name": record.name},
    )


def _reference_delete(*, actor: AbstractBaseUser | None, record: Jurisdiction | Affiliation) -> None:
    _staff_only(actor)
    audit_record(actor=actor, action=f"{record._meta.model_name}.delete", obj=record, detail={"code": record.code})
    try:
        record.delete()
    except ProtectedError as error:
        raise NetworkError(_("Member organizations are in %(name)s; move them first.") % {"name": record}) from error


@transaction.atomic(durable=True)
def jurisdiction_save(*, actor: AbstractBaseUser | None, jurisdiction: Jurisdiction) -> Jurisdiction:
    """Save a state or territory (the admin's form): network staff only."""
    _reference_save(actor=actor, record=jurisdiction)
    return jurisdiction


@transaction.atomic(durable=True)
def jurisdiction_delete(*, actor: AbstractBaseUser | None, jurisdiction: Jurisdiction) -> None:
    _reference_delete(actor=actor, record=jurisdiction)


@transaction.atomic(durable=True)
def affiliation_save(*, actor: AbstractBaseUser | None, affiliation: Affiliation) -> Affiliation:
    """Save an affiliation (the admin's form): network staff only."""
    _reference_save(actor=actor, record=affiliation)
    return affiliation


@transaction.atomic(durable=True)
def affiliation_delete(*, actor: AbstractBaseUser | None, affiliation: Affiliation) -> None:
    """Delete an affiliation; organizations lose it (kit priority follows)."""
    _reference_delete(actor=actor, record=affiliation)
