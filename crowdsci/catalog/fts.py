# ruff: noqa: S608 - the SQL here is built from this module's constants only; reader text is always a parameter.
"""Full-text search plumbing for both databases: the query language, and the database objects behind it.

Readers type web-search style queries: words (all must match), "quoted phrases", ``or`` between two words
(either may match) and ``-word`` (must not match). PostgreSQL parses the text itself with websearch_to_tsquery;
for SQLite ``fts5_match_expression`` builds an FTS5 MATCH expression in which every word is a quoted string, so
no input (``"foo``, ``AND OR (``, ``NEAR(``, ``*``) can be read as FTS5 syntax or raise an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# PostgreSQL's 'english' configuration drops these; dropping them on SQLite too keeps results the same.
STOP_WORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "if", "in", "into",
    "is", "it", "its", "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
    "they", "this", "to", "was", "were", "will", "with",
})  # fmt: skip
# A token is a "quoted phrase" or a run of text between separators, and its words make a phrase (as ``1=1`` or
# ``foo_bar`` do on PostgreSQL). The separators besides spaces are the characters websearch_to_tsquery reads as
# query operators, and so as spaces: ``title:x`` is two words there, not a phrase.
_TOKEN = re.compile(r'"[^"]*"?|-?[^\s"&|()!:<]+')
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class ParsedQuery:
    # Each group is a list of alternatives (phrases of words); every group must match.
    groups: list[list[list[str]]] = field(default_factory=list)
    excluded: list[list[str]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.groups


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text) if w.lower() not in STOP_WORDS]


def parse_query(text: str) -> ParsedQuery:
    parsed = ParsedQuery()
    pending_or = False
    for token in _TOKEN.findall(text or ""):
        if token.lower() == "or" and parsed.groups:
            pending_or = True
            continue
        negate = token.startswith("-") and len(token) > 1
        words = _words(token[1:] if negate else token)
        if not words:
            continue
        if negate:
            parsed.excluded.append(words)
        elif pending_or:
            parsed.groups[-1].append(words)
        else:
            parsed.groups.append([words])
        pending_or = False
    return parsed


def _fts5_phrase(words: list[str]) -> str:
    return '"' + " ".join(w.replace('"', '""') for w in words) + '"'


def fts5_match_expression(text: str) -> str | None:
    """An FTS5 MATCH expression for the reader's text, or None when it has no word to look for."""
    parsed = parse_query(text)
    if parsed.is_empty:
        return None
    clauses = []
    for alternatives in parsed.groups:
        joined = " OR ".join(_fts5_phrase(words) for words in alternatives)
        clauses.append(f"({joined})" if len(alternatives) > 1 else joined)
    expression = " AND ".join(clauses)
    for words in parsed.excluded:
        expression = f"({expression}) NOT {_fts5_phrase(words)}"
    return expression


# SQLite: an external-content FTS5 table over the guide's title, summary and body text, kept in step by triggers,
# so bulk_create, update() and delete all reach it. Rebuilding a table (a later migration altering catalog_guide)
# drops its triggers: ``sqlite_install`` recreates them and runs after every migrate (see apps.py).
SQLITE_FTS_TABLE = "catalog_guide_fts"
SQLITE_INSTALL = [
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {SQLITE_FTS_TABLE} USING fts5(
        title, summary, body_text, content='catalog_guide', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER IF NOT EXISTS catalog_guide_fts_insert AFTER INSERT ON catalog_guide BEGIN
        INSERT INTO {SQLITE_FTS_TABLE}(rowid, title, summary, body_text)
        VALUES (new.id, new.title, new.summary, new.body_text);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS catalog_guide_fts_delete AFTER DELETE ON catalog_guide BEGIN
        INSERT INTO {SQLITE_FTS_TABLE}({SQLITE_FTS_TABLE}, rowid, title, summary, body_text)
        VALUES ('delete', old.id, old.title, old.summary, old.body_text);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS catalog_guide_fts_update AFTER UPDATE OF title, summary, body_text
        ON catalog_guide BEGIN
        INSERT INTO {SQLITE_FTS_TABLE}({SQLITE_FTS_TABLE}, rowid, title, summary, body_text)
        VALUES ('delete', old.id, old.title, old.summary, old.body_text);
        INSERT INTO {SQLITE_FTS_TABLE}(rowid, title, summary, body_text)
        VALUES (new.id, new.title, new.summary, new.body_text);
    END""",
]
SQLITE_UNINSTALL = [
    "DROP TRIGGER IF EXISTS catalog_guide_fts_insert",
    "DROP TRIGGER IF EXISTS catalog_guide_fts_delete",
    "DROP TRIGGER IF EXISTS catalog_guide_fts_update",
    f"DROP TABLE IF EXISTS {SQLITE_FTS_TABLE}",
]
SQLITE_REBUILD = f"INSERT INTO {SQLITE_FTS_TABLE}({SQLITE_FTS_TABLE}) VALUES ('rebuild')"
# bm25 column weights: a match in the title counts ten times one in the body, the summary four times.
SQLITE_BM25 = f"bm25({SQLITE_FTS_TABLE}, 10.0, 4.0, 1.0)"

# PostgreSQL: a trigger fills search_vector (title A, summary B, body C) and a GIN index serves @@.
PG_CONFIG = "english"
PG_INSTALL = [
    f"""CREATE OR REPLACE FUNCTION catalog_guide_search_vector_fill() RETURNS trigger AS $$
    BEGIN
        NEW.search_vector :=
            setweight(to_tsvector('{PG_CONFIG}', coalesce(NEW.title, '')), 'A') ||
            setweight(to_tsvector('{PG_CONFIG}', coalesce(NEW.summary, '')), 'B') ||
            setweight(to_tsvector('{PG_CONFIG}', coalesce(NEW.body_text, '')), 'C');
        RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS catalog_guide_search_vector ON catalog_guide",
    """CREATE TRIGGER catalog_guide_search_vector BEFORE INSERT OR UPDATE ON catalog_guide
        FOR EACH ROW EXECUTE FUNCTION catalog_guide_search_vector_fill()""",
    "CREATE INDEX IF NOT EXISTS catalog_guide_search_vector_gin ON catalog_guide USING gin (search_vector)",
]
PG_UNINSTALL = [
    "DROP INDEX IF EXISTS catalog_guide_search_vector_gin",
    "DROP TRIGGER IF EXISTS catalog_guide_search_vector ON catalog_guide",
    "DROP FUNCTION IF EXISTS catalog_guide_search_vector_fill()",
]

# PostgreSQL keeps each guide's tsvector in the row, not in TOAST: ranking reads the vector of every facet-narrowed
# match, and fetching it from TOAST cost about as much as ts_rank itself. MAIN storage alone is not enough: to fit
# a row under the default 2 kB target the toaster would then move title and summary out instead (and every sort by
# title would read TOAST), so the target is raised and the long body columns are the ones that move out.
PG_VECTOR_STORAGE = [
    "ALTER TABLE catalog_guide ALTER COLUMN search_vector SET STORAGE MAIN, SET (toast_tuple_target = 4080)",
    # Rows keep the storage they were written with: rewrite them (the search trigger refills each vector).
    "UPDATE catalog_guide SET search_vector = NULL",
]
PG_VECTOR_STORAGE_UNDO = [
    "ALTER TABLE catalog_guide ALTER COLUMN search_vector SET STORAGE EXTENDED, RESET (toast_tuple_target)",
]


def _execute(connection, statements_by_vendor: dict[str, list[str]]) -> None:
    with connection.cursor() as cursor:
        for statement in statements_by_vendor.get(connection.vendor, []):
            cursor.execute(statement)


def install(connection) -> None:
    """Create the search objects for this database if missing (idempotent)."""
    _execute(connection, {"sqlite": SQLITE_INSTALL, "postgresql": PG_INSTALL})


def keep_vectors_in_rows(connection) -> None:
    _execute(connection, {"postgresql": PG_VECTOR_STORAGE})


def let_vectors_move_out(connection) -> None:
    _execute(connection, {"postgresql": PG_VECTOR_STORAGE_UNDO})


def uninstall(connection) -> None:
    _execute(connection, {"sqlite": SQLITE_UNINSTALL, "postgresql": PG_UNINSTALL})


def rebuild(connection) -> None:
    """Re-index every guide (after loading rows with raw SQL, or to repair the index)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(SQLITE_REBUILD)
        elif connection.vendor == "postgresql":
            cursor.execute("UPDATE catalog_guide SET title = title")
