from __future__ import annotations

from crowdsci.core.errors import ServiceError


class NetworkError(ServiceError):
    """A rule of the network refused the request; ``message`` is safe to show the user."""
