"""Stored files that no row points to any more."""

from __future__ import annotations

import logging

from django.core.files.storage import Storage
from django.db import transaction

logger = logging.getLogger(__name__)


def delete_stored_file_after_commit(storage: Storage, name: str) -> None:
    """Delete ``name`` from ``storage`` once the current transaction commits (a rollback keeps the file, and the row
    that still points to it). A storage that fails is logged, never raised: the change itself has committed."""

    def delete() -> None:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("could not delete the stored file %s", name, exc_info=True)

    transaction.on_commit(delete)
