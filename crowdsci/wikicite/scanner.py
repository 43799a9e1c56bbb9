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
from functools import lru_cache

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


@dataclass(frozen=True, slots=True)
class ExtTag:
    """An extension tag occurrence. `inner` is None for a self-closing tag."""

    name: str
    start: int
    end: int
    attrs: str
    inner: tuple[int, int] | None
    depth: int


_new_object = object.__new__
_TAG_SLOTS = tuple(ExtTag.__dict__[name].__set__ for name in ("name", "start", "end", "attrs", "inner", "depth"))


def new_tag(name: str, start: int, end: int, attrs: str, inner: tuple[int, int] | None, depth: int) -> ExtTag:
    """ExtTag(name, start, end, attrs, inner, depth), built without the frozen dataclass's __init__ (which
    sets each field through object.__setattr__, about twice the cost): one runs per tag of every page."""
    made = _new_object(ExtTag)
    set_name, set_start, set_end, set_attrs, set_inner, set_depth = _TAG_SLOTS
    set_name(made, name)
    set_start(made, start)
    set_end(made, end)
    set_attrs(made, attrs)
    set_inner(made, inner)
    set_depth(made, depth)
    return made


@dataclass(slots=True)
class ScanResult:
    tags: list[ExtTag]
    comments: list[tuple[int, int]]
    templates: list[Template]


@lru_cache(maxsize=16384)
def parse_attributes(text: str) -> dict[str, str]:
    """Tag attributes as MediaWiki's Sanitizer reads them: lower-case names, entities decoded, whitespace
    collapsed and trimmed, the last repetition winning. Cached: callers must not mutate the result."""
    attrs: dict[str, str] = {}
    if not text or text.isspace():
        return attrs
    for found in _ATTR_RE.finditer(text):
        value = found.group(2)
        if value is None:
            value = found.group(3)
        if value is None:
            value = found.group(4) or ""
        if "  " in value or "\n" in value or "\t" in value or "\r" in value:  # else the sub changes nothing
            value = _WS_RE.sub(" ", value)
        value = value.strip()
        if "&" in value:
            value = html.unescape(value)
        attrs[found.group(1).lower()] = value
    return attrs


@lru_cache(maxsize=16384)
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
        gt = text.find(">", name_end, end)
        if gt < 0:
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


_MARK_RE = re.compile(r"<!--|<(" + _TAG_NAMES + r")(?=[\s/>])", re.IGNORECASE | re.ASCII)


def _tags_and_comments(text: str) -> tuple[list[ExtTag], list[tuple[int, int]]]:
    """Phase 1 of `scan_page`: extension tags and comments only. The preprocessor finds them at any template
    depth, so this needs no template stack."""
    tags: list[ExtTag] = []
    comments: list[tuple[int, int]] = []
    no_close_after: dict[str, int] = {}
    end = len(text)
    pos = 0
    search = _MARK_RE.search
    close_res = _CLOSE_RES
    make_tag = new_tag
    while True:
        found = search(text, pos)
        if found is None:
            break
        at = found.start()
        raw_name = found.group(1)
        if raw_name is None:  # <!--
            close = text.find("-->", at + 4)
            pos = end if close < 0 else close + 3
            comments.append((at, pos))
            continue
        name = raw_name.lower()
        name_end = found.end()
        gt = text.find(">", name_end)
        if gt < 0:
            pos = name_end
            continue
        if text[gt - 1] == "/" and gt - 1 >= name_end:
            pos = gt + 1
            tags.append(make_tag(name, at, pos, text[name_end:gt - 1], None, 0))
            continue
        limit = no_close_after.get(name)
        close = None
        if limit is None or gt + 1 < limit:
            close = close_res[name].search(text, gt + 1)
            if close is None:
                no_close_after[name] = gt + 1 if limit is None else min(limit, gt + 1)
        if close is None:
            if name in _ALLOW_MISSING_END:
                tags.append(make_tag(name, at, end, text[name_end:gt], (gt + 1, end), 0))
                pos = end
            else:
                pos = gt + 1
            continue
        close_start, pos = close.span()
        tags.append(make_tag(name, at, pos, text[name_end:gt], (gt + 1, close_start), 0))
    return tags, comments


# A template start and its name (up to the first `|`, `}}` or comment): one cheap regex for every `{{` of the
# page; the name is then looked up in a set (a regex alternation of ~90 names would cost more per `{{`).
_TEMPLATE_START_RE = re.compile(r"\{\{([^|{}<>\[\]]{1,100})(?=\||\}\}|<!--)")


def scan_page(text: str, want: frozenset[str], want_prefix: tuple[str, ...] = ()) -> ScanResult:
    """The page-level scan: every extension tag and comment, and only the wanted templates.

    Equivalent to `scan(text, want=…)`, but instead of walking every brace of the page it finds candidate
    starts of wanted templates with one regex and matches braces from there (each stretch of text is walked
    once: frames closing inside an earlier walk are settled by it)."""
    tags, comments = _tags_and_comments(text)
    masked = sorted([(t.start, t.end) for t in tags] + comments)
    masked_starts = [start for start, _end in masked]
    skip = dict(masked)
    candidates = []
    for found in _TEMPLATE_START_RE.finditer(text):
        key = template_key(found.group(1))
        if key not in want and not (want_prefix and key.startswith(want_prefix)):
            continue
        at = found.start()
        index = bisect_right(masked_starts, at) - 1
        if index >= 0 and masked[index][1] > at:
            continue  # inside a comment or an extension tag
        candidates.append(at)
    templates: list[Template] = []
    settled: set[int] = set()
    wanted_starts = set(candidates)
    walked_to = -1
    for start in candidates:
        if start in settled or start < walked_to:
            continue
        walked_to = _walk(text, start, skip, wanted_starts, settled, templates, want, want_prefix)
    templates.sort(key=lambda t: t.span[0])
    return ScanResult(tags, comments, templates)


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
