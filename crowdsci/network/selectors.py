"""Reads that depend on who is asking. Every permission-scoped query of the network goes through here."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from crowdsci.network.models import Organization, Profile, Region, RoleAssignment

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
    return Region.objects.filter(pk__in=RoleAssignment.objects.filter(user=user, role=Role.COORDINATOR).values("region"))


def organizations_organized_by(user: AnyUser) -> QuerySet[Organization]:
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(
        pk__in=RoleAssignment.objects.filter(user=user, role=Role.ORGANIZER).values("organization")
    )


def organizations_manageable_by(user: AnyUser) -> QuerySet[Organization]:
    """Organizations whose records this user may change: all for staff, their region's for a coordinator,
    their own for an organizer, none for anyone else."""
    queryset = Organization.objects.select_related("jurisdiction__region")
    if user_is_network_staff(user):
        return queryset
    if not user.is_authenticated:
        return queryset.none()
    return queryset.filter(
        jurisdiction__region__in=regions_coordinated_by(user)
    ) | queryset.filter(pk__in=organizations_organized_by(user))


def regions_manageable_by(user: AnyUser) -> QuerySet[Region]:
    if user_is_network_staff(user):
        return Region.objects.all()
    return regions_coordinated_by(user)


def profile_for(user: AbstractBaseUser) -> Profile | None:
    return Profile.objects.select_related("organization").filter(user=user).first()


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
