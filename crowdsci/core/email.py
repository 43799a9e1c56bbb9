"""Email goes out through the task worker, after the transaction that caused it has committed.

In development (``EMAIL_SEND_IMMEDIATELY``, on by default there) it is sent in the request itself, once the
transaction commits, so that ``make run`` alone prints sign-up verification emails on the console without a worker.
"""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.db import transaction

from crowdsci.core.tasks import send_email


def email_enqueue_on_commit(*, subject: str, body: str, to: list[str], html_body: str = "") -> None:
    send = send_email.call if getattr(settings, "EMAIL_SEND_IMMEDIATELY", False) else send_email.enqueue
    transaction.on_commit(partial(send, subject=subject, body=body, to=to, html_body=html_body))
