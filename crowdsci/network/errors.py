from __future__ import annotations


class NetworkError(Exception):
    """A rule of the network refused the request; ``message`` is safe to show the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
