"""Background tasks of Citizen Science Month. Tasks take plain values and call services."""

from __future__ import annotations

from django_tasks import task

from crowdsci.events import services


@task()
def send_reminders() -> int:
    """Email tomorrow's registrants (the scheduler enqueues this every 15 minutes: ``events.reminders``)."""
    return services.reminders_send()
