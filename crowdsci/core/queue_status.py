"""What the task queue looks like now (django-tasks' database backend): for the status page and the metrics."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Min
from django.utils import timezone

FAILED_RECENTLY = timedelta(hours=24)


@dataclass(frozen=True)
class QueueStatus:
    waiting: int  # ready to run now
    scheduled: int  # ready, but due later
    running: int
    failed_recently: int  # failed in the last FAILED_RECENTLY
    oldest_waiting_seconds: float  # 0 when nothing waits


def queue_status() -> QueueStatus:
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    ready = DBTaskResult.objects.ready()
    waiting = ready.aggregate(count=Count("id"), oldest=Min("enqueued_at"))
    counts = dict(
        DBTaskResult.objects.filter(status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING])
        .values_list("status")
        .annotate(count=Count("id"))
        .values_list("status", "count")
    )
    failed = DBTaskResult.objects.failed().filter(finished_at__gte=now - FAILED_RECENTLY).count()
    oldest = waiting["oldest"]
    return QueueStatus(
        waiting=waiting["count"],
        scheduled=counts.get(TaskResultStatus.READY, 0) - waiting["count"],
        running=counts.get(TaskResultStatus.RUNNING, 0),
        failed_recently=failed,
        oldest_waiting_seconds=max(0.0, (now - oldest).total_seconds()) if oldest else 0.0,
    )


def recent_failures(limit: int = 20) -> list:
    from django_tasks_db.models import DBTaskResult

    return list(
        DBTaskResult.objects.failed()
        .order_by("-finished_at")
        .only("id", "task_path", "finished_at", "queue_name", "exception_class_path")[:limit]
    )
