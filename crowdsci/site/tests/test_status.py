"""The staff status page (tracker health, task queue, failed tasks, scheduler) and the tracker's metrics."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from crowdsci.network.tests.factories import make_user


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _stream_consumer(**fields):
    from django.apps import apps

    consumer = apps.get_model("campaigns", "StreamConsumer")
    defaults = {
        "name": "recentchange",
        "lag_seconds": 2.5,
        "events_read": 12345,
        "events_matched": 17,
        "reconnections": 1,
        "heartbeat_at": timezone.now() - timedelta(seconds=3),
        "last_event_time": timezone.now() - timedelta(seconds=5),
        "last_error": "stream <closed> early",
    }
    return consumer.objects.create(**{**defaults, **fields})


@pytest.mark.django_db
def test_staff_see_tracker_queue_failures_and_scheduler(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    from crowdsci.core.tasks import send_email

    send_email.enqueue(subject="s", body="b", to=["a@example.org"])
    failed = send_email.enqueue(subject="s", body="b", to=["b@example.org"])
    DBTaskResult.objects.filter(pk=failed.id).update(
        status="FAILED", finished_at=timezone.now(), exception_class_path="smtplib.SMTPException"
    )
    _stream_consumer()
    staff = make_user(role="staff")
    response = _client_for(staff).get(reverse("site-status"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "recentchange" in page and "12,345" in page and "2.5 s" in page
    assert "stream &lt;closed&gt; early" in page  # escaped
    assert "smtplib.SMTPException" in page and "crowdsci.core.tasks.send_email" in page
    assert response.context["queue"].waiting == 1 and response.context["queue"].failed_recently == 1
    assert "No tracker is running." in page
    for row in response.context["jobs"]:
        assert row["job"].name in page


@pytest.mark.django_db
def test_the_staff_menu_links_to_it_for_staff_only():
    staff_page = _client_for(make_user(role="staff")).get("/").content.decode()
    assert reverse("site-status") in staff_page
    organizer_page = _client_for(make_user()).get("/").content.decode()
    assert reverse("site-status") not in organizer_page


@pytest.mark.django_db
def test_others_are_refused():
    assert Client().get(reverse("site-status")).status_code == 302  # to sign in
    assert _client_for(make_user(role="coordinator", region=2)).get(reverse("site-status")).status_code == 403
    assert _client_for(make_user()).get(reverse("site-status")).status_code == 403


@pytest.mark.django_db
def test_tracker_figures_are_metrics():
    _stream_consumer(name="enwiki", lag_seconds=4.0, events_read=99, events_matched=3)
    text = Client(REMOTE_ADDR="127.0.0.1").get("/metrics").content.decode()
    assert 'crowdsci_tracker_lag_seconds{stream="enwiki"} 4.0' in text
    assert 'crowdsci_tracker_events_read{stream="enwiki"} 99.0' in text
    assert 'crowdsci_tracker_events_matched{stream="enwiki"} 3.0' in text
    assert "crowdsci_tracker_credits_last_minute 0.0" in text
