"""Hand-checked diffs of real parent -> child revisions (data: tests/data/wikicite/diffs.json)."""

from __future__ import annotations

import json

import pytest

from crowdsci.wikicite import diff

from .corpus import DATA, crispr_revisions, dump_revisions, gene_editing_revisions

PAIRS = json.loads((DATA / "diffs.json").read_text(encoding="utf-8"))["pairs"]
HISTORIES = {"crispr": crispr_revisions, "dump": dump_revisions, "gene_editing": gene_editing_revisions}


def _texts(history: str, parent: int, child: int) -> tuple[str, str]:
    revisions = {revision.revid: revision for revision in HISTORIES[history]()}
    assert revisions[child].parentid == parent, "a true parent -> child pair"
    return revisions[parent].text, revisions[child].text


def _params() -> list:
    params = []
    for pair in PAIRS:
        marks = [pytest.mark.xfail(reason=pair["known_limitation"], strict=True)] if "known_limitation" in pair else []
        params.append(pytest.param(pair, id=f"{pair['history']}-{pair['parent']}-{pair['child']}", marks=marks))
    return params


def test_at_least_thirty_hand_checked_pairs() -> None:
    assert len([pair for pair in PAIRS if "known_limitation" not in pair]) >= 30


@pytest.mark.parametrize("pair", _params())
def test_real_pair(pair: dict) -> None:
    parent, child = _texts(pair["history"], pair["parent"], pair["child"])
    result = diff(parent, child)
    observed = {
        "added": len(result.added), "removed": len(result.removed), "enriched": len(result.enriched),
        "added_nlm": len(result.added_nlm),
    }
    assert {key: observed[key] for key in pair["expect"]} == pair["expect"], pair["check"]


def test_kommet_pair_adds_no_citations() -> None:
    # revisions/Kommet_ihr_Hirten: the edit adds a translation and rewrites the score; the only ref change is the
    # Radio Prague URL moving to archiv.radio.cz (same title, website, year): reformatted, not added.
    parent = (DATA / "revisions" / "Kommet_ihr_Hirten.parent.wikitext").read_text(encoding="utf-8")
    child = (DATA / "revisions" / "Kommet_ihr_Hirten.child.wikitext").read_text(encoding="utf-8")
    result = diff(parent, child)
    assert (len(result.added), len(result.removed), len(result.reformatted)) == (0, 0, 1)


def test_new_page_adds_all_its_citations() -> None:
    first = gene_editing_revisions()[0]
    assert first.parentid is None
    result = diff(None, first.text)
    from crowdsci.wikicite import extract

    assert len(result.added) == len(extract(first.text).citations)
    assert not result.removed


def test_diff_of_identical_revisions_is_empty() -> None:
    text = crispr_revisions()[-1].text
    result = diff(text, text)
    assert not (result.added or result.removed or result.enriched or result.moved or result.reformatted)


def test_no_pair_in_the_histories_raises() -> None:
    # Every consecutive pair of the dump chunk and the CRISPR history goes through without an exception.
    for revisions in (dump_revisions(), crispr_revisions()[:200]):
        previous = None
        for revision in revisions:
            if previous is not None and revision.page == previous.page:
                diff(previous.text, revision.text)
            previous = revision
