from crowdsci.core.errors import ServiceError


class SiteError(ServiceError):
    """A site page change was refused (the message is translated and safe to show)."""
