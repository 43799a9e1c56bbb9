"""Email goes out through the task worker, after the transaction that caused it has committed."""

from __future__ import annotations

from functools import partial

from django.db import transaction

from crowdsci.core.tasks import send_email


def email_enqueue_on_commit(*, subject: str, body: str, to: list[str], html_body: str = "") -> None:
    transaction.on_commit(partial(send_email.enqueue, subject=subject, body=body, to=to, html_body=html_body))
