"""/metrics: Prometheus text for the configured addresses only, with request, view and task queue figures."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from crowdsci.core.metrics import address_allowed


def _metric(text: str, name: str) -> float:
    for line in text.splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{name} not in the metrics")


@pytest.mark.django_db
def test_loopback_may_scrape_by_default():
    client = Client(REMOTE_ADDR="127.0.0.1")
    client.get("/guides/")
    response = client.get("/metrics")
    assert response.status_code == 200
    text = response.content.decode()
    assert "django_http_requests_latency_seconds_by_view_method_bucket" in text
    assert 'view="catalog-browse"' in text or "catalog" in text
    assert "crowdsci_tasks_waiting" in text


@pytest.mark.django_db
@pytest.mark.parametrize("address", ["10.0.0.7", "203.0.113.9", "::ffff:10.0.0.7", "not-an-address"])
def test_other_addresses_are_refused(address):
    response = Client(REMOTE_ADDR=address).get("/metrics")
    assert response.status_code == 403
    assert b"django_http" not in response.content


@pytest.mark.django_db
def test_a_configured_network_may_scrape(settings):
    settings.METRICS_ALLOWED_ADDRESSES = ["10.0.0.0/8"]
    assert Client(REMOTE_ADDR="10.20.30.40").get("/metrics").status_code == 200
    assert Client(REMOTE_ADDR="127.0.0.1").get("/metrics").status_code == 403


def test_address_matching():
    assert address_allowed("::1", ["127.0.0.1", "::1"])
    assert address_allowed("192.168.1.5", ["192.168.1.0/24"])
    assert not address_allowed("192.168.2.5", ["192.168.1.0/24"])
    assert not address_allowed("", ["127.0.0.1"])
    assert not address_allowed("127.0.0.1", ["nonsense"])


@pytest.mark.django_db
def test_task_queue_depth_and_oldest_waiting_age(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    from crowdsci.core.tasks import send_email

    for _ in range(3):
        send_email.enqueue(subject="s", body="b", to=["a@example.org"])
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=10))
    text = Client().get("/metrics").content.decode()
    assert _metric(text, "crowdsci_tasks_waiting") == 3
    assert _metric(text, "crowdsci_tasks_oldest_waiting_seconds") >= 600
    assert _metric(text, "crowdsci_tasks_failed_recent") == 0
