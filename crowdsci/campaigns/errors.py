from __future__ import annotations

from crowdsci.core.errors import ServiceError


class CampaignsError(ServiceError):
    """A rule of this app refused the request; ``message`` is safe to show the user."""
