from __future__ import annotations

from crowdsci.core.errors import ServiceError


class CatalogError(ServiceError):
    """A rule of the catalog refused the request; ``message`` is safe to show the user."""
