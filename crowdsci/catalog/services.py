"""Writes of the catalog. Every change to a guide, its links and files, and to the taxonomy goes through here: one
function each, which checks who may make the change, validates (rendering and sanitizing a guide's body first),
saves and records an audit entry in one transaction.

The search index follows by itself: a trigger keeps the SQLite FTS5 table or the PostgreSQL tsvector in step
with every insert, update and delete of catalog_guide, whatever code path made it.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.files import File
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from crowdsci.catalog import fts
from crowdsci.catalog.errors import CatalogError
from crowdsci.catalog.models import Category, Guide, GuideFile, GuideLink, GuideTerm, Term
from crowdsci.catalog.rendering import html_to_text, render_markdown
from crowdsci.catalog.selectors import guide_is_editable_by, guide_terms_refusal, user_can_edit_guides
from crowdsci.core.audit import audit_record
from crowdsci.core.errors import full_clean_or_raise
from crowdsci.core.files import delete_stored_file_after_commit
from crowdsci.network.selectors import user_is_network_staff

_UNSET = object()


def guide_render(guide: Guide) -> None:
    """Fill the derived fields from the Markdown body (no save)."""
    guide.body_html = render_markdown(guide.body)
    guide.body_text = html_to_text(guide.body_html)
    guide.search_words = fts.search_words(f"{guide.title}\n{guide.summary}\n{guide.body_text}")


def _check_terms(*, actor: AbstractBaseUser | None, terms: list[Term]) -> None:
    if actor is None:
        return
    refusal = guide_terms_refusal(actor, terms)
    if refusal:
        raise CatalogError(refusal)


def _check_may_change(actor: AbstractBaseUser | None, guide: Guide) -> None:
    if actor is not None and not guide_is_editable_by(actor, guide):
        raise CatalogError(_("You do not have permission to change this guide."))


def _save_guide(guide: Guide, *, terms: list[Term] | None) -> None:
    guide_render(guide)
    full_clean_or_raise(guide, CatalogError)
    guide.save()
    if terms is not None:
        GuideTerm.objects.filter(guide=guide).exclude(term__in=terms).delete()
        existing = set(GuideTerm.objects.filter(guide=guide).values_list("term_id", flat=True))
        GuideTerm.objects.bulk_create([GuideTerm(guide=guide, term=t) for t in terms if t.pk not in existing])


@transaction.atomic(durable=True)
def guide_create(
    *,
    actor: AbstractBaseUser | None,
    title: str,
    summary: str,
    body: str = "",
    slug: str = "",
    status: str = Guide.Status.DRAFT,
    language: str = "en",
    last_reviewed: datetime.date | None = None,
    terms: Iterable[Term] = (),
    links: Iterable[tuple[str, str]] = (),
) -> Guide:
    """A new guide. ``actor`` None is the system (data loading); a person must be staff or a coordinator."""
    if actor is not None and not user_can_edit_guides(actor):
        raise CatalogError(_("You do not have permission to add guides."))
    terms = list(terms)
    _check_terms(actor=actor, terms=terms)
    guide = Guide(
        title=title.strip(),
        # A title in Arabic, Korean or Chinese has no Latin letters to slugify: give it a neutral unique slug.
        slug=slug or slugify(title)[:200] or f"guide-{secrets.token_hex(4)}",
        summary=summary.strip(),
        body=body,
        status=status,
        language=language,
        last_reviewed=last_reviewed,
    )
    _save_guide(guide, terms=terms)
    for position, (link_title, url) in enumerate(links):
        _link_add(guide=guide, title=link_title, url=url, position=position)
    audit_record(actor=actor, action="catalog.guide.create", obj=guide, detail={"status": guide.status})
    return guide


@transaction.atomic(durable=True)
def guide_update(
    *,
    actor: AbstractBaseUser | None,
    guide: Guide,
    title: str | object = _UNSET,
    slug: str | object = _UNSET,
    summary: str | object = _UNSET,
    body: str | object = _UNSET,
    status: str | object = _UNSET,
    language: str | object = _UNSET,
    last_reviewed: datetime.date | object | None = _UNSET,
    terms: Iterable[Term] | object = _UNSET,
) -> Guide:
    """Change the given fields of a guide; fields not passed stay as they are."""
    guide = Guide.objects.select_for_update().get(pk=guide.pk)
    _check_may_change(actor, guide)
    given = {"title": title, "slug": slug, "summary": summary, "body": body, "status": status, "language": language}
    given["last_reviewed"] = last_reviewed
    changes = {name: value for name, value in given.items() if value is not _UNSET}
    new_terms: list[Term] | None = None if terms is _UNSET else list(terms)  # type: ignore[arg-type]
    if new_terms is not None:
        _check_terms(actor=actor, terms=new_terms)
    old_status = guide.status
    for name, value in changes.items():
        setattr(guide, name, value.strip() if isinstance(value, str) and name != "body" else value)
    _save_guide(guide, terms=new_terms)
    detail: dict[str, object] = {"fields": sorted(changes) + (["terms"] if new_terms is not None else [])}
    if guide.status != old_status:
        detail["status"] = [old_status, guide.status]
    audit_record(actor=actor, action="catalog.guide.update", obj=guide, detail=detail)
    return guide


@transaction.atomic(durable=True)
def guide_mark_reviewed(*, actor: AbstractBaseUser, guide: Guide, on: datetime.date) -> Guide:
    guide = Guide.objects.select_for_update().get(pk=guide.pk)
    if not guide_is_editable_by(actor, guide):
        raise CatalogError(_("You do not have permission to change this guide."))
    guide.last_reviewed = on
    guide.save(update_fields=["last_reviewed", "updated"])
    audit_record(actor=actor, action="catalog.guide.review", obj=guide, detail={"on": on.isoformat()})
    return guide


@transaction.atomic(durable=True)
def guide_delete(*, actor: AbstractBaseUser | None, guide: Guide) -> None:
    if actor is not None and not guide_is_editable_by(actor, guide):
        raise CatalogError(_("You do not have permission to delete this guide."))
    audit_record(actor=actor, action="catalog.guide.delete", obj=guide, detail={"slug": guide.slug})
    guide.delete()


def _link_add(*, guide: Guide, title: str, url: str, position: int) -> GuideLink:
    link = GuideLink(guide=guide, title=title.strip(), url=url.strip(), position=position)
    full_clean_or_raise(link, CatalogError)
    link.save()
    return link


@transaction.atomic(durable=True)
def guide_link_add(
    *, actor: AbstractBaseUser | None, guide: Guide, title: str, url: str, position: int | None = None
) -> GuideLink:
    """An external link on a guide, last unless ``position`` is given."""
    _check_may_change(actor, guide)
    if position is None:
        position = guide.links.count()
    link = _link_add(guide=guide, title=title, url=url, position=position)
    audit_record(actor=actor, action="catalog.guide.link_add", obj=guide, detail={"link": link.pk, "url": link.url})
    return link


@transaction.atomic(durable=True)
def guide_link_update(
    *, actor: AbstractBaseUser | None, link: GuideLink, title: str, url: str, position: int
) -> GuideLink:
    link = GuideLink.objects.select_for_update().select_related("guide").get(pk=link.pk)
    _check_may_change(actor, link.guide)
    old_url = link.url
    link.title, link.url, link.position = title.strip(), url.strip(), position
    full_clean_or_raise(link, CatalogError)
    link.save()
    audit_record(
        actor=actor,
        action="catalog.guide.link_update",
        obj=link.guide,
        detail={"link": link.pk, "url": [old_url, link.url] if old_url != link.url else link.url},
    )
    return link


@transaction.atomic(durable=True)
def guide_link_remove(*, actor: AbstractBaseUser | None, link: GuideLink) -> None:
    link = GuideLink.objects.select_related("guide").get(pk=link.pk)
    _check_may_change(actor, link.guide)
    audit_record(
        actor=actor, action="catalog.guide.link_remove", obj=link.guide, detail={"link": link.pk, "url": link.url}
    )
    link.delete()


@transaction.atomic(durable=True)
def guide_file_add(
    *, actor: AbstractBaseUser | None, guide: Guide, title: str, file: File, position: int | None = None
) -> GuideFile:
    """A file attached to a guide (kind and size checked by the model's validators), last unless ``position`` is
    given. The file is stored when the row is saved, inside the transaction."""
    _check_may_change(actor, guide)
    if position is None:
        position = guide.files.count()
    attached = GuideFile(guide=guide, title=title.strip(), file=file, position=position)
    full_clean_or_raise(attached, CatalogError)
    attached.save()
    audit_record(
        actor=actor,
        action="catalog.guide.file_add",
        obj=guide,
        detail={"file": attached.pk, "name": attached.file.name},
    )
    return attached


@transaction.atomic(durable=True)
def guide_file_update(
    *, actor: AbstractBaseUser | None, attached: GuideFile, title: str, position: int, file: File | None = None
) -> GuideFile:
    """Rename or move an attached file, or replace it with ``file``."""
    current = GuideFile.objects.select_for_update().select_related("guide").get(pk=attached.pk)
    _check_may_change(actor, current.guide)
    current.title, current.position = title.strip(), position
    replaced = current.file.name if file is not None else None
    if file is not None:
        current.file = file
    full_clean_or_raise(current, CatalogError)
    current.save()
    if replaced and replaced != current.file.name:
        delete_stored_file_after_commit(current.file.storage, replaced)
    audit_record(
        actor=actor,
        action="catalog.guide.file_update",
        obj=current.guide,
        detail={"file": current.pk, "name": current.file.name, "replaced": file is not None},
    )
    return current


@transaction.atomic(durable=True)
def guide_file_remove(*, actor: AbstractBaseUser | None, attached: GuideFile) -> None:
    """Take a file off a guide. The stored file is deleted once the removal has committed, so a removal that rolls
    back loses nothing."""
    current = GuideFile.objects.select_related("guide").get(pk=attached.pk)
    _check_may_change(actor, current.guide)
    audit_record(
        actor=actor,
        action="catalog.guide.file_remove",
        obj=current.guide,
        detail={"file": current.pk, "name": current.file.name},
    )
    current.delete()
    delete_stored_file_after_commit(current.file.storage, current.file.name)


# --- The taxonomy (network staff, in the admin) -------------------------------------------------------------


def _check_staff(actor: AbstractBaseUser | None) -> None:
    if actor is not None and not user_is_network_staff(actor):
        raise CatalogError(_("Only network staff may change the categories and their entries."))


@transaction.atomic(durable=True)
def category_save(*, actor: AbstractBaseUser | None, category: Category) -> Category:
    """Create or change a category, as the admin's form filled it in."""
    _check_staff(actor)
    is_new = category.pk is None
    full_clean_or_raise(category, CatalogError)
    category.save()
    audit_record(
        actor=actor,
        action="catalog.category.create" if is_new else "catalog.category.update",
        obj=category,
        detail={"slug": category.slug, "name": category.name},
    )
    return category


@transaction.atomic(durable=True)
def category_delete(*, actor: AbstractBaseUser | None, category: Category) -> None:
    """Delete a category with its entries; the guides stay, filed under their other entries."""
    _check_staff(actor)
    entries = list(category.terms.values_list("slug", flat=True))
    audit_record(
        actor=actor, action="catalog.category.delete", obj=category, detail={"slug": category.slug, "entries": entries}
    )
    category.delete()


@transaction.atomic(durable=True)
def term_save(*, actor: AbstractBaseUser | None, term: Term) -> Term:
    """Create or change an entry of a category, as the admin's form filled it in."""
    _check_staff(actor)
    is_new = term.pk is None
    full_clean_or_raise(term, CatalogError)
    term.save()
    audit_record(
        actor=actor,
        action="catalog.term.create" if is_new else "catalog.term.update",
        obj=term,
        detail={"category": term.category.slug, "slug": term.slug, "name": term.name},
    )
    return term


@transaction.atomic(durable=True)
def term_delete(*, actor: AbstractBaseUser | None, term: Term) -> None:
    """Delete an entry; the guides filed under it stay, without it."""
    _check_staff(actor)
    audit_record(
        actor=actor,
        action="catalog.term.delete",
        obj=term,
        detail={"category": term.category.slug, "slug": term.slug, "guides": term.guide_terms.count()},
    )
    term.delete()
