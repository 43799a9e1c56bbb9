"""One small exception hierarchy for every Wikimedia client in this package."""

from __future__ import annotations


class WikimediaError(Exception):
    """Base class: catch this to handle any failure of the Wikimedia clients."""


class ConfigurationError(WikimediaError, ValueError):
    """A client was built with a missing or invalid setting (for example no contact address)."""


class RetriesExhaustedError(WikimediaError):
    """A request kept failing (429, 503, maxlag, timeouts, dropped connections) until the retry bound."""

    def __init__(self, message: str, *, attempts: int, last_error: str) -> None:
        super().__init__(f"{message} (gave up after {attempts} attempts; last error: {last_error})")
        self.attempts = attempts
        self.last_error = last_error


class ApiError(WikimediaError):
    """The Action API answered with an error object that retrying will not fix."""

    def __init__(self, code: str, info: str) -> None:
        super().__init__(f"{code}: {info}")
        self.code = code
        self.info = info


class UnexpectedResponseError(WikimediaError):
    """The server answered with a status or a body this client does not understand."""


class MalformedEventError(WikimediaError):
    """A stream event could not be parsed; the stream reports it as a MalformedEvent instead of raising it."""
