"""Turning Django's ValidationError into the one-line message a service error carries."""

from __future__ import annotations

from django.core.exceptions import ValidationError


def validation_error_text(error: ValidationError) -> str:
    """'field: message; other: message' for field errors, the messages alone otherwise."""
    if hasattr(error, "message_dict"):
        return "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
    return " ".join(error.messages)
