"""Deterministic work counters for the citation engine: what a run does, counted instead of timed.

`measure(job, text)` runs `job(text)` (caches cleared first) and counts three kinds of work:

* `lines`: Python lines executed in the engine's own modules (sys.settrace, engine files only);
* `regex`: characters the engine's regular expressions walked over: each search, match, finditer, sub…
  call counts the stretch of text it scanned (from where it started to the end of its match, or to the end
  of its range when it found nothing). Every compiled pattern the engine holds (module globals, dicts of
  patterns, bound `.search` methods) and every `re.*` call it makes at run time is counted;
* `find`: characters scanned by `find`, `rfind`, `index`, `count` and `in` on the page text itself (passed
  in as a str subclass that counts them; the slices the engine cuts from it are plain strings).

The counts depend on the code and the input only, never on the machine's load, so a test can bound them
tightly: a quadratic path shows as work per input byte that grows with the input (a rescan from every
position is quadratic in `regex` or `find`, a nested loop in `lines`). Timings are in bench/, not here.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from types import FrameType, ModuleType, SimpleNamespace
from typing import Any

import pytest

import crowdsci.wikicite
from crowdsci.wikicite import clear_caches

ENGINE_DIR = str(Path(crowdsci.wikicite.__file__).resolve().parent)
# By import_module: the package's `extract` and `diff` attributes are the functions of those names.
ENGINE_MODULES: tuple[ModuleType, ...] = tuple(
    import_module(f"crowdsci.wikicite.{name}") for name in ("analysis", "citation", "diff", "extract", "identifiers",
                                                            "scanner")
)


@dataclass
class Work:
    lines: int = 0
    regex: int = 0
    find: int = 0

    @property
    def total(self) -> int:
        return self.lines + self.regex + self.find


def _end(string: Any, endpos: int | None) -> int:
    return len(string) if endpos is None else min(endpos, len(string))


class _CountingPattern:
    """A compiled pattern that adds the length of text each call scanned to `work.regex`."""

    def __init__(self, pattern: re.Pattern, work: Work) -> None:
        self._pattern = pattern
        self._work = work

    def __getattr__(self, name: str) -> Any:  # .pattern, .flags, .groupindex, …
        return getattr(self._pattern, name)

    def search(self, string: Any, pos: int = 0, endpos: int | None = None) -> re.Match | None:
        found = self._pattern.search(string, pos, _end(string, endpos))
        self._work.regex += max(1, (found.end() if found else _end(string, endpos)) - pos)
        return found

    def match(self, string: Any, pos: int = 0, endpos: int | None = None) -> re.Match | None:
        found = self._pattern.match(string, pos, _end(string, endpos))
        self._work.regex += max(1, found.end() - pos) if found else 1
        return found

    def fullmatch(self, string: Any, pos: int = 0, endpos: int | None = None) -> re.Match | None:
        self._work.regex += max(1, _end(string, endpos) - pos)
        return self._pattern.fullmatch(string, pos, _end(string, endpos))

    def finditer(self, string: Any, pos: int = 0, endpos: int | None = None) -> Iterator[re.Match]:
        end = _end(string, endpos)
        last = pos
        for found in self._pattern.finditer(string, pos, end):
            self._work.regex += max(1, found.end() - last)
            last = found.end()
            yield found
        self._work.regex += max(1, end - last)

    def findall(self, string: Any, pos: int = 0, endpos: int | None = None) -> list[Any]:
        self._work.regex += max(1, _end(string, endpos) - pos)
        return self._pattern.findall(string, pos, _end(string, endpos))

    def sub(self, repl: Any, string: Any, count: int = 0) -> Any:
        self._work.regex += max(1, len(string))
        return self._pattern.sub(repl, string, count)

    def subn(self, repl: Any, string: Any, count: int = 0) -> Any:
        self._work.regex += max(1, len(string))
        return self._pattern.subn(repl, string, count)

    def split(self, string: Any, maxsplit: int = 0) -> list[Any]:
        self._work.regex += max(1, len(string))
        return self._pattern.split(string, maxsplit)


class _CountingText(str):
    """The page text: counts what find/rfind/index/count/`in` scan of it into `work.find`."""

    work: Work

    def find(self, sub: Any, start: Any = None, end: Any = None) -> int:
        begin, stop = _bounds(self, start, end)
        found = str.find(self, sub, begin, stop)
        self.work.find += max(1, (found + len(sub) if found >= 0 else stop) - begin)
        return found

    def index(self, sub: Any, start: Any = None, end: Any = None) -> int:
        found = self.find(sub, start, end)
        if found < 0:
            raise ValueError("substring not found")
        return found

    def rfind(self, sub: Any, start: Any = None, end: Any = None) -> int:
        begin, stop = _bounds(self, start, end)
        found = str.rfind(self, sub, begin, stop)
        self.work.find += max(1, stop - (found if found >= 0 else begin))
        return found

    def count(self, sub: Any, start: Any = None, end: Any = None) -> int:
        begin, stop = _bounds(self, start, end)
        self.work.find += max(1, stop - begin)
        return str.count(self, sub, begin, stop)

    def __contains__(self, sub: Any) -> bool:
        return self.find(sub) >= 0

    def __hash__(self) -> int:
        return str.__hash__(self)

    def __eq__(self, other: object) -> bool:
        return str.__eq__(self, other)


def _bounds(text: str, start: int | None, end: int | None) -> tuple[int, int]:
    return slice(start, end).indices(len(text))[:2]


def _counting(value: Any, work: Work) -> Any:
    """The counting stand-in for a module global that is, or holds, a compiled pattern; None for others."""
    if isinstance(value, re.Pattern):
        return _CountingPattern(value, work)
    owner = getattr(value, "__self__", None)
    if isinstance(owner, re.Pattern) and callable(value):  # a module-level bound method, e.g. PATTERN.search
        return getattr(_CountingPattern(owner, work), value.__name__)
    if isinstance(value, dict) and value and all(isinstance(item, re.Pattern) for item in value.values()):
        return {key: _CountingPattern(item, work) for key, item in value.items()}
    return None


def _counting_re(work: Work) -> SimpleNamespace:
    """Stands in for the `re` module inside the engine: run-time compile and module-level calls count too."""

    def compile_(pattern: Any, flags: int = 0) -> _CountingPattern:
        return _CountingPattern(re.compile(pattern, flags), work)

    def call(name: str) -> Callable[..., Any]:
        def run(pattern: Any, string: Any, *args: Any, flags: int = 0, **kwargs: Any) -> Any:
            return getattr(compile_(pattern, flags), name)(string, *args, **kwargs)

        return run

    namespace = SimpleNamespace(**{name: getattr(re, name) for name in dir(re) if not name.startswith("__")})
    namespace.compile = compile_
    for name in ("search", "match", "fullmatch", "finditer", "findall", "split"):
        setattr(namespace, name, call(name))

    def sub(pattern: Any, repl: Any, string: Any, count: int = 0, flags: int = 0) -> Any:
        return compile_(pattern, flags).sub(repl, string, count)

    namespace.sub = sub
    return namespace


def measure(job: Callable[[str], object], text: str) -> Work:
    """The work `job(text)` does, caches cleared before (see the module docstring)."""
    work = Work()
    page = _CountingText(text)
    page.work = work
    with pytest.MonkeyPatch.context() as patch:
        for module in ENGINE_MODULES:
            for name, value in list(vars(module).items()):
                counting = _counting(value, work)
                if counting is not None:
                    patch.setattr(module, name, counting)
            if getattr(module, "re", None) is re:
                patch.setattr(module, "re", _counting_re(work))
        clear_caches()  # also forgets the patterns scanner compiled and cached earlier

        def trace_lines(frame: FrameType, event: str, arg: object) -> Callable | None:
            if event == "line":
                work.lines += 1
            return trace_lines

        def trace_calls(frame: FrameType, event: str, arg: object) -> Callable | None:
            return trace_lines if frame.f_code.co_filename.startswith(ENGINE_DIR) else None

        previous = sys.gettrace()
        sys.settrace(trace_calls)
        try:
            job(page)
        finally:
            sys.settrace(previous)
        clear_caches()  # nothing counted may outlive the measurement
    return work
