"""Reads for the tracker's status page (staff): the stream consumers' health and the edits waiting or failing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from crowdsci.campaigns.models import StreamConsumer, TrackedEdit


@dataclass(frozen=True)
class ConsumerHealth:
    consumer: StreamConsumer
    silent_for: timedelta | None  # since the last event was read; None if none ever was
    silent: bool  # longer than the warning threshold


@dataclass(frozen=True)
class TrackerStatus:
    consumers: list[ConsumerHealth]
    edits_by_status: list[tuple[str, int]]  # (the status's translated label, edits)
    oldest_pending: datetime | None
    recent_failures: list[TrackedEdit]
    silence_threshold: timedelta


def tracker_status(now: datetime | None = None) -> TrackerStatus:
    now = now or timezone.now()
    threshold = timedelta(seconds=settings.CAMPAIGNS_STREAM_SILENCE_WARNING_SECONDS)
    consumers = []
    for consumer in StreamConsumer.objects.order_by("name"):
        silent_for = now - consumer.last_seen_at if consumer.last_seen_at else None
        consumers.append(ConsumerHealth(consumer, silent_for, silent_for is None or silent_for > threshold))
    counts = dict(TrackedEdit.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    by_status = [(str(label), counts.get(value, 0)) for value, label in TrackedEdit.Status.choices]
    pending = TrackedEdit.objects.filter(status=TrackedEdit.Status.PENDING)
    oldest = pending.order_by("stored").values_list("stored", flat=True).first()
    failures = list(TrackedEdit.objects.filter(status=TrackedEdit.Status.FAILED).order_by("-stored")[:20])
    return TrackerStatus(consumers, by_status, oldest, failures, threshold)
