"""The one way to write the audit log. Services call it inside their own transaction, so the entry commits or
rolls back with the change it describes; nothing else creates AuditEntry rows."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import models

from crowdsci.core.models import AuditEntry


def audit_record(
    *,
    actor: AbstractBaseUser | None,
    action: str,
    obj: models.Model | type[models.Model],
    object_id: str | None = None,
    reason: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Record ``action`` (``<entity>.<verb>``) by ``actor`` (None or anonymous: the system) on ``obj``.

    ``obj`` is the instance changed, or its model class for an action on many rows at once (an import), with
    ``object_id`` naming what was acted on.
    """
    if object_id is None:
        if isinstance(obj, type):
            raise ValueError("audit_record needs object_id when obj is a model class")
        object_id = str(obj.pk)
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=object_id,
        reason=reason,
        detail=detail or {},
    )
