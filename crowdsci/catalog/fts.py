# ruff: noqa: S608 - the SQL here is built from this module's constants only; reader text is always a parameter.
"""Full-text search plumbing for both databases: the query language, and the database objects behind it.

Readers type web-search style queries: words (all must match), "quoted phrases", ``or`` between two words
(either may match) and ``-word`` (must not match). A hyphenated word matches its parts as a phrase or its joined
form, and two to four plain words also match written as one word ("edit a thon" finds "editathon"); guides index
the joined forms of their own hyphenated words (``search_words``). The query is parsed here once and compiled for
each database: ``fts5_match_expression`` for SQLite and ``tsquery_expression`` for PostgreSQL's to_tsquery, with
every word a quoted string or lexeme, so no input (``"foo``, ``AND OR (``, ``NEAR(``, ``*``, ``'&|!``) can be read
as query syntax or raise an error.
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
    # A query of a few plain words may be one word written apart ("edit a thon"): its joined form, which matches
    # as an alternative to the whole query.
    joined: str | None = None

    @property
    def is_empty(self) -> bool:
        return not self.groups


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text) if w.lower() not in STOP_WORDS]


# A word with hyphens inside ("edit-a-thon", "COVID-19"): it matches its parts as a phrase and its joined form.
_HYPHENATED = re.compile(r"\w+(?:[-\u2010\u2011]\w+)+")
MAX_JOINED_WORDS = 4


def joined_forms(text: str) -> list[str]:
    """The joined forms of the hyphenated words in a text ("edit-a-thon" -> "editathon"), each once, in order.

    Guides index them beside their text, so a reader who types "editathon" finds "edit-a-thon" too.
    """
    forms = dict.fromkeys(re.sub(r"[-\u2010\u2011]", "", match).lower() for match in _HYPHENATED.findall(text or ""))
    return list(forms)


# A word with slashes, dots or an at sign inside ("HIV/AIDS", "ClinicalTrials.gov"): PostgreSQL's parser keeps it
# as one lexeme (a file path, a host, an email), while a reader's query and SQLite read its parts as a phrase.
_COMPOUND = re.compile(r"\w+(?:[/.@]\w+)+")


def split_forms(text: str) -> list[str]:
    """The parts of the slashed or dotted words in a text, space-separated ("HIV/AIDS" -> "hiv aids"), each once.

    Guides index them beside their text, so "HIV/AIDS" (searched as the phrase "hiv aids") finds the same guides
    on PostgreSQL as on SQLite."""
    forms = dict.fromkeys(" ".join(_WORD.findall(match)).lower() for match in _COMPOUND.findall(text or ""))
    return list(forms)


def search_words(text: str) -> str:
    """What a guide indexes besides its own text: joined hyphenated words and split slashed or dotted words."""
    return "\n".join([" ".join(joined_forms(text)), *split_forms(text)]).strip()


def parse_query(text: str) -> ParsedQuery:
    parsed = ParsedQuery()
    pending_or = False
    plain: list[str] = []  # every word, if the query is only plain words
    # Only words (or hyphenated words) between spaces: "title:x" or "1=1" are not a word written apart.
    only_plain = all(_WORD.fullmatch(t) or _HYPHENATED.fullmatch(t) for t in (text or "").split())
    for token in _TOKEN.findall(text or ""):
        if token.lower() == "or" and parsed.groups:
            pending_or = True
            only_plain = False
            continue
        negate = token.startswith("-") and len(token) > 1
        body = token[1:] if negate else token
        if negate or token.startswith('"'):
            only_plain = False
        if not negate and _HYPHENATED.fullmatch(body):
            # Its parts as a phrase (stop words kept: they stand between the parts in the text), or joined.
            parts = [w.lower() for w in _WORD.findall(body)]
            alternatives = [parts, ["".join(parts)]]
            plain += parts
            if pending_or:
                parsed.groups[-1].extend(alternatives)
            else:
                parsed.groups.append(alternatives)
            pending_or = False
            continue
        plain += [w.lower() for w in _WORD.findall(body)]
        words = _words(body)
        if not words:
            continue
        if negate:
            parsed.excluded.append(words)
        elif pending_or:
            parsed.groups[-1].append(words)
        else:
            parsed.groups.append([words])
        pending_or = False
    if only_plain and 2 <= len(plain) <= MAX_JOINED_WORDS and parsed.groups:
        joined = "".join(plain)
        if not any(alternative == [joined] for group in parsed.groups for alternative in group):
            parsed.joined = joined
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
    if parsed.joined:
        expression = f"({expression}) OR {_fts5_phrase([parsed.joined])}"
    for words in parsed.excluded:
        expression = f"({expression}) NOT {_fts5_phrase(words)}"
    return expression


def _tsquery_phrase(words: list[str]) -> str:
    # Words are runs of \w characters only (no quote, backslash or operator), quoted as tsquery lexemes; to_tsquery
    # normalizes each one (stemming, stop words, with the phrase distances adjusted) as the documents were.
    return "(" + " <-> ".join(f"'{w}'" for w in words) + ")"


def tsquery_expression(text: str) -> str | None:
    """The same query for PostgreSQL's to_tsquery, or None when it has no word to look for."""
    parsed = parse_query(text)
    if parsed.is_empty:
        return None
    clauses = [
        "(" + " | ".join(_tsquery_phrase(words) for words in alternatives) + ")" for alternatives in parsed.groups
    ]
    expression = " & ".join(clauses)
    if parsed.joined:
        expression = f"({expression}) | {_tsquery_phrase([parsed.joined])}"
    for words in parsed.excluded:
        expression = f"({expression}) & !{_tsquery_phrase(words)}"
    return expression


# SQLite: an external-content FTS5 table over the guide's title, summary and body text, kept in step by triggers,
# so bulk_create, update() and delete all reach it. Rebuilding a table (a later migration altering catalog_guide)
# drops its triggers: ``sqlite_install`` recreates them and runs after every migrate (see apps.py).
SQLITE_FTS_TABLE = "catalog_guide_fts"
# The indexed columns; migrations 0002 to 0006 ran before search_words existed and install without it.
SEARCH_COLUMNS = ("title", "summary", "body_text", "search_words")
SEARCH_COLUMNS_BEFORE_0007 = ("title", "summary", "body_text")


def _sqlite_install(columns: tuple[str, ...]) -> list[str]:
    names = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    return [
        f"""CREATE VIRTUAL TABLE IF NOT EXISTS {SQLITE_FTS_TABLE} USING fts5(
            {names}, content='catalog_guide', content_rowid='id',
            tokenize='porter unicode61 remove_diacritics 2')""",
        f"""CREATE TRIGGER IF NOT EXISTS catalog_guide_fts_insert AFTER INSERT ON catalog_guide BEGIN
            INSERT INTO {SQLITE_FTS_TABLE}(rowid, {names}) VALUES (new.id, {new});
        END""",
        f"""CREATE TRIGGER IF NOT EXISTS catalog_guide_fts_delete AFTER DELETE ON catalog_guide BEGIN
            INSERT INTO {SQLITE_FTS_TABLE}({SQLITE_FTS_TABLE}, rowid, {names}) VALUES ('delete', old.id, {old});
        END""",
        f"""CREATE TRIGGER IF NOT EXISTS catalog_guide_fts_update AFTER UPDATE OF {names} ON catalog_guide BEGIN
            INSERT INTO {SQLITE_FTS_TABLE}({SQLITE_FTS_TABLE}, rowid, {names}) VALUES ('delete', old.id, {old});
            INSERT INTO {SQLITE_FTS_TABLE}(rowid, {names}) VALUES (new.id, {new});
        END""",
    ]


SQLITE_INSTALL = _sqlite_install(SEARCH_COLUMNS)
SQLITE_UNINSTALL = [
    "DROP TRIGGER IF EXISTS catalog_guide_fts_insert",
    "DROP TRIGGER IF EXISTS catalog_guide_fts_delete",
    "DROP TRIGGER IF EXISTS catalog_guide_fts_update",
    f"DROP TABLE IF EXISTS {SQLITE_FTS_TABLE}",
]
SQLITE_REBUILD = f"INSERT INTO {SQLITE_FTS_TABLE}({SQLITE_FTS_TABLE}) VALUES ('rebuild')"
# bm25 column weights: a match in the title counts ten times one in the body, the summary four times; the joined
# forms of hyphenated words (``search_words``) as much as the body.
SQLITE_BM25 = f"bm25({SQLITE_FTS_TABLE}, 10.0, 4.0, 1.0, 1.0)"

# PostgreSQL: a trigger fills search_vector (title A, summary B, body C) and a GIN index serves @@.
PG_CONFIG = "english"
_PG_WEIGHTS = {"title": "A", "summary": "B", "body_text": "C", "search_words": "C"}


def _pg_install(columns: tuple[str, ...]) -> list[str]:
    vector = " ||\n            ".join(
        f"setweight(to_tsvector('{PG_CONFIG}', coalesce(NEW.{c}, '')), '{_PG_WEIGHTS[c]}')" for c in columns
    )
    return [
        f"""CREATE OR REPLACE FUNCTION catalog_guide_search_vector_fill() RETURNS trigger AS $$
        BEGIN
            NEW.search_vector := {vector};
            RETURN NEW;
        END $$ LANGUAGE plpgsql""",
        "DROP TRIGGER IF EXISTS catalog_guide_search_vector ON catalog_guide",
        """CREATE TRIGGER catalog_guide_search_vector BEFORE INSERT OR UPDATE ON catalog_guide
            FOR EACH ROW EXECUTE FUNCTION catalog_guide_search_vector_fill()""",
        "CREATE INDEX IF NOT EXISTS catalog_guide_search_vector_gin ON catalog_guide USING gin (search_vector)",
    ]


PG_INSTALL = _pg_install(SEARCH_COLUMNS)
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


def install(connection, *, columns: tuple[str, ...] = SEARCH_COLUMNS) -> None:
    """Create the search objects for this database if missing (idempotent). ``columns``: the migrations before
    0007 pass SEARCH_COLUMNS_BEFORE_0007, the columns catalog_guide had then."""
    _execute(connection, {"sqlite": _sqlite_install(columns), "postgresql": _pg_install(columns)})


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
