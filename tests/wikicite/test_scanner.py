"""The page scan (tags and comments first, then only the wanted templates) agrees with the full brace walk."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from crowdsci.wikicite.extract import _PAGE_TEMPLATES
from crowdsci.wikicite.scanner import parse_attributes, scan, scan_page

from .corpus import PAGES

FRAGMENTS = ["<ref>", "</ref>", "<ref name=a/>", "<REF name=b>", "</ref >", "<!--", "-->", "<nowiki>", "</nowiki>",
             "{{", "}}", "[[", "]]", "|", "=", "{{cn", "{{sfn|", "{{#tag:ref|", "{{reflist|refs=", "{{efn|", "x", " ",
             "\n", "{{cite web|url=", "{{Cite_news|", "{{cite  journal|", "{{cite needed}}", "{{cite missing}}",
             "{{cite newspaper|", "{{Cite Book}}"]


def _templates(result) -> list:
    return sorted((t.key, t.span, t.params) for t in result.templates)


def _tags(result) -> list:
    # Depth differs by design (the page scan finds tags without a template stack); everything else agrees.
    return [(t.name, t.start, t.end, t.attrs, t.inner) for t in result.tags]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join))
def test_page_scan_matches_full_scan(text: str) -> None:
    # Brace runs of three ({{{parameter}}}) are the one known difference; the fragments make none.
    full = scan(text, want=_PAGE_TEMPLATES, want_prefix=("#tag:",))
    page = scan_page(text, _PAGE_TEMPLATES, ("#tag:",))
    assert _templates(page) == _templates(full)
    assert _tags(page) == _tags(full)


def test_page_scan_matches_full_scan_on_the_corpus() -> None:
    for path in sorted(PAGES.glob("*.wikitext")):
        text = path.read_text(encoding="utf-8")
        full = scan(text, want=_PAGE_TEMPLATES, want_prefix=("#tag:",))
        page = scan_page(text, _PAGE_TEMPLATES, ("#tag:",))
        assert _templates(page) == _templates(full), path.name
        assert _tags(page) == _tags(full), path.name


def test_attributes_like_the_sanitizer() -> None:
    assert parse_attributes(' name = "a  b" group=note ') == {"name": "a b", "group": "note"}
    assert parse_attributes("name='x' NAME=y") == {"name": "y"}
    assert parse_attributes('name="unterminated') == {"name": "unterminated"}
    # Sanitizer's regex consumes the space after a value-less attribute, so the next word needs a space of
    # its own: `of` is skipped, exactly as preg_match_all does it. Either way Cite sees unknown attributes.
    assert parse_attributes("name=National academies of science") == {
        "name": "National", "academies": "", "science": "",
    }


# The page scan reads most refs whole with one regex (first ">" within 100 characters, content without "<"):
# pieces around its edges (attributes of 99 to 101 characters, "/" before ">", "<" in content, case, spaces).
REF_EDGE_FRAGMENTS = ["<ref", "<REF", "<Ref", " ", "\t", "\n", "a" * 49, "a" * 50, "/", ">", "/>", "</ref>", "</REF >",
                      "</ref\n>", "</ref", "<", "<b>", "x", "name=a", "<ref>", "<references>", "</references>", "<!--",
                      "-->", "<nowiki>", "</nowiki>"]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(REF_EDGE_FRAGMENTS), max_size=24).map("".join))
def test_page_scan_reads_refs_like_the_full_scan(text: str) -> None:
    full = scan(text, want=_PAGE_TEMPLATES, want_prefix=("#tag:",))
    page = scan_page(text, _PAGE_TEMPLATES, ("#tag:",))
    assert _tags(page) == _tags(full)
    assert page.comments == full.comments


# The template-start regex looks ahead for the first character a wanted key can start with, past what
# template_key drops in front of a name: names around those edges.
NAME_PIECES = ["_", " ", "\n", "\t", "\u00a0", "\u3000", "Template:", "TEMPLATE:", "template :", "sfn", "Sfn", "cn",
               "CN", "#tag:ref", "#TAG:ref", "reflist", "Efn", "\u0130", "\u212a", "x", "cite web", "Cite_news"]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.lists(st.sampled_from(NAME_PIECES), max_size=5).map("".join), max_size=6))
def test_page_scan_finds_templates_by_any_spelling_of_their_name(names: list[str]) -> None:
    text = "".join("{{" + name + "|a|b=c}} " for name in names)
    full = scan(text, want=_PAGE_TEMPLATES, want_prefix=("#tag:",))
    page = scan_page(text, _PAGE_TEMPLATES, ("#tag:",))
    assert _templates(page) == _templates(full)


def test_page_scan_finds_names_whose_first_letter_lowers_to_ascii() -> None:
    # template_key lower-cases in Unicode: the Kelvin sign becomes "k", "İ" becomes "i" and a combining dot.
    pairs = (("\u212aelvin", "kelvin"), ("\u0130nfobox", "i\u0307nfobox"), (" _Template: \u212aelvin", "kelvin"))
    for name, key in pairs:
        text = "{{" + name + "|x}}"
        assert [t.key for t in scan_page(text, frozenset({key})).templates] == [key]
        assert [t.key for t in scan(text, want=frozenset({key})).templates] == [key]
