"""The service error every app's own error class derives from, and the one ``full_clean``-or-raise helper.

A service raises its app's ServiceError subclass when a rule refuses the request; ``message`` is translated and
safe to show the user. Any other exception out of a service is a bug (a 500), never a user error.
"""

from __future__ import annotations

import contextlib

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _


class ServiceError(Exception):
    """A rule refused the request; ``message`` is safe to show the user (already translated)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = str(message)

    def __str__(self) -> str:
        return self.message


class ServiceBusy(ServiceError):
    """A row the request needs is locked by another request for longer than we wait: try again."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or _("This is busy right now because of other requests; please try again."))


def validation_error_text(error: ValidationError, model: type[models.Model] | None = None) -> str:
    """'Field: message; Other: message' for field errors (the field's verbose name when ``model`` is given), and
    the bare messages for errors of the whole object (constraints: never "__all__: ...")."""
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    parts = []
    for field, messages in error.message_dict.items():
        text = " ".join(messages)
        if field == NON_FIELD_ERRORS:
            parts.append(text)
            continue
        label = field
        if model is not None:
            with contextlib.suppress(FieldDoesNotExist):
                label = capfirst(str(model._meta.get_field(field).verbose_name))
        parts.append(f"{label}: {text}")
    return "; ".join(parts)


def full_clean_or_raise(
    instance: models.Model,
    error_class: type[ServiceError],
    *,
    messages: dict[str, str] | None = None,
    **full_clean_options: object,
) -> None:
    """``instance.full_clean()``; a ValidationError becomes ``error_class`` with a one-line message.

    ``messages`` maps a field name (or ``__all__`` for constraints) to the message to give instead when that field
    fails, for rules the user should read in plain words ("That username is already taken.").
    """
    try:
        instance.full_clean(**full_clean_options)
    except ValidationError as error:
        if messages and hasattr(error, "error_dict"):
            for field, message in messages.items():
                if field in error.error_dict:
                    raise error_class(message) from error
        raise error_class(validation_error_text(error, type(instance))) from error
