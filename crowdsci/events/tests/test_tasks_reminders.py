"""The reminder task: confirmed registrants of events starting within 24 hours, each reminded once."""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps
from django.core import mail
from django.utils import timezone

from crowdsci.core.scheduler import scheduled_jobs
from crowdsci.events import services
from crowdsci.events.models import Registration
from crowdsci.events.tasks import send_reminders
from crowdsci.events.tests.factories import make_event, register

pytestmark = pytest.mark.django_db


def test_tomorrows_confirmed_registrants_are_reminded_once(django_capture_on_commit_callbacks):
    now = timezone.now()
    tomorrow = make_event(starts_at=now + datetime.timedelta(hours=20), capacity=1, title="Tomorrow")
    later = make_event(starts_at=now + datetime.timedelta(hours=30), title="Later")
    register(tomorrow, "Ada")
    register(tomorrow, "Ben")  # waitlisted: no reminder
    gone = register(tomorrow, "Cy", email="cy@example.org", join_waitlist=True)
    services.registration_cancel(registration_id=gone.pk)
    register(later, "Dee")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = send_reminders.enqueue()
    assert result.return_value == 1
    assert [message.to for message in mail.outbox] == [["ada@example.org"]]
    assert "Reminder: Tomorrow" in mail.outbox[0].subject
    assert "/cancel/" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders.enqueue().return_value == 0
    assert len(mail.outbox) == 1
    assert Registration.objects.get(name="Ada").reminder_sent_at is not None


def test_the_reminder_job_is_declared_for_the_scheduler():
    (job,) = [job for job in scheduled_jobs() if job.name == "events.reminders"]
    assert job.task == "crowdsci.events.tasks.send_reminders"
    assert job.every == datetime.timedelta(minutes=15)
    assert apps.get_app_config("events").scheduled_jobs() == [job]
