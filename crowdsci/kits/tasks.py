"""Scheduled work of the kits app, declared on KitsConfig.scheduled_jobs() and run by the task worker.

Each task takes no arguments and only calls services, which lock, re-check and write one row at a time.
"""

from __future__ import annotations

from django_tasks import task

from crowdsci.kits import services


@task()
def remind_unconfirmed_requests() -> int:
    return services.kit_requests_remind_unconfirmed()


@task()
def expire_offers() -> int:
    return services.loans_expire_offers()


@task()
def send_loan_notices() -> dict[str, int]:
    return services.loans_send_notices()


@task()
def allocate_free_kits() -> int:
    """Copies become free on their own (a sanitation turnaround ends): serve the queue then."""
    return len(services.kits_allocate(actor=None))
