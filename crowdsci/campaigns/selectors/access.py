"""Who may do what on the campaign pages (role-based; the network's roles decide).

- Network staff create and edit campaigns, and manage every hosted event and worklist.
- Organizers (and regional coordinators) host events and build worklists, and manage their own.
- Anyone reads public dashboards.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from crowdsci.campaigns.models import HostedEvent, Worklist
from crowdsci.network.models import RoleAssignment
from crowdsci.network.selectors import user_is_network_staff

AnyUser = AbstractBaseUser | AnonymousUser


def user_manages_campaigns(user: AnyUser) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user_is_network_staff(user)))


def user_organizes(user: AnyUser) -> bool:
    """Staff, coordinators and organizers may host events and build worklists."""
    if not user.is_authenticated:
        return False
    if user_manages_campaigns(user):
        return True
    return RoleAssignment.objects.filter(
        user=user, role__in=[RoleAssignment.Role.COORDINATOR, RoleAssignment.Role.ORGANIZER]
    ).exists()


def hosted_event_manageable_by(user: AnyUser, event: HostedEvent) -> bool:
    return bool(user.is_authenticated and (event.organizer_id == user.pk or user_manages_campaigns(user)))


def worklist_manageable_by(user: AnyUser, worklist: Worklist) -> bool:
    return bool(user.is_authenticated and (worklist.created_by_id == user.pk or user_manages_campaigns(user)))
