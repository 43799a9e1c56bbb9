"""Readers for the real test data in tests/data/wikicite (attribution: tests/data/wikicite/SOURCES.md)."""

from __future__ import annotations

import bz2
import json
import lzma
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data" / "wikicite"
PAGES = DATA / "pages"
HISTORIES = DATA / "histories"
CRISPR_XML = HISTORIES / "CRISPR.enwiki.2005-2016.xml.xz"
DUMP_BZ2 = HISTORIES / "enwiki-20210601-pages-meta-history18.xml-p27121491p27121850.bz2"
GENE_EDITING_JSONL = HISTORIES / "CRISPR_gene_editing.enwiki.2019-02-17.wikitext.jsonl.xz"


@dataclass(frozen=True)
class Revision:
    page: str
    revid: int
    parentid: int | None
    comment: str
    text: str


def page_text(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


def _xml_revisions(stream) -> Iterator[Revision]:
    title = ""
    for _event, element in ET.iterparse(stream, events=("end",)):  # noqa: S314 - trusted input
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "title":
            title = element.text or ""
        elif tag == "revision":
            fields = {child.tag.rsplit("}", 1)[-1]: child for child in element}
            parent = fields.get("parentid")
            comment = fields.get("comment")
            yield Revision(
                page=title,
                revid=int(fields["id"].text or 0),
                parentid=int(parent.text) if parent is not None and parent.text else None,
                comment=(comment.text or "") if comment is not None else "",
                text=fields["text"].text or "" if "text" in fields else "",
            )
            element.clear()


@cache
def crispr_revisions() -> tuple[Revision, ...]:
    with lzma.open(CRISPR_XML) as stream:
        return tuple(_xml_revisions(stream))


@cache
def dump_revisions() -> tuple[Revision, ...]:
    with bz2.open(DUMP_BZ2) as stream:
        return tuple(_xml_revisions(stream))


@cache
def gene_editing_revisions() -> tuple[Revision, ...]:
    with lzma.open(GENE_EDITING_JSONL, "rt", encoding="utf-8") as stream:
        rows = [json.loads(line) for line in stream if line.strip()]
    return tuple(
        Revision("CRISPR gene editing", row["revid"], row["parentid"] or None, row["comment"], row["wikitext"])
        for row in rows
    )


def revision_index() -> dict[int, Revision]:
    index: dict[int, Revision] = {}
    for revisions in (crispr_revisions(), dump_revisions(), gene_editing_revisions()):
        for revision in revisions:
            index[revision.revid] = revision
    return index
