"""Reads that depend on who is asking. Every permission-scoped query of the network goes through here."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Q, QuerySet

from crowdsci.core.collation import collation_key
from crowdsci.network.models import Affiliation, Jurisdiction, Organization, Profile, Region, RoleAssignment

Role = RoleAssignment.Role
AnyUser = AbstractBaseUser | AnonymousUser


def user_is_network_staff(user: AnyUser) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return RoleAssignment.objects.filter(user=user, role=Role.STAFF).exists()


def regions_coordinated_by(user: AnyUser) -> QuerySet[Region]:
    if not user.is_authenticated:
        return Region.objects.none()
    return Region.objects.filter(
        pk__in=RoleAssignment.objects.filter(user=user, role=Role.COORDINATOR).values("region")
    )


def organizations_organized_by(user: AnyUser) -> QuerySet[Organization]:
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(
        pk__in=RoleAssignment.objects.filter(user=user, role=Role.ORGANIZER).values("organization")
    )


def organizations_in_regions_of(user: AnyUser) -> QuerySet[Organization]:
    """Organizations in the regions this user answers for: every one for staff, those of their regions for a
    coordinator, none for anyone else."""
    if user_is_network_staff(user):
        return Organization.objects.all()
    return Organization.objects.filter(jurisdiction__region__in=regions_coordinated_by(user))


def organizations_manageable_by(user: AnyUser) -> QuerySet[Organization]:
    """Organizations whose records this user may change: all for staff, their region's for a coordinator,
    their own for an organizer, none for anyone else."""
    queryset = Organization.objects.select_related("jurisdiction__region")
    if user_is_network_staff(user):
        return queryset
    if not user.is_authenticated:
        return queryset.none()
    return queryset.filter(jurisdiction__region__in=regions_coordinated_by(user)) | queryset.filter(
        pk__in=organizations_organized_by(user)
    )


def regions_manageable_by(user: AnyUser) -> QuerySet[Region]:
    if user_is_network_staff(user):
        return Region.objects.all()
    return regions_coordinated_by(user)


def profile_for(user: AbstractBaseUser) -> Profile | None:
    return Profile.objects.select_related("organization").filter(user=user).first()


def profile_or_blank(user: AbstractBaseUser) -> Profile:
    """The user's profile, or an unsaved one with the defaults for someone who has none yet (nothing is written)."""
    return profile_for(user) or Profile(user=user)


def role_assignments_visible_to(user: AnyUser) -> QuerySet[RoleAssignment]:
    """Staff see every assignment; a coordinator sees those in their region (coordinators of it and organizers
    of its organizations); everyone else sees only their own."""
    queryset = RoleAssignment.objects.select_related("user", "region", "organization")
    if user_is_network_staff(user):
        return queryset
    if not user.is_authenticated:
        return queryset.none()
    regions = regions_coordinated_by(user)
    return (
        queryset.filter(user=user)
        | queryset.filter(region__in=regions)
        | queryset.filter(organization__jurisdiction__region__in=regions)
    )


def user_works_in_admin(user: AnyUser) -> bool:
    """Network staff and regional coordinators use the network's admin pages and the import page."""
    return user_is_network_staff(user) or regions_coordinated_by(user).exists()


def jurisdictions_manageable_by(user: AnyUser) -> QuerySet[Jurisdiction]:
    """States and territories where this user may add or import organizations."""
    if user_is_network_staff(user):
        return Jurisdiction.objects.all()
    return Jurisdiction.objects.filter(region__in=regions_coordinated_by(user))


def profiles_visible_to(user: AnyUser) -> QuerySet[Profile]:
    """Staff see every profile; a coordinator those of people whose organization is in their region, or who hold
    a role there; everyone else only their own."""
    queryset = Profile.objects.select_related("user", "organization__jurisdiction__region")
    if user_is_network_staff(user):
        return queryset
    if not user.is_authenticated:
        return queryset.none()
    regions = regions_coordinated_by(user)
    users_with_roles_there = RoleAssignment.objects.filter(
        Q(region__in=regions) | Q(organization__jurisdiction__region__in=regions)
    ).values("user")
    return queryset.filter(
        Q(user=user) | Q(organization__jurisdiction__region__in=regions) | Q(user__in=users_with_roles_there)
    )


def users_assignable_by(user: AnyUser) -> QuerySet:
    """People this user may give a role to: anyone for staff; for a coordinator, the people whose profile
    names an organization in their region."""
    users = get_user_model().objects.order_by("username")
    if user_is_network_staff(user):
        return users
    if not user.is_authenticated:
        return users.none()
    return users.filter(profile__in=profiles_visible_to(user).exclude(organization=None))


# The public directory -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DirectoryFilters:
    region: Region | None = None
    jurisdiction: Jurisdiction | None = None
    type: str = ""
    affiliation: Affiliation | None = None
    q: str = ""

    @property
    def active(self) -> bool:
        return any((self.region, self.jurisdiction, self.type, self.affiliation, self.q))


def organizations_directory(filters: DirectoryFilters) -> QuerySet[Organization]:
    """Member organizations as the public sees them (every member is public), filtered, with what a listing
    shows loaded up front."""
    queryset = Organization.objects.select_related("jurisdiction__region").prefetch_related("affiliations")
    if filters.region:
        queryset = queryset.filter(jurisdiction__region=filters.region)
    if filters.jurisdiction:
        queryset = queryset.filter(jurisdiction=filters.jurisdiction)
    if filters.type:
        queryset = queryset.filter(type=filters.type)
    if filters.affiliation:
        queryset = queryset.filter(affiliations=filters.affiliation)
    if filters.q:
        queryset = queryset.filter(Q(name__icontains=filters.q) | Q(city__icontains=filters.q))
    return queryset.order_by("name", "city", "pk")


def organization_public(slug: str) -> Organization | None:
    return (
        Organization.objects.select_related("jurisdiction__region")
        .prefetch_related("affiliations")
        .filter(slug=slug)
        .first()
    )


def regions_with_member_counts() -> QuerySet[Region]:
    return Region.objects.annotate(member_count=Count("jurisdictions__organizations")).order_by("number")


# Region pages (public) ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegionOverview:
    region: Region
    jurisdictions: list[Jurisdiction]
    organization_count: int
    organizations: list[Organization]  # the first few, by name; the directory lists them all


def region_overviews(*, organizations_shown: int = 0) -> list[RegionOverview]:
    """Every region with its states and territories (ordered by name in the reader's language), its member count
    and, if asked, its first organizations: a handful of queries whatever the number of regions."""
    regions = list(regions_with_member_counts())
    by_region: dict[int, list[Jurisdiction]] = {region.pk: [] for region in regions}
    for jurisdiction in Jurisdiction.objects.all():
        by_region[jurisdiction.region_id].append(jurisdiction)
    organizations: dict[int, list[Organization]] = {region.pk: [] for region in regions}
    if organizations_shown:
        listed = Organization.objects.select_related("jurisdiction").order_by("name", "pk")
        for organization in listed:
            shown = organizations[organization.jurisdiction.region_id]
            if len(shown) < organizations_shown:
                shown.append(organization)
    return [
        RegionOverview(
            region=region,
            jurisdictions=sorted(by_region[region.pk], key=lambda j: collation_key(j.display_name)),
            organization_count=region.member_count,
            organizations=organizations[region.pk],
        )
        for region in regions
    ]


def region_overview(region: Region, *, organizations_shown: int = 12) -> RegionOverview:
    jurisdictions = sorted(region.jurisdictions.all(), key=lambda j: collation_key(j.display_name))
    organizations = Organization.objects.filter(jurisdiction__region=region).select_related("jurisdiction")
    return RegionOverview(
        region=region,
        jurisdictions=jurisdictions,
        organization_count=organizations.count(),
        organizations=list(organizations.order_by("name", "pk")[:organizations_shown]),
    )


def region_coordinators(region: Region) -> list[Profile]:
    """The region's coordinators' public faces: display name and organization (never their sign-in address)."""
    users = RoleAssignment.objects.filter(role=Role.COORDINATOR, region=region).values("user")
    return list(
        Profile.objects.filter(user__in=users)
        .exclude(display_name="")
        .select_related("organization")
        .order_by("display_name")
    )


def jurisdiction_find(text: str) -> Jurisdiction | None:
    """The state or territory a visitor typed: its USPS code or its name, in English or in the reader's language,
    ignoring case and accents ("al", "Alabama", "ألاباما", "Tennessee (TN)")."""
    wanted = _folded(text)
    if not wanted:
        return None
    for jurisdiction in Jurisdiction.objects.select_related("region"):
        names = {jurisdiction.code, jurisdiction.name, jurisdiction.display_name}
        names |= {f"{name} ({jurisdiction.code})" for name in (jurisdiction.name, jurisdiction.display_name)}
        if wanted in {_folded(name) for name in names}:
            return jurisdiction
    return None


def jurisdictions_for_finder() -> list[Jurisdiction]:
    """Every state and territory, by name in the reader's language: the suggestions of "type your state"."""
    return sorted(Jurisdiction.objects.all(), key=lambda j: collation_key(j.display_name))


def _folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.strip())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split())
