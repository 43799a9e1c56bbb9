"""diff(parent, child): which citations an edit added, removed, enriched or moved (multiset semantics)."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict, deque

from .citation import Citation, CitationDiff, MatchedPair, Page
from .extract import extract

_NON_WORD_RE = re.compile(r"[\W_]+")


# Citation templates (cite web, cite journal, citation, …); maintenance templates such as {{dead link}} carry
# no bibliographic detail.
_CITATION_TEMPLATE_PREFIXES = ("cite", "citation", "vcite", "internetquelle", "literatur", "webarchive")


def _detail(citation: Citation) -> tuple[frozenset[str], frozenset[str]]:
    """Identifier keys and the names of the non-empty template parameters: what "more detail" compares."""
    fields = frozenset(
        name.strip().lower().replace("accessdate", "access-date").replace("archiveurl", "archive-url")
        for template in citation.templates if template.key.startswith(_CITATION_TEMPLATE_PREFIXES)
        for name, value in template.params if value.strip()
    )
    return frozenset(citation.identifiers.identity_keys()), fields


def _is_enriched(parent: Citation, child: Citation) -> bool:
    parent_ids, parent_fields = _detail(parent)
    child_ids, child_fields = _detail(child)
    if child_ids > parent_ids:
        return True
    return child_ids >= parent_ids and child_fields > parent_fields


def _not_in_increasing_run(pairs: list[tuple[int, int]]) -> set[int]:
    """Indexes (into `pairs`, sorted by child order) of pairs outside a longest increasing run of parent
    order: the citations that moved relative to the others. O(n log n)."""
    tails: list[int] = []
    tail_index: list[int] = []
    previous: list[int] = [-1] * len(pairs)
    for index, (_child, parent) in enumerate(pairs):
        position = bisect_left(tails, parent)
        if position == len(tails):
            tails.append(parent)
            tail_index.append(index)
        else:
            tails[position] = parent
            tail_index[position] = index
        previous[index] = tail_index[position - 1] if position else -1
    keep: set[int] = set()
    cursor = tail_index[-1] if tail_index else -1
    while cursor >= 0:
        keep.add(cursor)
        cursor = previous[cursor]
    return set(range(len(pairs))) - keep


def _take(bucket: deque[int] | None, matched: list[bool]) -> int:
    """The first still-unmatched index in a bucket (matched ones are dropped for good: amortized O(1))."""
    while bucket:
        if not matched[bucket[0]]:
            return bucket.popleft()
        bucket.popleft()
    return -1


def _containers(citations: list[Citation]) -> dict[str, list[int]]:
    by_key: dict[str, list[int]] = defaultdict(list)
    for index, citation in enumerate(citations):
        for key in citation.identifiers.identity_keys():
            by_key[key].append(index)
    return by_key


def _regrouped_into(citation: Citation, by_key: dict[str, list[int]], others: list[Citation],
                    partner: dict[int, Citation]) -> Citation | None:
    """The citation on the other side that now holds this one's source: its identifiers include all of this
    one's, and its own matched counterpart did not already hold them all (else this is a plain duplicate)."""
    keys = set(citation.identifiers.identity_keys())
    if not keys:
        return None
    for candidate in by_key.get(min(keys), ())[:_MAX_CANDIDATES]:
        holder = others[candidate]
        if not keys <= set(holder.identifiers.identity_keys()):
            continue
        counterpart = partner.get(candidate)
        if counterpart is None or not keys <= set(counterpart.identifiers.identity_keys()):
            return holder
    return None


_MAX_CANDIDATES = 50
# Title matching compares every left-over pair; beyond this many pairs the edit is a rewrite, not a reformat.
_MAX_TITLE_PAIRS = 40_000
_TITLE_MIN_CHARS = 20


def _titles(citation: Citation) -> list[str]:
    titles = []
    for template in citation.templates:
        title = template.get("title")
        if title:
            normalized = _NON_WORD_RE.sub(" ", title.lower()).strip()
            if len(normalized) >= _TITLE_MIN_CHARS:
                titles.append(normalized)
    return titles


def _plain(citation: Citation) -> str:
    return " " + _NON_WORD_RE.sub(" ", citation.content.lower()).strip() + " "


def _match_by_title(old: list[Citation], new: list[Citation], matched_old: list[bool],
                    match_of_new: list[int]) -> None:
    """5. A citation rewritten from plain text into a template (or back) keeps its title: when one side's
    title appears word for word in the other side's text, it is the same source."""
    left_old = [i for i, done in enumerate(matched_old) if not done]
    left_new = [i for i, found in enumerate(match_of_new) if found < 0]
    if not left_old or not left_new or len(left_old) * len(left_new) > _MAX_TITLE_PAIRS:
        return
    old_plain = {i: _plain(old[i]) for i in left_old}
    old_titles = {i: _titles(old[i]) for i in left_old}
    for index in left_new:
        child_titles = _titles(new[index])
        child_plain = _plain(new[index])
        for candidate in left_old:
            if matched_old[candidate]:
                continue
            if any(" " + t + " " in old_plain[candidate] for t in child_titles) or any(
                " " + t + " " in child_plain for t in old_titles[candidate]
            ):
                matched_old[candidate] = True
                match_of_new[index] = candidate
                break


def _match_by_name(old: list[Citation], new: list[Citation], matched_old: list[bool],
                   match_of_new: list[int]) -> None:
    """7. A named footnote whose content was rewritten beyond recognition but kept its name (and group) is
    the same footnote: editors rename sources rarely and rewrite citation markup often."""
    by_name: dict[tuple[str, str], deque[int]] = defaultdict(deque)
    for index, done in enumerate(matched_old):
        if not done and old[index].name and old[index].kind != "short":
            by_name[(old[index].group, old[index].name)].append(index)
    if not by_name:
        return
    for index, found in enumerate(match_of_new):
        citation = new[index]
        if found < 0 and citation.name:
            candidate = _take(by_name.get((citation.group, citation.name)), matched_old)
            if candidate >= 0:
                matched_old[candidate] = True
                match_of_new[index] = candidate


def diff_pages(parent: Page | None, child: Page) -> CitationDiff:
    old = list(parent.citations) if parent is not None else []
    new = list(child.citations)
    matched_old: list[bool] = [False] * len(old)
    match_of_new: list[int] = [-1] * len(new)

    # 1. Identical text: no analysis needed (most citations of an edit are untouched).
    by_content: dict[tuple[str, str], deque[int]] = defaultdict(deque)
    for index, citation in enumerate(old):
        by_content[(citation.kind, citation.content.strip())].append(index)
    for index, citation in enumerate(new):
        candidates = by_content.get((citation.kind, citation.content.strip()))
        if candidates:
            found = candidates.popleft()
            matched_old[found] = True
            match_of_new[index] = found

    # 2. A shared identifier, then 3. equal normalized text (4. the same without URLs, for titled citations),
    # among what is left.
    left_old = [i for i, done in enumerate(matched_old) if not done]
    left_new = [i for i, found in enumerate(match_of_new) if found < 0]
    if left_old and left_new:
        by_identifier: dict[str, deque[int]] = defaultdict(deque)
        by_text: dict[str, deque[int]] = defaultdict(deque)
        by_loose: dict[str, deque[int]] = defaultdict(deque)
        for index in left_old:
            for key in old[index].identifiers.identity_keys():
                by_identifier[key].append(index)
            by_text[old[index].text_key].append(index)
            if old[index].structure.loose_key:
                by_loose[old[index].structure.loose_key].append(index)
        for index in left_new:
            citation = new[index]
            found = -1
            for key in citation.identifiers.identity_keys():
                found = _take(by_identifier.get(key), matched_old)
                if found >= 0:
                    break
            if found < 0 and citation.text_key:
                found = _take(by_text.get(citation.text_key), matched_old)
            if found < 0 and citation.structure.loose_key:
                found = _take(by_loose.get(citation.structure.loose_key), matched_old)
            if found >= 0:
                matched_old[found] = True
                match_of_new[index] = found

        _match_by_title(old, new, matched_old, match_of_new)
        _match_by_name(old, new, matched_old, match_of_new)

    # 6. Splits and merges: a left-over citation whose identifiers all sit, with others, in one citation on
    # the other side (one ref citing two papers split into two refs, or two refs folded into one) is a
    # reformatting of a source that is still there, not an addition or a removal.
    regrouped: list[MatchedPair] = []
    left_new = [i for i, found in enumerate(match_of_new) if found < 0]
    left_old = [i for i, done in enumerate(matched_old) if not done]
    split_pieces = set()
    merged_pieces = set()
    partner_of_old = {found: new[i] for i, found in enumerate(match_of_new) if found >= 0}
    partner_of_new = {i: old[found] for i, found in enumerate(match_of_new) if found >= 0}
    if left_new:
        container = _containers(old)
        for index in left_new:
            holder = _regrouped_into(new[index], container, old, partner_of_old)
            if holder is not None:
                split_pieces.add(index)
                regrouped.append(MatchedPair(holder, new[index]))
    if left_old:
        container = _containers(new)
        for index in left_old:
            holder = _regrouped_into(old[index], container, new, partner_of_new)
            if holder is not None:
                merged_pieces.add(index)
                regrouped.append(MatchedPair(old[index], holder))

    added = tuple(new[i] for i, found in enumerate(match_of_new) if found < 0 and i not in split_pieces)
    removed = tuple(old[i] for i, done in enumerate(matched_old) if not done and i not in merged_pieces)
    pairs = [(i, found) for i, found in enumerate(match_of_new) if found >= 0]
    out_of_order = _not_in_increasing_run(pairs)
    enriched: list[MatchedPair] = []
    moved: list[MatchedPair] = []
    reformatted: list[MatchedPair] = list(regrouped)
    unchanged = 0
    for position, (child_index, parent_index) in enumerate(pairs):
        before, after = old[parent_index], new[child_index]
        pair = MatchedPair(before, after)
        if position in out_of_order or before.section != after.section:
            moved.append(pair)
        if before.content.strip() == after.content.strip():
            unchanged += 1
        elif _is_enriched(before, after):
            enriched.append(pair)
        else:
            reformatted.append(pair)
    return CitationDiff(
        added=added, removed=removed, enriched=tuple(enriched), moved=tuple(moved),
        reformatted=tuple(reformatted), unchanged=unchanged,
    )


def diff(parent: str | None, child: str) -> CitationDiff:
    """Citations added, removed, enriched and moved by the edit parent → child (parent None: a new page)."""
    return diff_pages(None if parent is None else extract(parent), extract(child))


def diff_summary(result: CitationDiff) -> dict[str, object]:
    """JSON-ready figures of a diff, with short descriptions of each changed citation."""

    def describe(citation: Citation) -> dict[str, object]:
        ids = citation.identifiers
        return {
            "kind": citation.kind, "name": citation.name, "group": citation.group, "section": citation.section,
            "span": list(citation.span), "nlm_source": citation.nlm_source,
            "identifiers": {k: list(v) for k, v in (("pmid", ids.pmid), ("pmcid", ids.pmcid), ("doi", ids.doi),
                                                    ("isbn", ids.isbn), ("url", ids.url)) if v},
        }

    return {
        "added": len(result.added), "removed": len(result.removed), "enriched": len(result.enriched),
        "moved": len(result.moved), "reformatted": len(result.reformatted), "unchanged": result.unchanged,
        "added_nlm": len(result.added_nlm),
        "added_citations": [describe(c) for c in result.added],
        "removed_citations": [describe(c) for c in result.removed],
        "enriched_citations": [describe(p.child) for p in result.enriched],
    }
