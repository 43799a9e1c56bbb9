"""The campaigns' background tasks (django-tasks, run by ``manage.py db_worker``). They take ids and call the
tracker, which calls the services; they hold no locks of their own."""

from __future__ import annotations

from django_tasks import task

from crowdsci.campaigns.tracking import crediting, refresh


@task()
def credit_edits(*, edit_ids: list[int]) -> dict[str, int]:
    """Credit these edits (those still pending); a failure leaves them pending with a later retry."""
    report = crediting.credit_edits(edit_ids)
    return {
        "credited": len(report.credited), "reverted": len(report.reverted), "hidden": len(report.hidden),
        "retry": len(report.retry), "failed": len(report.failed),
    }


@task()
def refresh_edits() -> dict[str, int]:
    """The scheduler's job: re-check the edits of campaigns running now or ended in the last 30 days."""
    outcome = refresh.refresh(refresh.campaigns_to_refresh())
    return {
        "checked": outcome.checked, "reverted": outcome.reverted, "hidden": outcome.hidden,
        "retried_failed": outcome.retried_failed, "credited_due": outcome.credited_due,
    }
