from __future__ import annotations


class CatalogError(Exception):
    """A rule of the catalog refused the request; ``message`` is safe to show the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
