"""The staff status page and the tracker's figures for /metrics: the site app assembles them from every app.

The tracker's health rows (campaigns' ``StreamConsumer``) are read through the app registry, so this page keeps
working, with a "not installed" line, in an installation without the campaigns app.
"""

from __future__ import annotations

from datetime import timedelta

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from crowdsci.core.health import failed_readiness_checks
from crowdsci.core.locking import current_leader
from crowdsci.core.metrics import MetricGauge
from crowdsci.core.queue_status import queue_status, recent_failures
from crowdsci.core.scheduler import scheduled_jobs
from crowdsci.network.selectors import user_is_network_staff

TRACKER_LOCK = "tracker"
SCHEDULER_LOCK = "scheduler"


def _model(label: str, name: str):
    try:
        return apps.get_model(label, name)
    except LookupError:
        return None


def tracker_rows() -> list | None:
    """The stream consumers' health rows, or None when the tracker is not installed."""
    consumer = _model("campaigns", "StreamConsumer")
    return None if consumer is None else list(consumer.objects.order_by("name"))


def credits_last_minute() -> int | None:
    edit = _model("campaigns", "TrackedEdit")
    if edit is None:
        return None
    return edit.objects.filter(credited_at__gte=timezone.now() - timedelta(minutes=1)).count()


def tracker_gauges() -> list[MetricGauge]:
    """The tracker's figures for /metrics (SiteConfig.metric_gauges), from the rows it writes with each batch."""
    rows = tracker_rows()
    if rows is None:
        return []
    now = timezone.now()
    gauges = []
    for row in rows:
        labels = {"stream": row.name}
        gauges += [
            MetricGauge("tracker_events_read", "Stream events the tracker has read.", row.events_read, labels),
            MetricGauge("tracker_events_matched", "Stream events that matched a campaign.", row.events_matched, labels),
            MetricGauge(
                "tracker_reconnections", "Times the tracker reconnected to the stream.", row.reconnections, labels
            ),
        ]
        if row.lag_seconds is not None:
            gauges.append(
                MetricGauge("tracker_lag_seconds", "Edit time to read time of the last event.", row.lag_seconds, labels)
            )
        if row.heartbeat_at is not None:
            gauges.append(
                MetricGauge(
                    "tracker_heartbeat_age_seconds",
                    "Seconds since the tracker last wrote its health row.",
                    (now - row.heartbeat_at).total_seconds(),
                    labels,
                )
            )
    credits = credits_last_minute()
    if credits is not None:
        gauges.append(MetricGauge("tracker_credits_last_minute", "Edits credited in the last minute.", credits))
    return gauges


def scheduler_rows() -> list[dict]:
    run_model = _model("core", "ScheduledJobRun")
    runs = {run.name: run for run in run_model.objects.all()} if run_model is not None else {}
    return [{"job": job, "run": runs.get(job.name)} for job in scheduled_jobs()]


@login_required
def status(request: HttpRequest) -> HttpResponse:
    if not user_is_network_staff(request.user):
        raise PermissionDenied
    context = {
        "not_ready": failed_readiness_checks(),
        "queue": queue_status(),
        "failures": recent_failures(10),
        "consumers": tracker_rows(),
        "credits_last_minute": credits_last_minute(),
        "tracker_leader": current_leader(TRACKER_LOCK),
        "jobs": scheduler_rows(),
        "scheduler_leader": current_leader(SCHEDULER_LOCK),
        "now": timezone.now(),
    }
    return render(request, "site/status.html", context)
