"""The guides & resources catalog: a taxonomy of categories and their entries, and the guides filed under them.

Category and entry names are data (another network loads its own); the names this project ships are also in the
message catalogs, so ``display_name`` shows them in the reader's language and any other name as it is.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from crowdsci.catalog.validators import ALLOWED_FILE_EXTENSIONS, validate_file_size, validate_link_url


class Category(models.Model):
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog-category", kwargs={"category": self.slug})

    @property
    def display_name(self) -> str:
        return gettext(self.name) if self.name else ""

    @property
    def display_description(self) -> str:
        return gettext(self.description) if self.description else ""


_NUMBERED_REGION = re.compile(r"Region (\d+)")


class Term(models.Model):
    """An entry of a category (a topic, an audience, a region, a funding resource...)."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="terms", verbose_name=_("category"))
    slug = models.SlugField(_("slug"), max_length=80)
    name = models.CharField(_("name"), max_length=150)
    description = models.CharField(_("description"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # Regional Focus entries are the network's regions, so a guide's region is the network's region.
    region = models.OneToOneField(
        "network.Region",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="catalog_term",
        verbose_name=_("network region"),
    )

    class Meta:
        ordering = ["category__position", "position", "name"]
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        constraints = [
            models.UniqueConstraint(fields=["category", "slug"], name="catalog_term_unique_slug_per_category"),
            models.UniqueConstraint(fields=["category", "name"], name="catalog_term_unique_name_per_category"),
        ]

    def __str__(self) -> str:
        # Admin choice lists select the category with the entry (see admin.py), so this costs no query there.
        return f"{self.category.name}: {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("catalog-term", kwargs={"category": self.category.slug, "term": self.slug})

    @property
    def display_name(self) -> str:
        # Regional Focus entries are named "Region <n>": translated with their number, as the regions are.
        numbered = _NUMBERED_REGION.fullmatch(self.name)
        if numbered:
            return gettext("Region %(number)s") % {"number": numbered[1]}
        return gettext(self.name) if self.name else ""

    @property
    def display_description(self) -> str:
        return gettext(self.description) if self.description else ""


class GuideQuerySet(models.QuerySet["Guide"]):
    def published(self) -> GuideQuerySet:
        return self.filter(status=Guide.Status.PUBLISHED)


class Guide(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    summary = models.CharField(_("summary"), max_length=500, help_text=_("One or two sentences shown in lists."))
    body = models.TextField(
        _("body"), blank=True, help_text=_("Markdown. Scripts, event handlers and styles are removed.")
    )
    # Derived on save by the services: the sanitized HTML shown on the page and its plain text, which is indexed.
    body_html = models.TextField(_("rendered body"), blank=True, editable=False)
    body_text = models.TextField(_("body text"), blank=True, editable=False)
    # Derived too: the joined forms of the hyphenated words in the title, summary and body ("edit-a-thon" ->
    # "editathon"), indexed beside them so that a word is found however it is written (see fts.py).
    search_words = models.TextField(_("search words"), blank=True, default="", editable=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    # The language the guide is written in: its text is rendered with this lang and direction, so an English guide
    # reads correctly inside the Arabic pages (and the other way round), and screen readers use the right voice.
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("The language the guide is written in."),
    )
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True)
    terms = models.ManyToManyField(
        Term, through="GuideTerm", related_name="guides", blank=True, verbose_name=_("categories and entries")
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    # PostgreSQL only: filled by a database trigger (title weight A, summary B, body C) and GIN-indexed; on SQLite
    # the column stays empty and the FTS5 table catalog_guide_fts does the same job (see migration 0002).
    search_vector = SearchVectorField(null=True, blank=True, editable=False)

    objects = GuideQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("guide")
        verbose_name_plural = _("guides")
        indexes = [
            # The facet index reads the published guides' ids in title order from this index alone (an index-only
            # scan, no sort) and never the wide rows.
            models.Index(fields=["status", "title", "id"], name="catalog_guide_status_title_id"),
            models.Index(fields=["status", "last_reviewed"], name="catalog_guide_status_reviewed"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["draft", "published"]), name="catalog_guide_status_known"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("catalog-guide", kwargs={"slug": self.slug})


class GuideTerm(models.Model):
    # No single-column indexes: the unique (guide, term) and the (term, guide) index lead with each column and
    # let both databases answer from the index alone.
    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="guide_terms", db_index=False)
    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="guide_terms", db_index=False)

    class Meta:
        verbose_name = _("guide entry")
        verbose_name_plural = _("guide entries")
        constraints = [models.UniqueConstraint(fields=["guide", "term"], name="catalog_guideterm_unique")]
        # Facet counts group by term over a set of guides; filters go from term to guides.
        indexes = [models.Index(fields=["term", "guide"], name="catalog_guideterm_term_guide")]

    def __str__(self) -> str:
        return f"{self.guide_id}:{self.term_id}"


class GuideFile(models.Model):
    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="files", verbose_name=_("guide"))
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"),
        upload_to="catalog/files/%Y/",
        validators=[FileExtensionValidator(ALLOWED_FILE_EXTENSIONS), validate_file_size],
        help_text=_("PDF, office documents, plain text, images or audio; 20 MB at most."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("attached file")
        verbose_name_plural = _("attached files")

    def __str__(self) -> str:
        return self.title


class GuideLink(models.Model):
    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="links", verbose_name=_("guide"))
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("address"), max_length=500, validators=[validate_link_url])
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("external link")
        verbose_name_plural = _("external links")

    def __str__(self) -> str:
        return self.title


class CatalogStamp(models.Model):
    """One row whose token database triggers replace on every write that browsing can see: a guide added, removed,
    renamed, published or unpublished, an entry put on or taken off a guide.

    Each process keeps a facet index of the catalog in memory (see ``facet_index.py``) and uses it while the token
    it was built at is still the current one. The token is random, not a counter, so that a rolled-back write can
    never bring back a token an index was built at."""

    # An internal row that no page or admin screen shows, so its names are not in the message catalogs.
    token = models.BigIntegerField("token", default=0)

    class Meta:
        verbose_name = "catalog stamp"
        constraints = [models.CheckConstraint(condition=Q(id=1), name="catalog_stamp_single_row")]

    def __str__(self) -> str:
        return str(self.token)
