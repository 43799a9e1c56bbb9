"""The network: regions, the states and territories they cover, member organizations, people and their roles."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    # The region's public contact, shown on its page: the coordinator's office, not a person's sign-in address.
    contact_name = models.CharField(
        _("contact name"), max_length=200, blank=True, help_text=_("Shown on the region's public page.")
    )
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_url = models.URLField(_("contact web page"), blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [models.CheckConstraint(condition=Q(number__gte=1), name="region_number_positive")]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The name in the reader's language: "Region <n>" is translated with its number; a name a network gave
        its region is translated if the message catalogs know it, else shown as it is."""
        if self.name == f"Region {self.number}":
            return gettext("Region %(number)s") % {"number": self.number}
        return gettext(self.name)


class Jurisdiction(models.Model):
    """A US state, the District of Columbia, a territory or a freely associated state."""

    class Kind(models.TextChoices):
        STATE = "state", _("State")
        DISTRICT = "district", _("Federal district")
        TERRITORY = "territory", _("Territory")
        FREELY_ASSOCIATED_STATE = "freely_associated_state", _("Freely associated state")

    code = models.CharField(_("USPS code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="jurisdictions", verbose_name=_("region"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("state or territory")
        verbose_name_plural = _("states and territories")
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^[A-Z]{2}$"), name="jurisdiction_code_two_capitals"),
            models.CheckConstraint(
                condition=Q(kind__in=["state", "district", "territory", "freely_associated_state"]),
                name="jurisdiction_kind_known",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return gettext(self.name)


class Affiliation(models.Model):
    """A professional association a member organization belongs to (ARSL, ABOS, ...)."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    gives_kit_priority = models.BooleanField(
        _("gives kit priority"),
        default=False,
        help_text=_("Members of this association are served first when kits are scarce."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return gettext(self.name)


class Organization(models.Model):
    class Type(models.TextChoices):
        ACADEMIC = "academic", _("Academic library")
        HOSPITAL = "hospital", _("Hospital / health sciences library")
        PUBLIC = "public", _("Public library")
        COMMUNITY = "community", _("Community-based organization")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    type = models.CharField(_("type"), max_length=16, choices=Type.choices)
    address = models.CharField(_("street address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=100)
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        on_delete=models.PROTECT,
        related_name="organizations",
        verbose_name=_("state or territory"),
    )
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    affiliations = models.ManyToManyField(
        Affiliation, blank=True, related_name="organizations", verbose_name=_("affiliations")
    )
    member_since = models.DateField(_("member since"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            # One organization per name in a city: the CSV import's natural key.
            models.UniqueConstraint(
                Lower("name"), Lower("city"), "jurisdiction", name="organization_unique_name_city_jurisdiction"
            ),
            models.CheckConstraint(
                condition=Q(type__in=["academic", "hospital", "public", "community", "other"]),
                name="organization_type_known",
            ),
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (
                    Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180)
                    & Q(latitude__isnull=False, longitude__isnull=False)
                ),
                name="organization_coordinates_both_or_neither_and_in_range",
            ),
        ]
        indexes = [models.Index(fields=["jurisdiction", "type"])]

    def __str__(self) -> str:
        return self.name

    @property
    def region(self) -> Region:
        return self.jurisdiction.region


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("organization"),
    )
    wikipedia_username = models.CharField(_("Wikipedia username"), max_length=255, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        constraints = [
            models.UniqueConstraint(
                "wikipedia_username",
                condition=~Q(wikipedia_username=""),
                name="profile_unique_wikipedia_username",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.user.get_username()


class RoleAssignment(models.Model):
    """A person's role. Coordinators are scoped to a region, organizers to an organization."""

    class Role(models.TextChoices):
        STAFF = "staff", _("Network staff")
        COORDINATOR = "coordinator", _("Regional coordinator")
        ORGANIZER = "organizer", _("Organizer")
        PARTICIPANT = "participant", _("Participant")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("region")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("organization"),
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role__in=["staff", "participant"], region__isnull=True, organization__isnull=True)
                    | Q(role="coordinator", region__isnull=False, organization__isnull=True)
                    | Q(role="organizer", region__isnull=True, organization__isnull=False)
                ),
                name="role_assignment_scope_matches_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(role__in=["staff", "participant"]),
                name="role_assignment_unique_unscoped_role",
            ),
            models.UniqueConstraint(
                fields=["user", "region"], condition=Q(role="coordinator"), name="role_assignment_unique_coordinator"
            ),
            models.UniqueConstraint(
                fields=["user", "organization"],
                condition=Q(role="organizer"),
                name="role_assignment_unique_organizer",
            ),
        ]

    def __str__(self) -> str:
        scope = self.region or self.organization
        return f"{self.get_role_display()} ({scope})" if scope else self.get_role_display()
