"""extract(), count() and citation_needed(): Cite's footnote bookkeeping replayed over the scanner's output."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter

from .analysis import JOIN, joined_contents, sourcing, tally_sourcing
from .caching import memoized
from .citation import Citation, Page, new_citation
from .model import NLM_SOURCES, CitationNeeded, CiteError, Reuse, Template, new_citation_needed, new_reuse
from .scanner import ExtTag, ScanResult, parse_attributes, scan, scan_page, template_key

_analyse_uncached = sourcing.__wrapped__

# {{sfn}}/{{harv}} family: short citations (Template:Sfn, Template:Harvard citation and their redirects).
SHORT_TEMPLATES = frozenset({
    "sfn", "sfnp", "sfnm", "sfnmp", "sfn whole", "shortened footnote", "shortened footnote template",
    "harv", "harvnb", "harvp", "harvtxt", "harvs", "harvcol", "harvcolnb", "harvcoltxt",
    "harvard citation", "harvard citation no brackets", "harvard citation text", "harvard citations",
})
# {{citation needed}} and its common redirects on the English Wikipedia.
CITATION_NEEDED_TEMPLATES = frozenset({
    "citation needed", "cn", "fact", "citation needed span", "cn span", "cn-span", "fact span",
    "medical citation needed", "medcn", "med cn", "citation needed (lead)", "citeneeded", "cite needed",
    "cite-needed", "citation-needed", "citationneeded", "citation required", "citation missing", "cite missing",
    "needcitation", "need citation", "needs citation", "needcite", "reference needed", "ref needed", "refneeded",
    "source needed", "sourceneeded", "proveit", "uncited", "fact?", "ref?", "citesource",
})
# Templates that expand to <references /> (and take list-defined refs in refs=), with their default group.
REFERENCE_LIST_TEMPLATES: dict[str, str] = {
    "reflist": "", "references": "", "refs": "", "reference list": "", "reflist-talk": "", "footnotes list": "",
    "notelist": "lower-alpha", "notes": "lower-alpha", "notelist-la": "lower-alpha", "notelist-ua": "upper-alpha",
    "notelist-lr": "lower-roman", "notelist-ur": "upper-roman", "notelist-lg": "lower-greek",
}
# Explanatory-note templates ({{efn}} family, {{refn}}) with their default group. They expand to
# {{#tag:ref}}; as notes they are not citations, unless the note itself carries a citation template.
NOTE_TEMPLATES: dict[str, str] = {
    "efn": "lower-alpha", "efn-la": "lower-alpha", "efn-ua": "upper-alpha", "efn-lr": "lower-roman",
    "efn-ur": "upper-roman", "efn-lg": "lower-greek", "notetag": "lower-alpha", "refn": "",
}
_PAGE_TEMPLATES = (SHORT_TEMPLATES | CITATION_NEEDED_TEMPLATES | frozenset(REFERENCE_LIST_TEMPLATES)
                   | frozenset(NOTE_TEMPLATES))
_CITATION_TEMPLATE_RE = re.compile(r"\{\{\s*(?:cite[ _]|citation\s*[|}])", re.IGNORECASE | re.ASCII)
_NESTED_REF_RE = re.compile(r"<ref[^>]*/>|<ref[^>]*>.*?</ref\s*>", re.IGNORECASE | re.ASCII | re.DOTALL)
_REF_ATTRIBUTES = frozenset({"name", "group", "follow", "dir"})
_HEADING_RE = re.compile(r"^(={1,6})[ \t]*(.+?)[ \t]*\1[ \t]*(?:<!--.*?-->[ \t]*)*\r?$", re.MULTILINE)
_COMMENT_RE = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_LINE_EQUALS_RE = re.compile(r"\n=")
_REF_ANYCASE_RE = re.compile(r"<ref", re.IGNORECASE | re.ASCII)
_OPEN_OR_COMMENT_RE = re.compile(r"<(\w+)|<!--")
_CLOSE_TAG_RE = re.compile(r"</(\w+)\s*>")
_INCLUDED_REF_OPEN_RE = re.compile(r"<ref(?:erences)?\b", re.IGNORECASE | re.ASCII)
_MARKUP_RE = re.compile(r"'{2,}|\[\[(?:[^\]|]*\|)?|\]\]|<[^>]*>")


def _is_tag_ref(key: str) -> bool:
    return key.startswith("#tag:") and key[5:].strip() == "ref"


def _has_included_ref(content: str) -> bool:
    """Cite's cite_error_included_ref: after cutting comments and paired tags (`<x …>…</x>`) out of the
    content, a `<ref …>` or `<references …>` tag is left (Cite's guess that a </ref> is missing).

    Cite does this with preg_replace('#<(\\w++)[^>]*+>.*?</\\1\\s*>|<!--.*?-->#s', '', …) and a second
    regex; both backtrack quadratically on hostile input, so this replays the same leftmost-first matching
    with precomputed positions: linear apart from a bisect per tag."""
    if "<" not in content or _REF_ANYCASE_RE.search(content) is None:
        return False
    closes: dict[str, list[tuple[int, int]]] = {}
    for found in _CLOSE_TAG_RE.finditer(content):
        closes.setdefault(found.group(1), []).append((found.start(), found.end()))
    kept: list[str] = []
    position = 0
    cursor = 0
    length = len(content)
    next_gt = -2
    for found in _OPEN_OR_COMMENT_RE.finditer(content):
        start = found.start()
        if start < cursor:
            continue
        if found.group(1) is None:  # <!--
            end = content.find("-->", found.end())
            if end < 0:
                continue  # an unclosed comment does not match; PHP moves on
            kept.append(content[position:start])
            position = cursor = end + 3
            continue
        if next_gt < found.end() - 1:
            next_gt = content.find(">", found.end())
            if next_gt < 0:
                next_gt = length + 1
        if next_gt > length:
            continue
        candidates = closes.get(found.group(1))
        if not candidates:
            continue
        index = bisect_left(candidates, (next_gt + 1, -1))
        if index == len(candidates):
            continue
        kept.append(content[position:start])
        position = cursor = candidates[index][1]
    kept.append(content[position:])
    stripped = "".join(kept)
    found = _INCLUDED_REF_OPEN_RE.search(stripped)
    return found is not None and stripped.find(">", found.end()) >= 0


class _Sections:
    """Section heading lookup by offset."""

    def __init__(self, text: str) -> None:
        self.starts: list[int] = []
        self.titles: list[str] = []
        # Headings are rare: find line starts with "=" by a literal search, then read each line.
        candidates = [0] if text.startswith("=") else []
        candidates.extend(found.start() + 1 for found in _LINE_EQUALS_RE.finditer(text))
        for start in candidates:
            found = _HEADING_RE.match(text, start)
            if found:
                self.starts.append(start)
                title = _COMMENT_RE.sub("", found.group(2))
                self.titles.append(_MARKUP_RE.sub("", title).strip())

    def at(self, offset: int) -> str:
        index = bisect_right(self.starts, offset) - 1
        return self.titles[index] if index >= 0 else ""


class _Footnote:
    __slots__ = ("content", "has_text")

    def __init__(self, content: str | None) -> None:
        self.has_text = content is not None
        self.content = content


class _Cite:
    """Replays Cite's ReferenceStack over the page's refs in document order."""

    def __init__(self, text: str, sections: _Sections | _NoSections, bare: bool = False) -> None:
        self.text = text
        self.sections = sections
        # `bare` (count): each citation is kept as its content string alone, not as a Citation, and the hot
        # path in _replay keeps a reuse as its name alone (count reads only how many there are).
        self.bare = bare
        self.groups: dict[str, dict[str, _Footnote]] = {}
        self.definitions = 0
        self.per_group: Counter[str] = Counter()
        self.text_footnotes: dict[tuple[str, str, int], None] = {}
        self.orphan_candidates: list[_Footnote] = []
        self.citations: list[Citation] = []
        self.reuses: list[Reuse] = []
        self.errors: list[CiteError] = []

    def event(self, kind: str, payload: object) -> None:
        """A template's event: a reference list, or a note or {{#tag:ref}} acting as a ref."""
        if kind == "references":
            group, defined = payload  # type: ignore[misc]
            self.references(group, defined)
        else:
            attrs, content, span = payload  # type: ignore[misc]
            self.ref(kind, attrs, content, span)

    def _new_footnote(self, group: str) -> None:
        self.definitions += 1
        self.per_group[group] += 1

    def ref(self, kind: str, attrs: dict[str, str], content: str | None, span: tuple[int, int]) -> None:
        if not attrs and content and not content.isspace() and (kind != "ref" or not _has_included_ref(content)):
            # A plain <ref>…</ref> with content, the most common footnote: the general path below takes
            # exactly these steps for it (no name, no group, no follow; not blank; no included ref).
            self.groups.setdefault("", {})
            self.definitions += 1
            self.per_group[""] += 1
            self.citations.append(content if self.bare else  # type: ignore[arg-type]
                                  new_citation(kind, None, "", span, self.sections.at(span[0]), content, False))
            return
        if not attrs.keys() <= _REF_ATTRIBUTES:
            self.errors.append(CiteError("cite_error_ref_too_many_keys", span))
            return
        name = attrs.get("name") or None
        follow = attrs.get("follow") or None
        group = attrs.get("group", "")
        if (name and name.isascii() and name.isdigit()) or (follow and follow.isascii() and follow.isdigit()):
            self.errors.append(CiteError("cite_error_ref_numeric_key", span))
            return
        if follow and name:
            self.errors.append(CiteError("cite_error_ref_follow_conflicts", span))
            return
        blank = content is None or not content or content.isspace()  # `not content.strip()`, without a copy
        if not name and blank:
            code = "cite_error_ref_no_key" if content is None else "cite_error_ref_no_input"
            self.errors.append(CiteError(code, span))
            return
        if content is not None and kind == "ref" and _has_included_ref(content):
            self.errors.append(CiteError("cite_error_included_ref", span))
            return
        if follow:
            # A continuation is appended to its parent footnote (or shown unnumbered): never a new footnote.
            return
        footnotes = self.groups.setdefault(group, {})
        if name is None:
            self._new_footnote(group)
            self._add_citation(kind, None, group, span, content or "", False)
            return
        existing = footnotes.get(name)
        if existing is None:
            footnote = _Footnote(None if blank else content)
            footnotes[name] = footnote
            self._new_footnote(group)
            if blank:
                self.orphan_candidates.append(footnote)
            else:
                self._add_citation(kind, name, group, span, content or "", False)
            return
        self.reuses.append(new_reuse(name, group, span))
        if not blank and not existing.has_text:
            existing.has_text = True
            existing.content = content
            self._add_citation(kind, name, group, span, content or "", False)
        elif not blank and existing.content != content:
            self.errors.append(CiteError("cite_error_references_duplicate_key", span))

    def references(self, group: str, list_defined: list[tuple[dict[str, str], str | None, tuple[int, int]]]) -> None:
        """A <references> list: fill in its list-defined refs, then start the group afresh (Cite flushes it)."""
        footnotes = self.groups.setdefault(group, {})
        for attrs, content, span in list_defined:
            ref_group = attrs.get("group", group)
            name = attrs.get("name") or None
            if not attrs.keys() <= _REF_ATTRIBUTES:
                self.errors.append(CiteError("cite_error_ref_too_many_keys", span))
            elif name and name.isascii() and name.isdigit():
                self.errors.append(CiteError("cite_error_ref_numeric_key", span))
            elif ref_group != group:
                self.errors.append(CiteError("cite_error_references_group_mismatch", span))
            elif not name:
                self.errors.append(CiteError("cite_error_references_no_key", span))
            elif content is None or not content.strip():
                self.errors.append(CiteError("cite_error_empty_references_define", span))
            elif name not in footnotes:
                self.errors.append(CiteError("cite_error_references_missing_key", span))
            else:
                footnote = footnotes[name]
                if not footnote.has_text:
                    footnote.has_text = True
                    footnote.content = content
                    self._add_citation("ref", name, group, span, content, True)
                elif footnote.content != content:
                    self.errors.append(CiteError("cite_error_references_duplicate_key", span))
        self.groups[group] = {}

    def _add_citation(self, kind: str, name: str | None, group: str, span: tuple[int, int], content: str,
                      list_defined: bool) -> None:
        self.citations.append(content if self.bare else  # type: ignore[arg-type]
                              new_citation(kind, name, group, span, self.sections.at(span[0]), content, list_defined))

    def orphans(self) -> int:
        return sum(1 for footnote in self.orphan_candidates if not footnote.has_text)


def _coerce(text: object) -> str:
    if isinstance(text, str):
        return text
    if isinstance(text, bytes | bytearray):
        return bytes(text).decode("utf-8", errors="replace")
    return "" if text is None else str(text)


_WS = re.compile(r"\s+")
# A short-citation call inside a ref's content; these calls do not nest templates in practice. The lookahead
# for a name's first letter (every name starts with "s" or "h") changes no match: it makes the try at each
# "{{" that starts no such name one step (text full of "{{" costs a quarter of what it did).
_SHORT_CALL_RE = re.compile(
    r"\{\{(?=\s*[" + "".join(sorted({n[0] for n in SHORT_TEMPLATES})) + r"])\s*(?:"
    + "|".join(re.escape(n) for n in sorted(SHORT_TEMPLATES, key=len, reverse=True)) + r")\s*\|[^{}]*\}\}",
    re.IGNORECASE | re.ASCII,
)


def short_key(call: str) -> str:
    """Identity of a short-citation call: case-folded name, trimmed arguments, named ones sorted.

    MediaWiki merges identical {{sfn}} calls because they build the same ref name from the same arguments."""
    # " ".join(part.split()) is _WS.sub(" ", part).strip(): split() cuts at runs of the very characters \s
    # matches (str.isspace()) and drops them at both ends.
    parts = [" ".join(part.split()) for part in call.strip()[2:-2].split("|")]
    positional: list[str] = []
    named: list[str] = []
    for part in parts[1:]:
        if "=" in part:
            key, value = part.split("=", 1)
            named.append(key.strip().lower() + "=" + value.strip())
        else:
            positional.append(part)
    named.sort()
    return "|".join([template_key(parts[0]), *positional, *named])


class _NoSections:
    """Stands in for _Sections where nothing reads section titles (`count`): every offset is in section ""."""

    __slots__ = ()

    def at(self, offset: int) -> str:
        return ""


def extract(wikitext: str) -> Page:
    """The citation units, reuses, errors and citation-needed markers of a page, as Cite would count them."""
    return _recent_page(_coerce(wikitext))


@memoized(maxsize=2)
def _recent_page(text: str) -> Page:
    """`extract` of the last two texts, kept: an edit's child is the next edit's parent, so a service that
    diffs consecutive revisions extracts each once (a Page is a frozen value, safe to share). Two pages at
    most, so memory stays bounded by the latest inputs."""
    return _extract(text, locate=True)


def _extract(text: str, locate: bool) -> Page:
    """`extract`; with `locate` False, sections and citation-needed sentences are left empty ("") instead of
    being worked out: `count` reports neither, and finding them costs a few per cent of a page."""
    sections = _Sections(text) if locate else _NoSections()
    top = scan_page(text, _PAGE_TEMPLATES, ("#tag:",))
    cite = _replay(text, top, sections, locate)

    citations = list(cite.citations)
    short_count, new_short = _short_citations(text, top, JOIN.join([citation.content for citation in cite.citations]))
    for template in new_short:
        citations.append(new_citation("short", None, "", template.span, sections.at(template.span[0]),
                                      text[template.span[0]:template.span[1]]))
    citations.sort(key=lambda c: c.span[0])
    markers = tuple(_citation_needed(text, top.templates, sections, sentences=locate))
    return Page(
        citations=tuple(citations), reuses=tuple(cite.reuses), citation_needed=markers, errors=tuple(cite.errors),
        definitions=cite.definitions, orphans=cite.orphans(), short_citations=short_count,
        groups=dict(cite.per_group),
    )


def _short_citations(text: str, top: ScanResult, joined: str) -> tuple[int, list[Template]]:
    """The number of distinct short citations (calls inside the footnotes' contents, given joined with
    analysis.JOIN, then the page's own {{sfn}}-family templates), and the page templates that are a new
    distinct one (they become citations). The calls are found by one search of the joined contents (no call
    runs across JOIN), which jumps from "{{" to "{{" in C: cheaper than a case-folded copy of each content."""
    short_keys: dict[str, None] = {}
    new_short: list[Template] = []
    # short_key of each distinct call: a page repeats the same {{sfn|…}} wherever it cites the same page.
    key_of: dict[str, str] = {}
    if "{{" in joined:
        for call in _SHORT_CALL_RE.findall(joined):
            key = key_of.get(call)
            if key is None:
                key = key_of[call] = short_key(call)
            short_keys.setdefault(key, None)
    for template in top.templates:
        if template.key in SHORT_TEMPLATES:
            call = text[template.span[0]:template.span[1]]
            key = key_of.get(call)
            if key is None:
                key = key_of[call] = short_key(call)
            if key not in short_keys:
                short_keys[key] = None
                new_short.append(template)
    return len(short_keys), new_short


def _template_events(text: str, top: ScanResult) -> tuple[list[tuple[int, str, object]], set[int]]:
    """The events of the wanted templates in document order, (offset, kind, payload): reference lists, and
    notes and {{#tag:ref}} acting as refs. Also the starts of the refs a reflist's refs= defines: they belong
    to that list, not to the text."""
    tags = top.tags
    template_events: list[tuple[int, str, object]] = []
    in_list: set[int] = set()
    tag_starts: list[int] | None = None
    for template in top.templates:
        if template.key in REFERENCE_LIST_TEMPLATES:
            group = template.get("group") or REFERENCE_LIST_TEMPLATES[template.key]
            group = group.strip()
            refs_value_span = _param_span(text, template, "refs")
            defined: list[tuple[dict[str, str], str | None, tuple[int, int]]] = []
            if refs_value_span is not None:
                if tag_starts is None:
                    tag_starts = [tag.start for tag in tags]
                low = bisect_right(tag_starts, refs_value_span[0] - 1)
                high = bisect_left(tag_starts, refs_value_span[1])
                for index in range(low, high):
                    tag = tags[index]
                    if tag.name == "ref":
                        in_list.add(tag.start)
                        defined.append(_ref_args(text, tag))
            template_events.append((template.span[0], "references", (group, defined)))
        elif template.key in NOTE_TEMPLATES:
            content = template.get("1") or ""
            own_text = _NESTED_REF_RE.sub("", content) if "<" in content else content
            if _CITATION_TEMPLATE_RE.search(own_text):
                attrs = {"group": (template.get("group") or NOTE_TEMPLATES[template.key]).strip()}
                name = template.get("name")
                if name:
                    attrs["name"] = _WS.sub(" ", name).strip()
                template_events.append((template.span[0], "note", (attrs, content, template.span)))
        elif _is_tag_ref(template.key):
            # #tag passes its named arguments as tag attributes; comments in them are gone by then.
            attrs = {k.strip().lower(): _WS.sub(" ", _COMMENT_RE.sub("", v)).strip()
                     for k, v in template.params if not k.isdigit()}
            for quoted in ("name", "group", "follow"):
                value = attrs.get(quoted)
                if value and len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                    # {{#tag:ref|…|group="nb"}}: the quotes are part of the argument, and Cite strips
                    # nothing, but Sanitizer-style quoting is what editors mean; MediaWiki's #tag builds
                    # the attribute string name="value" from it, so quotes end up in the value. Keep them
                    # off so that the group matches <references group="nb"/>.
                    attrs[quoted] = value[1:-1].strip()
            content = template.get("1")
            template_events.append((template.span[0], "tag-ref", (attrs, content, template.span)))
    return template_events, in_list


def _replay(text: str, top: ScanResult, sections: _Sections | _NoSections, locate: bool, bare: bool = False
            ) -> _Cite:
    """Cite's bookkeeping over the page's events in document order. Tags make the events the templates do
    not; both are sorted by offset and never share one, so they are merged as they are read. With `bare`, the
    citations are their content strings (see _Cite)."""
    template_events, in_list = _template_events(text, top)
    tags = top.tags
    template_events.append((len(text) + 1, "", None))  # a sentinel after every tag
    pending = iter(template_events)
    next_offset, next_kind, next_payload = next(pending)

    cite = _Cite(text, sections, bare)
    citations = cite.citations
    groups = cite.groups
    per_group = cite.per_group
    # Plain refs (<ref>text</ref>: no attributes, text, no ref left inside) are counted here and added to
    # the Cite replay's totals at the end: _Cite.ref would take exactly these steps for each. Refs with only
    # a name are replayed here too; anything else goes through _Cite.ref.
    plain = 0
    for name, start, end, attrs_text, inner, _depth in tags:
        while next_offset < start:
            cite.event(next_kind, next_payload)
            next_offset, next_kind, next_payload = next(pending)
        if name == "ref":
            if in_list and start in in_list:
                continue
            content = None if inner is None else text[inner[0]:inner[1]]
            if not attrs_text or attrs_text.isspace():
                if content and not content.isspace() and ("<" not in content or not _has_included_ref(content)):
                    if not plain:
                        groups.setdefault("", {})
                        cite.per_group.setdefault("", 0)  # the group's place among the page's groups
                    plain += 1
                    citations.append(content if bare else new_citation(
                        "ref", None, "", (start, end), sections.at(start) if locate else "", content, False))
                    continue
                cite.ref("ref", {}, content, (start, end))
                continue
            attrs = parse_attributes(attrs_text)
            ref_name = attrs.get("name")
            if len(attrs) != 1 or not ref_name or (ref_name.isascii() and ref_name.isdigit()) \
                    or (content is not None and "<" in content and _has_included_ref(content)):
                cite.ref("ref", attrs, content, (start, end))
                continue
            # A name and nothing else (most named refs and every reuse): _Cite.ref's steps for that case.
            blank = not content or content.isspace()
            footnotes = groups.get("")
            if footnotes is None:
                footnotes = groups[""] = {}
            existing = footnotes.get(ref_name)
            if existing is None:
                footnote = footnotes[ref_name] = _Footnote(None if blank else content)
                cite.definitions += 1
                per_group[""] += 1
                if blank:
                    cite.orphan_candidates.append(footnote)
                else:
                    citations.append(content if bare else new_citation(
                        "ref", ref_name, "", (start, end), sections.at(start) if locate else "", content, False))
                continue
            cite.reuses.append(ref_name if bare else new_reuse(ref_name, "", (start, end)))  # type: ignore[arg-type]
            if blank:
                continue
            if not existing.has_text:
                existing.has_text = True
                existing.content = content
                citations.append(content if bare else new_citation(
                    "ref", ref_name, "", (start, end), sections.at(start) if locate else "", content, False))
            elif existing.content != content:
                cite.errors.append(CiteError("cite_error_references_duplicate_key", (start, end)))
        elif name == "references":
            attrs = parse_attributes(attrs_text)
            group = attrs.get("group", "")
            defined = []
            if inner is not None:
                inner_scan = scan(text, inner[0], inner[1], want=frozenset())
                defined = [_ref_args(text, t) for t in inner_scan.tags if t.name == "ref"]
            cite.references(group, defined)
    while next_kind:
        cite.event(next_kind, next_payload)
        next_offset, next_kind, next_payload = next(pending)
    if plain:
        cite.definitions += plain
        cite.per_group[""] += plain

    return cite


def _ref_args(text: str, tag: ExtTag) -> tuple[dict[str, str], str | None, tuple[int, int]]:
    content = None if tag.inner is None else text[tag.inner[0]:tag.inner[1]]
    return parse_attributes(tag.attrs), content, (tag.start, tag.end)


def _param_span(text: str, template: Template, wanted: str) -> tuple[int, int] | None:
    """Offsets of a named parameter's value, found again in the template's own text."""
    if template.get(wanted) is None:
        return None
    found = re.search(r"\|\s*" + re.escape(wanted) + r"\s*=", text[template.span[0]:template.span[1]])
    if not found:
        return None
    return template.span[0] + found.end(), template.span[1]


# How far back a citation-needed marker looks for its sentence; a bound keeps the cost per marker constant.
_SENTENCE_WINDOW = 600


def _sentence_before(text: str, offset: int, floor: int) -> str:
    """The sentence a marker follows: text since the line start (or the previous marker, or a bounded window),
    refs and templates dropped, links reduced to their labels, last sentence kept. Bounding the window by the
    previous marker keeps the total work linear in the page size."""
    line_start = text.rfind("\n", max(floor, offset - _SENTENCE_WINDOW), offset) + 1
    window = text[max(line_start, floor, offset - _SENTENCE_WINDOW):offset]
    if "<" in window:
        window = _SENTENCE_REF_RE.sub("", window)
    if "{{" in window:
        window = _SENTENCE_TEMPLATE_RE.sub("", window)
    if "[[" in window:
        window = _SENTENCE_LINK_RE.sub(r"\1", window)
    window = _SENTENCE_MARKUP_RE.sub("", window).strip()
    pieces = [p for p in _SENTENCE_SPLIT_RE.split(window) if p.strip()]
    return pieces[-1].strip() if pieces else ""


_SENTENCE_REF_RE = re.compile(r"<ref[^>]{0,200}/>|<ref[^>]{0,200}>.*?</ref\s*>", re.DOTALL | re.IGNORECASE | re.ASCII)
_SENTENCE_TEMPLATE_RE = re.compile(r"\{\{[^{}]*\}\}")
_SENTENCE_LINK_RE = re.compile(r"\[\[(?:[^\]|]*\|)?([^\]]*)\]\]")
_SENTENCE_MARKUP_RE = re.compile(r"'{2,}|<[^>]*>")
_SENTENCE_SPLIT_RE = re.compile(r"(?<=[.!?])\s+")


def _citation_needed(text: str, templates: list[Template], sections: _Sections | _NoSections,
                     sentences: bool = True) -> list[CitationNeeded]:
    found = sorted((t for t in templates if t.key in CITATION_NEEDED_TEMPLATES), key=lambda t: t.span[0])
    markers = []
    floor = 0
    for template in found:
        markers.append(new_citation_needed(
            template.name, template.get("date"), sections.at(template.span[0]),
            _sentence_before(text, template.span[0], floor) if sentences else "", template.span,
        ))
        floor = template.span[1]
    return markers


def citation_needed(wikitext: str) -> tuple[CitationNeeded, ...]:
    """Each {{citation needed}}-family marker with its date, section and the sentence it follows."""
    text = _coerce(wikitext)
    top = scan_page(text, CITATION_NEEDED_TEMPLATES)
    return tuple(_citation_needed(text, top.templates, _Sections(text)))


def count(wikitext: str) -> dict[str, object]:
    """The `count` contract (see the package docstring): plain JSON-ready numbers.

    `page_counts(extract(wikitext))`, without what count does not report: no Citation objects (the replay
    keeps each footnote's content only), no sections, sentences or markers, and the footnotes' identifiers
    tallied for the whole page at once (`analysis.tally_sourcing`). test_fast_paths checks the two agree."""
    text = _coerce(wikitext)
    top = scan_page(text, _PAGE_TEMPLATES, ("#tag:",))
    cite = _replay(text, top, _NoSections(), False, bare=True)
    contents: list[str] = cite.citations  # type: ignore[assignment] - bare: the contents themselves
    joined, ends = joined_contents(contents)
    short_keys, _new_short = _short_citations(text, top, joined)
    by_source = dict.fromkeys(NLM_SOURCES, 0)
    identifier_values: dict[str, set[str]] = {"pmid": set(), "pmcid": set(), "doi": set(), "isbn": set(),
                                              "url": set()}
    nlm, nih_other = tally_sourcing(contents, joined, ends, by_source, identifier_values)
    return {
        "definitions": cite.definitions,
        "reuses": len(cite.reuses),
        "short_citations": short_keys,
        "citation_needed": sum(1 for t in top.templates if t.key in CITATION_NEEDED_TEMPLATES),
        "nlm": nlm,
        "by_source": by_source,
        "nih_other": nih_other,
        "identifiers": {kind: len(values) for kind, values in identifier_values.items()},
        "orphans": cite.orphans(),
        "errors": len(cite.errors),
        "groups": dict(sorted(cite.per_group.items())),
    }


def page_counts(page: Page) -> dict[str, object]:
    footnotes = [c for c in page.citations if c.kind != "short"]
    by_source = dict.fromkeys(NLM_SOURCES, 0)
    nlm = 0
    nih_other = 0
    identifier_values: dict[str, set[str]] = {"pmid": set(), "pmcid": set(), "doi": set(), "isbn": set(),
                                              "url": set()}
    pmids, pmcids, dois, isbns, urls = (identifier_values[kind] for kind in ("pmid", "pmcid", "doi", "isbn", "url"))
    for citation in footnotes:
        # Citation.sourcing without the shared cache: a page's footnotes are analysed once here, and a cache
        # entry per footnote cost a tenth of the analysis. The result is kept on the citation as the property
        # keeps it.
        state = citation.__dict__
        found = state.get("_sourcing")
        if found is None:
            found = state["_sourcing"] = _analyse_uncached(citation.content)
        if found.nlm_source:
            nlm += 1
            by_source[found.nlm_source] += 1
        if found.nih_other:
            nih_other += 1
        ids = found.identifiers
        if ids.url:
            urls.update(ids.url)
        if ids.pmid:
            pmids.update(ids.pmid)
        if ids.pmcid:
            pmcids.update(ids.pmcid)
        if ids.doi:
            dois.update(ids.doi)
        if ids.isbn:
            isbns.update(ids.isbn)
    return {
        "definitions": page.definitions,
        "reuses": len(page.reuses),
        "short_citations": page.short_citations,
        "citation_needed": len(page.citation_needed),
        "nlm": nlm,
        "by_source": by_source,
        "nih_other": nih_other,
        "identifiers": {kind: len(values) for kind, values in identifier_values.items()},
        "orphans": page.orphans,
        "errors": len(page.errors),
        "groups": dict(sorted(page.groups.items())),
    }


__all__ = ["citation_needed", "count", "extract", "page_counts", "template_key"]
