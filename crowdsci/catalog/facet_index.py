"""The facet index: which published guides each catalog entry holds, kept in memory for browsing.

Browsing asks, for every entry beside the results, how many guides match it together with the rest of the
selection. In SQL that is a GROUP BY over the (entry, guide) rows on every page view, and its cost grows with the
catalog (it was most of a 20,000-guide page). Here each entry's published guides are a bit set, a Python int in
which bit p stands for the p-th published guide in title order, so a combination of facets and its count are a
few big-int operations in C, whatever the selection: at 20,000 guides a set is 2.5 KB. The same order lets a
page of results be read off a set without a query or a sort.

Each process builds the index from two queries and keeps it while the catalog stamp (``models.CatalogStamp``)
holds the token the index was built at. Database triggers replace that token in the same transaction as any
write that changes what browsing shows (a guide added, deleted, renamed, published or unpublished; an entry put
on or taken off a guide), however it is written: services, the admin, ``bulk_create`` or raw SQL. A request
costs one small query to read the token; the first request after a write, in each process, rebuilds.

The token is read before the rows, so an index can be newer than its token (rebuilt once more next time) but
never older. Tokens are random rather than counted, so a rolled-back write cannot bring back a token that an
index was built at inside that transaction.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.db import connections

from crowdsci.catalog.models import CatalogStamp, Guide, GuideTerm

# Category slug -> ids of the selected entries. Entries of one category are alternatives (any may match);
# categories combine (all must match).
Selection = Mapping[str, Sequence[int]]


@dataclass(frozen=True, eq=False)
class FacetIndex:
    token: int | None
    guide_ids: tuple[int, ...]  # the published guides in title order: bit p of a set is guide_ids[p]
    positions: dict[int, int]  # guide id -> its bit
    entries: dict[int, int]  # entry (term) id -> the set of its published guides
    everything: int  # the set of all published guides

    def entry(self, term_id: int) -> int:
        return self.entries.get(term_id, 0)

    def matching(self, selection: Selection, *, skip: str | None = None) -> int:
        """Guides filed under one of the selected entries of every category with a selection (entries of one
        category are alternatives, categories combine), leaving out category ``skip``."""
        matched = self.everything
        for slug, term_ids in selection.items():
            if slug == skip or not term_ids:
                continue
            either = 0
            for term_id in term_ids:
                either |= self.entries.get(term_id, 0)
            matched &= either
        return matched

    def set_of(self, guide_ids: Iterable[int]) -> int:
        """The set of these guides; ids of guides that are not published are left out."""
        positions = self.positions
        bits = bytearray((len(self.guide_ids) + 7) // 8)
        for guide_id in guide_ids:
            position = positions.get(guide_id)
            if position is not None:
                bits[position >> 3] |= 1 << (position & 7)
        return int.from_bytes(bits, "little")

    def ids_in_title_order(self, guides: int, start: int = 0, stop: int | None = None) -> list[int]:
        """The ids of the guides in a set, in title order, from the ``start``-th to before the ``stop``-th."""
        # The binary digits reversed: character p is bit p, and str.find walks to the next guide in C.
        digits = format(guides, "b")[::-1]
        guide_ids = self.guide_ids
        found: list[int] = []
        wanted = None if stop is None else stop - start
        position = -1
        skipped = 0
        while wanted is None or len(found) < wanted:
            position = digits.find("1", position + 1)
            if position < 0:
                break
            if skipped < start:
                skipped += 1
                continue
            found.append(guide_ids[position])
        return found


def title_sort_key(title: str) -> str:
    """A title folded for sorting: accents dropped, case folded ("Éclair" -> "eclair")."""
    decomposed = unicodedata.normalize("NFKD", title)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def build(using: str = "default", *, token: int | None = None) -> FacetIndex:
    """A new index from the database: the published guides in title order, then every (entry, guide) pair."""
    # Plain fetches rather than .iterator(), whose server-side cursor on PostgreSQL costs a round trip per chunk:
    # two integers a row stay small even at 100,000 rows.
    # Title order as readers expect it, ignoring case and accents ("éclair" between "Eclipse" and "edit"), which
    # neither database's default collation gives: the (status, title, id) index still answers alone, and the sort
    # happens here, once per rebuild.
    rows = Guide.objects.using(using).published().order_by("title", "pk").values_list("pk", "title")
    guide_ids = tuple(pk for pk, _title in sorted(rows, key=lambda row: (title_sort_key(row[1]), row[1], row[0])))
    positions = {guide_id: position for position, guide_id in enumerate(guide_ids)}
    size = (len(guide_ids) + 7) // 8
    buffers: dict[int, bytearray] = {}
    for term_id, guide_id in GuideTerm.objects.using(using).values_list("term_id", "guide_id"):
        position = positions.get(guide_id)
        if position is None:
            continue  # a draft
        bits = buffers.get(term_id)
        if bits is None:
            bits = buffers[term_id] = bytearray(size)
        bits[position >> 3] |= 1 << (position & 7)
    return FacetIndex(
        token=token,
        guide_ids=guide_ids,
        positions=positions,
        entries={term_id: int.from_bytes(bits, "little") for term_id, bits in buffers.items()},
        everything=(1 << len(guide_ids)) - 1,
    )


_built: dict[tuple[str, str], FacetIndex] = {}
_building = threading.Lock()


def current_index(using: str = "default") -> FacetIndex:
    """This process's index, rebuilt first when the catalog changed since it was built."""
    # The token first, then the rows (see the module docstring).
    token = CatalogStamp.objects.using(using).filter(pk=1).values_list("token", flat=True).first()
    if token is None or connections[using].vendor not in TRIGGERS:
        # No stamp row (a test's flush removes it; the next catalog write puts it back), or a database without
        # our triggers: nothing tells whether a kept index is current, so build one for this request only.
        return build(using)
    key = (using, str(connections[using].settings_dict["NAME"]))
    index = _built.get(key)
    if index is not None and index.token == token:
        return index
    with _building:  # one thread builds while the others of this process wait for its result
        index = _built.get(key)
        if index is None or index.token != token:
            index = _built[key] = build(using, token=token)
    return index


# Triggers that replace the stamp's token. SQLite has row triggers only, and drops a table's triggers whenever a
# migration rebuilds the table, so post_migrate re-creates them (see apps.py), as it does the FTS5 ones.
_SQLITE_BUMP = (
    "INSERT INTO catalog_catalogstamp (id, token) VALUES (1, random()) "
    "ON CONFLICT (id) DO UPDATE SET token = excluded.token;"
)
SQLITE_INSTALL = [
    f"CREATE TRIGGER IF NOT EXISTS catalog_stamp_{table}_{event} AFTER {event_sql} ON catalog_{table} "
    f"BEGIN {_SQLITE_BUMP} END"
    for table, event, event_sql in [
        ("guide", "insert", "INSERT"),
        ("guide", "delete", "DELETE"),
        ("guide", "update", "UPDATE OF status, title"),
        ("guideterm", "insert", "INSERT"),
        ("guideterm", "delete", "DELETE"),
        ("guideterm", "update", "UPDATE OF guide_id, term_id"),
    ]
]
SQLITE_UNINSTALL = [
    f"DROP TRIGGER IF EXISTS catalog_stamp_{table}_{event}"
    for table in ("guide", "guideterm")
    for event in ("insert", "delete", "update")
]

# PostgreSQL: statement triggers, so that a bulk insert replaces the token once. The row lock the upsert takes
# is held to the end of the writing transaction: catalog writes queue behind each other, which they can afford.
PG_INSTALL = [
    """CREATE OR REPLACE FUNCTION catalog_stamp_replace() RETURNS trigger AS $$
    BEGIN
        INSERT INTO catalog_catalogstamp (id, token) VALUES (1, floor(random() * 9007199254740991)::bigint)
        ON CONFLICT (id) DO UPDATE SET token = excluded.token;
        RETURN NULL;
    END $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS catalog_stamp_guide ON catalog_guide",
    """CREATE TRIGGER catalog_stamp_guide AFTER INSERT OR DELETE OR UPDATE OF status, title OR TRUNCATE
        ON catalog_guide FOR EACH STATEMENT EXECUTE FUNCTION catalog_stamp_replace()""",
    "DROP TRIGGER IF EXISTS catalog_stamp_guideterm ON catalog_guideterm",
    """CREATE TRIGGER catalog_stamp_guideterm AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE
        ON catalog_guideterm FOR EACH STATEMENT EXECUTE FUNCTION catalog_stamp_replace()""",
]
PG_UNINSTALL = [
    "DROP TRIGGER IF EXISTS catalog_stamp_guide ON catalog_guide",
    "DROP TRIGGER IF EXISTS catalog_stamp_guideterm ON catalog_guideterm",
    "DROP FUNCTION IF EXISTS catalog_stamp_replace()",
]


TRIGGERS = {"sqlite": (SQLITE_INSTALL, SQLITE_UNINSTALL), "postgresql": (PG_INSTALL, PG_UNINSTALL)}


def install(connection) -> None:
    """Create the stamp's triggers for this database if missing (idempotent)."""
    statements = TRIGGERS[connection.vendor][0] if connection.vendor in TRIGGERS else []
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def uninstall(connection) -> None:
    statements = TRIGGERS[connection.vendor][1] if connection.vendor in TRIGGERS else []
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
