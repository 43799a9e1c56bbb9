"""Hashtag tokens, and the pre-filter's promise: it never rejects an event that matches once decoded."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crowdsci.wikimedia.eventstreams import filter_raw_events
from crowdsci.wikimedia.hashtags import HashtagFilter, extract_hashtags

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "wikimedia"
RECORDED_FILES = sorted(DATA_DIR.glob("*.ndjson"))


@pytest.mark.parametrize(
    ("comment", "tags"),
    [
        ("Added sources #CiteNLM", ("citenlm",)),
        ("#citenlm at the start", ("citenlm",)),
        ("full-width ＃CiteNLM sign", ("citenlm",)),
        ("(#CiteNLM)", ("citenlm",)),
        ("#CiteNLM2021 is another tag", ("citenlm2021",)),
        ("abc#CiteNLM is no tag", ()),
        ("#CiteNLM-extra keeps its hyphenated word", ("citenlm-extra",)),
        ("#CiteNLM #citenlm twice", ("citenlm",)),
        ("[[WP:CSD#G10|G10]] anchor", ()),
        ("[[Wikipedia:Verifiability#Reliable sources|RS]]", ()),
        ("[[:toollabs:quickstatements/#mode=batch&batch=2213|batch #2213]] #quickstatements", ("quickstatements",)),
        ("Rescuing 1 sources #IABot (v2.0.9.5)", ("iabot",)),
        ("Alter: title. #UCB_Category 5/9", ("ucb_category",)),
        ("&#35;not-an-entity-tag", ()),
        ("no tags at all", ()),
    ],
)
def test_extract_hashtags(comment: str, tags: tuple[str, ...]) -> None:
    assert extract_hashtags(comment) == tags


def test_matching_is_case_insensitive_and_whole_token() -> None:
    wanted = HashtagFilter(["#CiteNLM"])
    assert wanted.matches_comment("x #CITENLM y")
    assert wanted.matches_comment("＃citeNLM")
    assert not wanted.matches_comment("#CiteNLM2021")
    assert not wanted.matches_comment("abc#CiteNLM")


def test_real_hashtags_in_the_recordings() -> None:
    counts: dict[str, int] = {}
    for path in RECORDED_FILES:
        for line in path.read_bytes().splitlines():
            for tag in extract_hashtags(json.loads(line).get("comment") or ""):
                counts[tag] = counts.get(tag, 0) + 1
    # SOURCES.md: 1063 + 82 #quickstatements, 27 #petscan, 1 #distributed-game in the Wikidata files.
    assert counts["quickstatements"] == 1063 + 82
    assert counts["petscan"] == 27
    assert counts["distributed-game"] == 1
    assert {"iabot", "ucb_category"} <= counts.keys()
    assert not any(tag.isdigit() for tag in counts)


def test_non_ascii_characters_that_fold_to_ascii_are_known() -> None:
    # The pre-filter's safety argument depends on this short list; if Unicode grows it, the filter grows with it.
    folding = {ch for ch in map(chr, range(0x80, 0x110000)) if ch.casefold().isascii()}
    assert folding == set("ßſẞ\u212aﬀﬁﬂﬃﬄﬅﬆ")
    assert HashtagFilter(["fish"])._literal_non_ascii  # ﬁ folds to "fi": the filter looks for it literally


def test_pre_filter_rejects_most_real_events_and_agrees_with_a_full_parse() -> None:
    wanted = HashtagFilter(["CiteNLM", "quickstatements"])
    lines = [line for path in RECORDED_FILES for line in path.read_bytes().splitlines()]
    expected = [line for line in lines if wanted.matches_comment(json.loads(line).get("comment") or "")]
    found = list(filter_raw_events(lines, wanted))
    assert [change.comment for change in found] == [json.loads(line)["comment"] for line in expected]
    only_citenlm = HashtagFilter(["CiteNLM"])
    rejected = sum(not only_citenlm.might_match(line) for line in lines)
    assert rejected == len(lines)


def _escape_some(text: str, escape_mask: list[bool]) -> str:
    """JSON string body with the chosen characters written as \\uXXXX escapes (as some encoders do)."""
    parts = []
    for index, char in enumerate(text):
        if escape_mask[index % len(escape_mask)] and ord(char) < 0x10000:
            parts.append(f"\\u{ord(char):04X}" if index % 2 else f"\\u{ord(char):04x}")
        else:
            parts.append(json.dumps(char, ensure_ascii=False)[1:-1])
    return "".join(parts)


tricky_alphabet = st.sampled_from([*"citenlmCITENLM#＃ _-a1/&", "ſ", "\u212a", "ﬁ", "İ", "ı", "é", "\u200e", "日"])
comment_strategy = st.lists(
    st.one_of(tricky_alphabet, st.sampled_from(["#CiteNLM", "＃citenlm", "#CITENLM", "CiteNLM", "#cItEnLm"])),
    max_size=12,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(comment=comment_strategy, escape_mask=st.lists(st.booleans(), min_size=1, max_size=8),
       ascii_only=st.booleans())
def test_pre_filter_never_rejects_a_matching_event(comment: str, escape_mask: list[bool], ascii_only: bool) -> None:
    wanted = HashtagFilter(["CiteNLM"])
    body = _escape_some(comment, escape_mask)
    raw = ('{"wiki":"enwiki","comment":"' + body + '"}').encode()
    assert json.loads(raw)["comment"] == comment
    if wanted.matches_comment(comment):
        assert wanted.might_match(raw)
    plain = json.dumps({"comment": comment}, ensure_ascii=ascii_only).encode()
    if wanted.matches_comment(comment):
        assert wanted.might_match(plain)


@given(comment=st.text(max_size=40))
def test_extracted_tags_follow_the_sign_rule(comment: str) -> None:
    for tag in extract_hashtags(comment):
        assert not tag.isdigit()
        assert re.search(r"[#＃]" + re.escape(tag), comment.casefold()) or tag.casefold() == tag


@settings(max_examples=300, deadline=None)
@given(
    tag=st.sampled_from(["quickstatements", "fish", "Strasse", "IABot"]),
    pieces=st.lists(
        st.sampled_from([*"#＃ _-stqukfiSKAIBoa", "ſ", "\u212a", "ﬁ", "ﬅ", "ﬆ", "ß", "ẞ", "é"]), max_size=14
    ),
    escape_mask=st.lists(st.booleans(), min_size=1, max_size=8),
    insert_tag=st.booleans(),
)
def test_pre_filter_is_safe_for_tags_with_non_ascii_spellings(tag: str, pieces: list[str], escape_mask: list[bool],
                                                              insert_tag: bool) -> None:
    wanted = HashtagFilter([tag])
    comment = "".join(pieces) + (f" #{tag.swapcase()}" if insert_tag else "")
    raw = ('{"comment":"' + _escape_some(comment, escape_mask) + '"}').encode()
    assert json.loads(raw)["comment"] == comment
    if wanted.matches_comment(comment):
        assert wanted.might_match(raw)
        assert wanted.might_match(json.dumps({"comment": comment}, ensure_ascii=False).encode())


def test_ligature_and_long_s_spellings_are_caught() -> None:
    for tag, spelled in [("fish", "#ﬁsh"), ("strasse", "#ſtraße"), ("kst", "#\u212aﬆ")]:
        wanted = HashtagFilter([tag])
        assert wanted.matches_comment(spelled), (tag, spelled)
        for raw in (json.dumps({"c": spelled}).encode(), json.dumps({"c": spelled}, ensure_ascii=False).encode()):
            assert wanted.might_match(raw)
        assert not wanted.might_match(json.dumps({"c": "nothing here"}).encode())
