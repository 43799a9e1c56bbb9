"""The documented counting, identity and diff rules (RULES.md), one example each."""

from __future__ import annotations

import pytest

from crowdsci.wikicite import citation_needed, count, diff, extract


def counts(text: str) -> tuple[int, int]:
    page = extract(text)
    return page.definitions, len(page.reuses)


@pytest.mark.parametrize(("text", "expected"), [
    # Names compare after attribute decoding: quotes optional, whitespace collapsed and trimmed.
    ('<ref name="a">x</ref><ref name=a/><ref name = \'a\' /><ref name=" a ">x</ref><ref name="a"></ref>', (1, 4)),
    # Entities in names are decoded.
    ('<ref name="a&amp;b">x</ref><ref name="a&b"/>', (1, 1)),
    # Tag and attribute names are case-insensitive.
    ('<REF NAME="a">x</REF><Ref Name="a"/>', (1, 1)),
    # Each group is its own namespace.
    ('<ref name="a">x</ref><ref name="a" group="note">y</ref><ref name=a group=note/>', (2, 1)),
    # A repeated identical unnamed ref is two footnotes; only names merge.
    ("<ref>same</ref><ref>same</ref>", (2, 0)),
    # Unclosed <ref> is literal text (the preprocessor finds no </ref>).
    ("text<ref>never closed", (0, 0)),
    # <ref> inside a ref's content: Cite's cite_error_included_ref, no footnote.
    ("<ref>outer<ref>inner</ref>", (0, 0)),
    # ... but a ref in <nowiki> inside a ref is fine.
    ("<ref>see <nowiki><ref></nowiki></ref>", (1, 0)),
    # Nothing inside comments, nowiki, pre, syntaxhighlight, source or math counts.
    ("<!--<ref>a</ref>--><nowiki><ref>b</ref></nowiki><pre><ref>c</ref></pre>"
     "<syntaxhighlight lang=xml><ref>d</ref></syntaxhighlight><source><ref>e</ref></source>"
     "<math><ref>f</ref></math>", (0, 0)),
    # An unclosed comment runs to the end of the page.
    ("<ref>a</ref><!-- <ref>b</ref>", (1, 0)),
    # An unclosed <nowiki> is literal text, so the refs after it render.
    ("<nowiki> <ref>a</ref>", (1, 0)),
    # Plain HTML does not hide refs.
    ("<code><ref>a</ref></code><div><ref>b</ref></div>", (2, 0)),
    # {{#tag:ref}} is a ref; its name and group work like the attributes.
    ("{{#tag:ref|note text|name=n|group=note}}<ref name=n group=note/>", (1, 1)),
    # {{#tag:ref}} with no content and no name is an error, like <ref></ref>.
    ("{{#tag:ref||group=note}}", (0, 0)),
    # Refs inside template arguments render when the template is expanded.
    ("{{Infobox|population=5<ref>census</ref>}}", (1, 0)),
    # {{efn}} notes are notes, not citations; a ref inside one still counts.
    ("{{efn|A note.}}{{efn|Sourced note.<ref>source</ref>}}", (1, 0)),
    # List-defined refs in {{reflist|refs=}} count when used before; unused ones are Cite errors.
    ("a<ref name=x/>\n{{reflist|refs=\n<ref name=x>X</ref>\n<ref name=unused>U</ref>\n}}", (1, 0)),
    # A closing `}}` inside a ref does not close the template around it (the ref is atomic); the list then
    # restarts the group, so a later mark of the same name is a new (orphan) footnote.
    ("<ref name=x/>{{reflist|refs=<ref name=x>{{cite web|title=}}}}</ref>}}<ref name=x/>", (2, 0)),
    # A numeric name is an error (cite_error_ref_numeric_key).
    ('<ref name="1">x</ref>', (0, 0)),
    # An unknown attribute is an error (cite_error_ref_too_many_keys).
    ('<ref nmae="x">x</ref>', (0, 0)),
])
def test_counting_rule(text: str, expected: tuple[int, int]) -> None:
    assert counts(text) == expected


def test_references_tag_restarts_a_group() -> None:
    # Cite empties a group once its list is rendered: the same name afterwards is a new footnote.
    assert counts("<ref name=a>x</ref><references/><ref name=a>x</ref>") == (2, 0)


def test_short_citations_identical_calls_merge() -> None:
    text = "a{{sfn|Smith|2000|p=5}} b{{sfn|Smith|2000|p=5}} c{{Sfn|Smith|2000|p=6}} d<ref>{{harvnb|Jones|1999}}</ref>"
    page = extract(text)
    assert page.short_citations == 3
    assert [c.kind for c in page.citations] == ["short", "short", "ref"]


def test_count_contract_fields() -> None:
    result = count("a<ref>{{cite journal|pmid=1|doi=10.1000/xyz}}</ref>{{cn|date=May 2020}}")
    assert result["definitions"] == 1
    assert result["nlm"] == 1
    assert result["by_source"]["pubmed"] == 1
    assert result["identifiers"] == {"pmid": 1, "pmcid": 0, "doi": 1, "isbn": 0, "url": 0}
    assert result["citation_needed"] == 1


def test_citation_needed_markers() -> None:
    text = (
        "== History ==\nThe town was founded in 1200.{{Citation needed|date=March 2013}} "
        "It grew.<ref>x</ref>{{cn}} Trade boomed.{{fact|date=May 2010}} {{Citation_needed}}"
        " {{citation needed span|text=Span|date=June 2020}} {{Medical citation needed|date=2019}}"
        "<!-- {{cn}} --><nowiki>{{cn}}</nowiki> {{citation needed-ish}}"
    )
    markers = citation_needed(text)
    assert [m.template for m in markers] == [
        "Citation needed", "cn", "fact", "Citation_needed", "citation needed span", "Medical citation needed",
    ]
    assert markers[0].date == "March 2013"
    assert markers[0].section == "History"
    assert markers[0].sentence == "The town was founded in 1200."
    assert markers[1].sentence == "It grew."
    assert markers[1].date is None


def test_sections_follow_headings() -> None:
    page = extract("lead<ref>a</ref>\n== Early life ==\nx<ref>b</ref>\n=== [[Link|School]] ===\ny<ref>c</ref>")
    assert [c.section for c in page.citations] == ["", "Early life", "School"]


# --- diff rules -----------------------------------------------------------------------------------------


def test_moved_and_reformatted_citation_is_not_added() -> None:
    parent = "== A ==\nx<ref>{{cite journal |title=T |doi=10.1000/abc |journal=J}}</ref>\n== B ==\ny"
    child = "== A ==\nx\n== B ==\ny<ref name=renamed>{{Cite journal|journal=J|doi=10.1000/ABC|title=T}}</ref>"
    result = diff(parent, child)
    assert not result.added and not result.removed
    assert len(result.moved) == 1


def test_gaining_a_pmid_is_enriched() -> None:
    result = diff("x<ref>{{cite journal|doi=10.1000/abc}}</ref>", "x<ref>{{cite journal|doi=10.1000/abc|pmid=5}}</ref>")
    assert (len(result.added), len(result.enriched)) == (0, 1)
    assert not result.added_nlm


def test_duplicating_a_citation_adds_one() -> None:
    result = diff("a<ref>Smith 2000.</ref>", "a<ref>Smith 2000.</ref> b<ref>Smith 2000.</ref>")
    assert len(result.added) == 1


def test_folding_a_duplicate_into_a_reuse_removes_one() -> None:
    result = diff("a<ref>Smith 2000.</ref> b<ref>Smith 2000.</ref>", "a<ref name=s>Smith 2000.</ref> b<ref name=s/>")
    assert (len(result.added), len(result.removed)) == (0, 1)


def test_new_page_adds_all() -> None:
    result = diff(None, "a<ref>{{cite journal|pmid=1}}</ref> b<ref>two</ref>")
    assert len(result.added) == 2
    assert len(result.added_nlm) == 1


def test_turning_a_definition_into_a_reuse_of_an_equal_one() -> None:
    parent = "a<ref name=x>Smith 2000.</ref> b<ref>Jones 2001.</ref>"
    child = "a<ref name=x>Smith 2000.</ref> b<ref name=x/>"
    result = diff(parent, child)
    assert (len(result.added), len(result.removed)) == (0, 1)


def test_a_note_that_carries_a_citation_counts() -> None:
    # {{efn}} expands to {{#tag:ref|…|group=lower-alpha}}: a note is not a citation, but one whose own text
    # is a citation template is a citation footnote (in the notes group).
    page = extract("a{{efn|Plain note.}} b{{efn|name=n|Per {{cite book|title=T|isbn=0-19-852663-6}}.}}"
                   " c{{efn|Note<ref>{{cite web|url=http://x.org}}</ref>}}")
    assert page.definitions == 2  # the cited note, and the ref inside the third note
    kinds = sorted((c.kind, c.group) for c in page.citations)
    assert kinds == [("note", "lower-alpha"), ("ref", "")]
    assert page.citations[0].identifiers.isbn == ("9780198526636",)
