"""A linear, non-recursive scanner for the parts of MediaWiki's preprocessor that decide citations.

It follows Preprocessor_Hash: comments run to the first `-->` (or the end of the text); an extension tag
`<name …>` ends at the first `>`, is self-closing when that `>` follows a `/`, and otherwise takes everything
up to the first `</name>` as raw content; an opening tag without a closing tag is literal text. Templates
`{{…}}` and links `[[…]]` share one stack; a closing `}}` only closes when the innermost open element is a
template (and `]]` a link), which is why a stray `[[` inside a template argument swallows the rest. Extension
tags and comments are atomic inside templates.

Cost: one regex search per marker and O(1) work per marker; each closing-tag search either succeeds (and the
scan jumps past it) or fails once per tag name (the failure is remembered). The stack is capped.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import NamedTuple

from .caching import memoized
from .model import Template, new_template

# Tags whose content is raw text for our purposes. <poem>, <gallery> etc. parse their content as wikitext, so
# refs inside them render; they are not listed and the scan simply walks through them.
OPAQUE_TAGS = frozenset({
    "nowiki", "pre", "math", "chem", "ce", "source", "syntaxhighlight", "score", "timeline", "graph",
    "templatedata", "hiero", "mapframe", "maplink", "includeonly", "imagemap", "inputbox", "charinsert",
})
_TAG_NAMES = "references|ref|" + "|".join(sorted(OPAQUE_TAGS, key=len, reverse=True))
_MARKERS = r"<!--|<(" + _TAG_NAMES + r")(?=[\s/>])|\{\{|\}\}"
# Outside any template, links change nothing the scan cares about (a `}}` with no open template is text
# either way), so the top level skips them; inside templates they matter for nesting and pipes.
TOP_RE = re.compile(_MARKERS, re.IGNORECASE | re.ASCII)
TOKEN_RE = re.compile(_MARKERS + r"|\[\[|\]\]", re.IGNORECASE | re.ASCII)
TOKEN_PIPE_RE = re.compile(_MARKERS + r"|\[\[|\]\]|\|", re.IGNORECASE | re.ASCII)
_CLOSE_RES = {name: re.compile(r"</" + name + r"\s*>", re.IGNORECASE | re.ASCII) for name in _TAG_NAMES.split("|")}
# <includeonly> may miss its end tag (xmlishAllowMissingEndTag): it then runs to the end of the text.
_ALLOW_MISSING_END = frozenset({"includeonly"})
MAX_DEPTH = 2000
MAX_KEPT_DEPTH = 64
_NAME_PEEK_RE = re.compile(r"[^|{}<\[\]]*")
_WS_RE = re.compile(r"[\t\r\n ]+")
# Sanitizer::decodeTagAttributes: name, then optionally = and a double-quoted, single-quoted or bare value.
_ATTR_RE = re.compile(
    r"""(?:^|[\t\n\f\r ])([^\t\n\f\r /<>="']+)[\t\n\f\r ]*"""
    r"""(?:=[\t\n\f\r ]*(?:"([^"]*)(?:"|$)|'([^']*)(?:'|$)|([^\t\n\f\r >]*)))?"""
)


class ExtTag(NamedTuple):
    """An extension tag occurrence. `inner` is None for a self-closing tag.

    A named tuple rather than a frozen dataclass: one is made per tag of every page, and a tuple is built in
    one C call (tuple.__new__) where a frozen dataclass takes six slot writes."""

    name: str
    start: int
    end: int
    attrs: str
    inner: tuple[int, int] | None
    depth: int


_new_tuple = tuple.__new__


def new_tag(name: str, start: int, end: int, attrs: str, inner: tuple[int, int] | None, depth: int) -> ExtTag:
    """ExtTag(name, start, end, attrs, inner, depth), without the named tuple's Python-level __new__."""
    return _new_tuple(ExtTag, (name, start, end, attrs, inner, depth))


@dataclass(slots=True)
class ScanResult:
    tags: list[ExtTag]
    comments: list[tuple[int, int]]
    templates: list[Template]


@memoized(maxsize=16384)
def parse_attributes(text: str) -> dict[str, str]:
    """Tag attributes as MediaWiki's Sanitizer reads them: lower-case names, entities decoded, whitespace
    collapsed and trimmed, the last repetition winning. Cached: callers must not mutate the result."""
    attrs: dict[str, str] = {}
    if not text or text.isspace():
        return attrs
    name_only = _NAME_TOKEN_RE.fullmatch(text)
    if name_only is not None:  # nothing for _attribute_value to change in the value
        attrs["name"] = name_only.group(1)
        return attrs
    name_only = _NAME_ONLY_RE.fullmatch(text)
    if name_only is not None:
        attrs["name"] = _attribute_value(name_only.group(1))
        return attrs
    for found in _ATTR_RE.finditer(text):
        value = found.group(2)
        if value is None:
            value = found.group(3)
        if value is None:
            value = found.group(4) or ""
        attrs[found.group(1).lower()] = _attribute_value(value)
    return attrs


# The commonest attributes by far, ` name="…"`: _ATTR_RE then finds exactly one attribute, `name`, with the
# quoted value (the match starts at the last space before "name"; the spaces after the quote match nothing).
_NAME_ONLY_RE = re.compile(r'[\t\n\f\r ]+name[\t\n\f\r ]*=[\t\n\f\r ]*"([^"]*)"[\t\n\f\r ]*')
# The same, for a value with no whitespace (what str.isspace() admits, and so strip() and _WS_RE act on: every
# such character is below U+3001) and no "&" (most names: one token), which _attribute_value keeps as it is.
_SPACES = "".join(chr(code) for code in range(0x3001) if chr(code).isspace())
_NAME_TOKEN_RE = re.compile(
    r'[\t\n\f\r ]+name[\t\n\f\r ]*=[\t\n\f\r ]*"([^"&' + re.escape(_SPACES) + r']*)"[\t\n\f\r ]*'
)


def _attribute_value(value: str) -> str:
    if "  " in value or "\n" in value or "\t" in value or "\r" in value:  # else the sub changes nothing
        value = _WS_RE.sub(" ", value)
    value = value.strip()
    if "&" in value:
        value = html.unescape(value)
    return value


@memoized(maxsize=16384)
def template_key(name: str) -> str:
    """Lookup form of a template name: case-folded, underscores as spaces, whitespace collapsed,
    'Template:' prefix dropped."""
    key = _WS_RE.sub(" ", name.replace("_", " ")).strip().lower()
    if key.startswith("template:"):
        key = key[9:].strip()
    return key


def scan(text: str, start: int = 0, end: int | None = None, want: frozenset[str] | None = None,
         want_prefix: tuple[str, ...] = ()) -> ScanResult:
    """Scan text[start:end]. Templates are kept when `want` is None, or their key is in `want` or starts with
    one of `want_prefix`."""
    if end is None:
        end = len(text)
    tags: list[ExtTag] = []
    comments: list[tuple[int, int]] = []
    templates: list[Template] = []
    # frame: [kind, start, pipe positions]; kind is None for a link, else whether the template is one we
    # keep (True) or only track for nesting (False).
    stack: list[list] = []
    no_close_after: dict[str, int] = {}
    no_gt_from = end + 1
    pos = start
    search_top = TOP_RE.search
    search_plain = TOKEN_RE.search
    search_pipe = TOKEN_PIPE_RE.search
    search = search_top
    while True:
        found = search(text, pos, end)
        if found is None:
            break
        token = found.group()
        at = found.start()
        first = token[0]
        if first == "{":
            if len(stack) < MAX_DEPTH:
                # Templates nested deeper than this are tracked for nesting only: their parameter values
                # would copy the same text once per level (quadratic on hostile nesting).
                wanted = len(stack) < MAX_KEPT_DEPTH
                if wanted and want is not None:
                    # Peek at the name: pipes only matter inside templates we keep.
                    key = template_key(_NAME_PEEK_RE.match(text, at + 2, end).group())
                    wanted = key in want or bool(want_prefix and key.startswith(want_prefix))
                stack.append([wanted, at, []])
                search = search_pipe if wanted else search_plain
            pos = at + 2
            continue
        if first == "}":
            pos = at + 2
            if stack and stack[-1][0] is not None:
                frame = stack.pop()
                if frame[0]:
                    _close_template(text, frame, pos, templates, want, want_prefix)
                search = (search_pipe if stack[-1][0] else search_plain) if stack else search_top
            continue
        if first == "|":
            stack[-1][2].append(at)
            pos = at + 1
            continue
        if first == "[":
            if len(stack) < MAX_DEPTH:
                stack.append([None, at, []])
                search = search_plain
            pos = at + 2
            continue
        if first == "]":
            pos = at + 2
            if stack and stack[-1][0] is None:
                frame = stack.pop()
                search = (search_pipe if stack[-1][0] else search_plain) if stack else search_top
            continue
        if token == "<!--":  # noqa: S105 - a wikitext marker
            close = text.find("-->", at + 4, end)
            pos = end if close < 0 else close + 3
            comments.append((at, pos))
            continue
        # An extension tag.
        name = found.group(1).lower()
        name_end = found.end()
        gt = text.find(">", name_end, end) if name_end < no_gt_from else -1
        if gt < 0:
            no_gt_from = min(no_gt_from, name_end)  # no ">" from here on: later tags need no search
            pos = name_end
            continue
        if text[gt - 1] == "/" and gt - 1 >= name_end:
            tag = new_tag(name, at, gt + 1, text[name_end:gt - 1], None, len(stack))
        else:
            limit = no_close_after.get(name)
            close = None
            if limit is None or gt + 1 < limit:
                close = _CLOSE_RES[name].search(text, gt + 1, end)
                if close is None:
                    no_close_after[name] = gt + 1 if limit is None else min(limit, gt + 1)
            if close is None:
                if name in _ALLOW_MISSING_END:
                    tag = new_tag(name, at, end, text[name_end:gt], (gt + 1, end), len(stack))
                else:
                    pos = gt + 1  # no end tag: the opening tag is literal text
                    continue
            else:
                tag = new_tag(name, at, close.end(), text[name_end:gt], (gt + 1, close.start()), len(stack))
        tags.append(tag)
        pos = tag.end
    return ScanResult(tags, comments, templates)


def _close_template(text: str, frame: list, end: int, out: list[Template], want: frozenset[str] | None,
                    want_prefix: tuple[str, ...]) -> None:
    start = frame[1]
    pipes: list[int] = frame[2]
    inner_end = end - 2
    name_end = pipes[0] if pipes else inner_end
    name = text[start + 2:name_end].strip()
    if "<!--" in name:
        name = re.sub(r"<!--.*?(?:-->|$)", "", name, flags=re.DOTALL).strip()
    key = template_key(name)
    if want is not None and key not in want and not (want_prefix and key.startswith(want_prefix)):
        return
    params: list[tuple[str, str]] = []
    number = 0
    bounds = [*pipes, inner_end]
    for index in range(len(pipes)):
        part_start = bounds[index] + 1
        part_end = bounds[index + 1]
        equals = text.find("=", part_start, part_end)
        if equals >= 0:
            prefix = text[part_start:equals]
            if "{{" not in prefix and "[[" not in prefix and "<" not in prefix:
                params.append((prefix.strip(), text[equals + 1:part_end].strip()))
                continue
        number += 1
        params.append((str(number), text[part_start:part_end]))
    out.append(new_template(name, key, tuple(params), (start, end)))


# A comment or an extension tag's start, with the tag's name in group 1 (a ref) or 4 (the others). A ref is
# read whole where that is simple (most refs): its first ">" within 100 characters and no "<" before it (group
# 2: the attributes; possessive, so a "<ref" without ">" costs a few steps) and, when its content holds no "<",
# the content (group 3) and the end tag right after it, which is then the first end tag. Where a group is None
# the loop below finds ">" and the end tag itself.
_MARK_RE = re.compile(
    r"<(?:!--|(ref)(?=[\s/>])(?:([^<>]{0,100}+)>(?:([^<]*+)</ref\s*>)?)?|("
    + _TAG_NAMES.replace("|ref|", "|") + r")(?=[\s/>]))",
    re.IGNORECASE | re.ASCII,
)


def _tags_and_comments(text: str) -> tuple[list[ExtTag], list[tuple[int, int]], dict[int, int]]:
    """Phase 1 of `scan_page`: extension tags and comments only. The preprocessor finds them at any template
    depth, so this needs no template stack. Also returns start -> end of every tag and comment, in document
    order (they never overlap), which phase 2 skips over."""
    tags: list[ExtTag] = []
    comments: list[tuple[int, int]] = []
    masked: dict[int, int] = {}
    no_close_after: dict[str, int] = {}
    end = len(text)
    # Past this offset there is no ">" at all: every later opening tag is literal text, without a search
    # (otherwise a page of "<ref " without ">" would cost one search to its end per tag: quadratic).
    no_gt_from = end + 1
    pos = 0
    search = _MARK_RE.search
    close_res = _CLOSE_RES
    while True:
        found = search(text, pos)
        if found is None:
            break
        last = found.lastindex  # the last group that matched: which of _MARK_RE's cases this is
        if last == 3 or last == 2:  # a ref read by _MARK_RE up to its first ">", at `gt`
            at, pos = found.span()
            attrs_start, gt = found.span(2)
            if gt > attrs_start and text[gt - 1] == "/":  # self-closing
                pos = gt + 1
                tags.append(_new_tuple(ExtTag, ("ref", at, pos, text[attrs_start:gt - 1], None, 0)))
                masked[at] = pos
                continue
            if last == 3:  # and its content and end tag
                tags.append(_new_tuple(ExtTag, ("ref", at, pos, text[attrs_start:gt], found.span(3), 0)))
                masked[at] = pos
                continue
            name = "ref"  # its end tag is not right after its content: searched for below
            name_end = attrs_start
        elif last is None:  # <!--
            at = found.start()
            close = text.find("-->", at + 4)
            pos = end if close < 0 else close + 3
            comments.append((at, pos))
            masked[at] = pos
            continue
        else:
            at = found.start()
            name_end = found.end()
            name = "ref" if last == 1 else found.group(4).lower()
            gt = text.find(">", name_end) if name_end < no_gt_from else -1
            if gt < 0:
                no_gt_from = min(no_gt_from, name_end)
                pos = name_end
                continue
            if text[gt - 1] == "/" and gt - 1 >= name_end:
                pos = gt + 1
                tags.append(_new_tuple(ExtTag, (name, at, pos, text[name_end:gt - 1], None, 0)))
                masked[at] = pos
                continue
        limit = no_close_after.get(name)
        close = None
        if limit is None or gt + 1 < limit:
            close = close_res[name].search(text, gt + 1)
            if close is None:
                no_close_after[name] = gt + 1 if limit is None else min(limit, gt + 1)
        if close is None:
            if name in _ALLOW_MISSING_END:
                tags.append(_new_tuple(ExtTag, (name, at, end, text[name_end:gt], (gt + 1, end), 0)))
                masked[at] = pos = end
            else:
                pos = gt + 1
            continue
        close_start, pos = close.span()
        tags.append(_new_tuple(ExtTag, (name, at, pos, text[name_end:gt], (gt + 1, close_start), 0)))
        masked[at] = pos
    return tags, comments, masked


# A template start and its name (up to the first `|`, `}}` or comment): one cheap regex for every `{{` of the
# page; the name is then looked up in a set (a regex alternation of ~90 names would cost more per `{{`).
_TEMPLATE_START_RE = re.compile(r"\{\{([^|{}<>\[\]]{1,100})(?=\||\}\}|<!--)")
# The same, passing over {{cite web}}, {{cite journal}}, {{cite book}} and {{cite news}} calls (most of an
# article's `{{`) inside the regex, for scans that want no key starting with "cite w", "cite j", "cite b" or
# "cite new" (the keys of every name the lookahead skips start so, whatever the case of the "c" and the spaces
# or underscores after "cite").
_CITATION_CALL_KEYS = ("cite w", "cite j", "cite b", "cite new")
_START_SKIPPING_CITATIONS_RE = re.compile(
    r"\{\{(?![cC]ite[ _]+(?:[wWjJbB]|[nN][eE][wW]))([^|{}<>\[\]]{1,100})(?=\||\}\}|<!--)"
)


# Characters outside ASCII whose lower() starts with an ASCII letter ("İ" -> "i̇", Kelvin sign -> "k").
_LOWERS_TO_ASCII = {c: chr(c).lower()[0] for c in (0x130, 0x212A)}


@memoized(maxsize=64)
def _template_start_re(want: frozenset[str], want_prefix: tuple[str, ...]) -> re.Pattern[str]:
    """The template-start regex for a scan that keeps `want` and keys starting with `want_prefix`: it also
    looks ahead for a first character some such key can start with, after what template_key drops in front
    (whitespace, "_", one "Template:"), so that most unwanted calls are passed over inside the regex."""
    if any(key.startswith(_CITATION_CALL_KEYS) for key in want) or any(
        prefix.startswith(_CITATION_CALL_KEYS) or any(key.startswith(prefix) for key in _CITATION_CALL_KEYS)
        for prefix in want_prefix
    ):
        start = _TEMPLATE_START_RE.pattern
    else:
        start = _START_SKIPPING_CITATIONS_RE.pattern
    firsts = {key[:1] for key in want} | {prefix[:1] for prefix in want_prefix}
    if "" in firsts or not all(first.isascii() for first in firsts):
        return re.compile(start)
    # A key is lower-cased: its first character is the lower() of the name's first kept one.
    letters = firsts | {first.upper() for first in firsts}
    letters |= {chr(code) for code, lowered in _LOWERS_TO_ASCII.items() if lowered in firsts}
    lookahead = (r"(?=[\s_]*(?:[tT][eE][mM][pP][lL][aA][tT][eE]:[\s_]*)?["
                 + "".join(re.escape(letter) for letter in sorted(letters)) + "])")
    return re.compile(r"\{\{" + lookahead + start[4:])


def scan_page(text: str, want: frozenset[str], want_prefix: tuple[str, ...] = ()) -> ScanResult:
    """The page-level scan: every extension tag and comment, and only the wanted templates.

    Equivalent to `scan(text, want=…)`, but instead of walking every brace of the page it finds candidate
    starts of wanted templates with one regex and matches braces from there (each stretch of text is walked
    once: frames closing inside an earlier walk are settled by it)."""
    tags, comments, skip = _tags_and_comments(text)
    masked_starts = list(skip)
    masked_ends = list(skip.values())
    candidates = []
    # Whether a raw name is wanted, per distinct spelling: a page calls the same few templates many times.
    wanted_names: dict[str, bool] = {}
    for found in _template_start_re(want, want_prefix).finditer(text):
        raw = found.group(1)
        wanted = wanted_names.get(raw)
        if wanted is None:
            key = template_key(raw)
            wanted = wanted_names[raw] = key in want or bool(want_prefix and key.startswith(want_prefix))
        if not wanted:
            continue
        at = found.start()
        index = bisect_right(masked_starts, at) - 1
        if index >= 0 and masked_ends[index] > at:
            continue  # inside a comment or an extension tag
        candidates.append(at)
    templates: list[Template] = []
    settled: set[int] = set()
    wanted_starts = set(candidates)
    walked_to = -1
    match_simple = _SIMPLE_TEMPLATE_RE.match
    # Parts of each distinct simple call: pages repeat the same {{sfn|…}} or {{cn}} many times.
    simple_parts: dict[str, tuple[str, str, tuple[tuple[str, str], ...]] | None] = {}
    for start in candidates:
        if start in settled or start < walked_to:
            continue
        simple = match_simple(text, start)
        if simple is None:
            walked_to = _walk(text, start, skip, wanted_starts, settled, templates, want, want_prefix)
            continue
        # Nothing inside but pipes: the walk would meet no token before this `}}` but `|`, and no candidate
        # starts inside, so the call alone decides the template.
        call = simple.group()
        walked_to = simple.end()
        if call in simple_parts:
            parts = simple_parts[call]
        else:
            parts = simple_parts[call] = _simple_template_parts(call, want, want_prefix)
        if parts is not None:
            templates.append(new_template(parts[0], parts[1], parts[2], (start, walked_to)))
    templates.sort(key=lambda t: t.span[0])
    return ScanResult(tags, comments, templates)


# A template call with no brace, bracket or `<` inside (so no nested template, link, tag or comment).
_SIMPLE_TEMPLATE_RE = re.compile(r"\{\{[^{}\[\]<]*\}\}")
_PIPE_RE = re.compile(r"\|")


def _simple_template_parts(call: str, want: frozenset[str], want_prefix: tuple[str, ...]
                           ) -> tuple[str, str, tuple[tuple[str, str], ...]] | None:
    """(name, key, params) of a call _SIMPLE_TEMPLATE_RE matched, or None when it is not wanted: exactly what
    _close_template makes of it (it reads only the call's own text, so it runs on the call alone)."""
    made: list[Template] = []
    pipes = [found.start() for found in _PIPE_RE.finditer(call)]
    _close_template(call, [True, 0, pipes], len(call), made, want, want_prefix)
    return (made[0].name, made[0].key, made[0].params) if made else None


def _walk(text: str, start: int, skip: dict[int, int], wanted_starts: set[int], settled: set[int],
          out: list[Template], want: frozenset[str], want_prefix: tuple[str, ...]) -> int:
    """Match braces from the `{{` at `start` until it closes (or the text ends). Wanted templates that close
    on the way are kept. Returns where the walk stopped."""
    stack: list[list] = [[True, start, []]]
    pos = start + 2
    end = len(text)
    search_plain = TOKEN_RE.search
    search_pipe = TOKEN_PIPE_RE.search
    search = search_pipe
    while stack:
        found = search(text, pos)
        if found is None:
            break
        token = found.group()
        at = found.start()
        first = token[0]
        if first == "{":
            if len(stack) < MAX_DEPTH:
                stack.append([len(stack) < MAX_KEPT_DEPTH, at, []])
                search = search_pipe
            pos = at + 2
        elif first == "}":
            pos = at + 2
            if stack[-1][0] is not None:
                frame = stack.pop()
                if frame[1] in wanted_starts and frame[1] not in settled:
                    settled.add(frame[1])
                    if frame[0]:
                        _close_template(text, frame, pos, out, want, want_prefix)
                if stack:
                    search = search_pipe if stack[-1][0] is not None else search_plain
        elif first == "|":
            stack[-1][2].append(at)
            pos = at + 1
        elif first == "[":
            if len(stack) < MAX_DEPTH:
                stack.append([None, at, []])
                search = search_plain
            pos = at + 2
        elif first == "]":
            pos = at + 2
            if stack[-1][0] is None:
                stack.pop()
                if stack:
                    search = search_pipe if stack[-1][0] is not None else search_plain
        else:  # a comment or an extension tag: atomic (a literal unclosed tag is not in `skip`)
            pos = skip.get(at, found.end())
    if stack:
        # Unclosed: everything after `start` was walked; frames still open there never close.
        settled.update(frame[1] for frame in stack)
        return end
    return pos
