"""The engine's modules form layers: no import cycle, and the value types and caches at the bottom."""

from __future__ import annotations

import functools
import inspect
import pkgutil
from importlib import import_module

import grimp  # import-linter's graph builder (a dev dependency)
import pytest

import crowdsci.wikicite
from crowdsci.wikicite import caching, clear_caches, count, extract

PACKAGE = "crowdsci.wikicite"


@pytest.fixture(scope="module")
def imports() -> dict[str, set[str]]:
    """Each module of the package -> the package's modules it imports (anywhere in its code)."""
    graph = grimp.build_graph("crowdsci", cache_dir=None)
    modules = {module for module in graph.modules if module.startswith(PACKAGE + ".")}
    return {module: graph.find_modules_directly_imported_by(module) & modules for module in modules}


def _cycle(imports: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, str] = {}
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = "open"
        path.append(module)
        for imported in sorted(imports[module]):
            if state.get(imported) == "open":
                return [*path[path.index(imported):], imported]
            if imported not in state and (found := visit(imported)):
                return found
        path.pop()
        state[module] = "done"
        return None

    for module in sorted(imports):
        if module not in state and (found := visit(module)):
            return found
    return None


def test_no_import_cycle(imports: dict[str, set[str]]) -> None:
    assert _cycle(imports) is None


def test_the_cycle_finder_finds_one() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


@pytest.mark.parametrize("leaf", ["model", "caching"])
def test_value_types_and_caches_are_leaves(imports: dict[str, set[str]], leaf: str) -> None:
    assert imports[f"{PACKAGE}.{leaf}"] == set()


def test_every_memo_cache_is_registered_for_clearing() -> None:
    registered = {id(cached) for cached in caching.registered_caches()}
    found = []
    for info in pkgutil.iter_modules(crowdsci.wikicite.__path__):
        module = import_module(f"{PACKAGE}.{info.name}")
        for name, value in vars(module).items():
            if hasattr(value, "cache_info") and inspect.getmodule(value) is module:  # an lru_cache
                found.append(name)
                assert id(value) in registered, f"{info.name}.{name} is cached but not registered (caching.memoized)"
    assert len(found) >= 5


def test_clear_caches_empties_every_cache() -> None:
    text = "<ref name=a>{{cite web|url=http://x.org/a|pmid=5}}</ref><ref name=a/>{{cn}}"
    count(text)
    for citation in extract(text).citations:
        citation.templates  # noqa: B018 - fills the structure cache
    assert any(cached.cache_info().currsize for cached in caching.registered_caches())  # type: ignore[attr-defined]
    clear_caches()
    assert all(cached.cache_info().currsize == 0 for cached in caching.registered_caches())  # type: ignore[attr-defined]


def test_memoized_is_lru_cache() -> None:
    calls = []

    @caching.memoized(maxsize=4)
    def double(value: int) -> int:
        calls.append(value)
        return 2 * value

    try:
        assert double(2) == double(2) == 4 and calls == [2]
        assert isinstance(double, functools._lru_cache_wrapper)
        clear_caches()
        assert double(2) == 4 and calls == [2, 2]
    finally:
        caching._REGISTERED.remove(double)
