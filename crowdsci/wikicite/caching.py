"""The engine's memo caches, registered in one place so that one call forgets them all.

A leaf module (it imports nothing from the package): every module that memoizes a pure function of its input
decorates it with `memoized`, and `clear_caches` empties each one. Benchmarks clear them to measure cold work;
tests clear them to check that a cached answer equals a fresh one.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any, Protocol, TypeVar


class _Cache(Protocol):
    def cache_clear(self) -> None: ...


_REGISTERED: list[_Cache] = []
F = TypeVar("F", bound=Callable[..., Any])


def memoized(maxsize: int) -> Callable[[F], F]:
    """functools.lru_cache(maxsize), registered for `clear_caches`. The wrapper is lru_cache's own C object:
    a call costs what it did before registration."""

    def decorate(function: F) -> F:
        cached = lru_cache(maxsize=maxsize)(function)
        _REGISTERED.append(cached)
        return cached  # type: ignore[return-value]

    return decorate


def registered_caches() -> tuple[_Cache, ...]:
    return tuple(_REGISTERED)


def clear_caches() -> None:
    """Forget every memoized analysis, normalization and recent page."""
    for cached in _REGISTERED:
        cached.cache_clear()
