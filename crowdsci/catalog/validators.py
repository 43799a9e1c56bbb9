"""Validators for what editors attach to a guide: files of known kinds and sizes, and sane web addresses."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALLOWED_FILE_EXTENSIONS = [
    "pdf", "doc", "docx", "odt", "rtf", "txt", "csv", "xls", "xlsx", "ods", "ppt", "pptx", "odp",
    "png", "jpg", "jpeg", "gif", "webp", "mp3", "m4a", "ogg", "zip",
]  # fmt: skip
MAX_FILE_BYTES = 20 * 1024 * 1024


def validate_file_size(file) -> None:
    if file.size > MAX_FILE_BYTES:
        raise ValidationError(_("The file is larger than 20 MB."), code="file_too_large")


def validate_link_url(url: str) -> None:
    """Only http(s) addresses with a real host name: no javascript:, data:, credentials or bare words."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in {"http", "https"}:
        raise ValidationError(_("Use a web address starting with https:// or http://."), code="link_scheme")
    host = parts.hostname or ""
    if not host or "." not in host:
        raise ValidationError(_("The address has no valid host name."), code="link_host")
    if parts.username or parts.password:
        raise ValidationError(_("The address must not contain a user name or password."), code="link_credentials")
