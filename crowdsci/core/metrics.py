"""Prometheus metrics at ``/metrics``, for the addresses in ``METRICS_ALLOWED_ADDRESSES`` only.

Requests and latencies by view come from django-prometheus's middleware. Under gunicorn each worker process counts
its own; with ``PROMETHEUS_MULTIPROC_DIR`` set (``make serve`` and the gunicorn config do it) every scrape adds up
all the workers. The gauges below are read from the database at scrape time, so any process can answer them:

- the task queue (``crowdsci_tasks_*``);
- whatever an app declares on its AppConfig as ``metric_gauges() -> list[MetricGauge]`` (the tracker's lag, events
  and credits come that way from the rows it keeps about its own health); core imports no app to get them.
"""

from __future__ import annotations

import ipaddress
import logging
import os
from dataclasses import dataclass, field

import prometheus_client
from django.apps import apps
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from prometheus_client import multiprocess
from prometheus_client.core import GaugeMetricFamily

logger = logging.getLogger("crowdsci.metrics")


@dataclass(frozen=True)
class MetricGauge:
    name: str  # crowdsci_ is prefixed
    documentation: str
    value: float
    labels: dict[str, str] = field(default_factory=dict)


def address_allowed(address: str, allowed: list[str] | None = None) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for entry in settings.METRICS_ALLOWED_ADDRESSES if allowed is None else allowed:
        try:
            if ip in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            logger.warning("METRICS_ALLOWED_ADDRESSES: %r is not an address or network", entry)
    return False


def queue_gauges() -> list[MetricGauge]:
    from crowdsci.core.queue_status import queue_status

    status = queue_status()
    return [
        MetricGauge("tasks_waiting", "Tasks ready to run and waiting for a worker.", status.waiting),
        MetricGauge("tasks_scheduled", "Tasks queued to run later.", status.scheduled),
        MetricGauge("tasks_running", "Tasks a worker is running.", status.running),
        MetricGauge("tasks_failed_recent", "Tasks that failed in the last 24 hours.", status.failed_recently),
        MetricGauge(
            "tasks_oldest_waiting_seconds",
            "Age of the oldest task waiting for a worker.",
            status.oldest_waiting_seconds,
        ),
    ]


def app_gauges() -> list[MetricGauge]:
    gauges = []
    for config in apps.get_app_configs():
        declare = getattr(config, "metric_gauges", None)
        if callable(declare):
            try:
                gauges.extend(declare())
            except Exception:
                logger.exception("metric gauges of %s failed", config.label)
    return gauges


class DatabaseGaugeCollector:
    """Collects, at scrape time, the gauges read from the database."""

    def collect(self):
        families: dict[str, GaugeMetricFamily] = {}
        for gauge in queue_gauges() + app_gauges():
            name = f"crowdsci_{gauge.name}"
            family = families.get(name)
            if family is None:
                family = families[name] = GaugeMetricFamily(name, gauge.documentation, labels=sorted(gauge.labels))
            family.add_metric([gauge.labels[key] for key in sorted(gauge.labels)], gauge.value)
        yield from families.values()


def metrics(request: HttpRequest) -> HttpResponse:
    if not address_allowed(request.META.get("REMOTE_ADDR", "")):
        return HttpResponse("forbidden\n", status=403, content_type="text/plain; charset=utf-8")
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = prometheus_client.CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = prometheus_client.REGISTRY
    database = prometheus_client.CollectorRegistry(auto_describe=False)
    database.register(DatabaseGaugeCollector())
    body = prometheus_client.generate_latest(registry) + prometheus_client.generate_latest(database)
    response = HttpResponse(body, content_type=prometheus_client.CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response
