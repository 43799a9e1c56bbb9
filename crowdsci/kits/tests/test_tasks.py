"""The scheduled tasks: declared on the AppConfig, and what each does."""

import datetime

import pytest
from django.apps import apps
from django.core import mail
from django.utils import timezone

from crowdsci.core.scheduler import scheduled_jobs
from crowdsci.kits import services, tasks
from crowdsci.kits.models import KitRequest, Loan
from crowdsci.kits.tests.factories import make_copy, make_request

pytestmark = pytest.mark.django_db


def test_jobs_are_declared_and_point_at_real_tasks():
    names = {job.name: job.task for job in scheduled_jobs() if job.name.startswith("kits.")}
    assert set(names) == {"kits.remind_unconfirmed", "kits.expire_offers", "kits.loan_notices", "kits.allocate"}
    for dotted in names.values():
        module, _dot, attribute = dotted.rpartition(".")
        assert getattr(__import__(module, fromlist=[attribute]), attribute) is getattr(tasks, attribute)
    assert apps.get_app_config("kits").scheduled_jobs()


def test_add_business_days_skips_the_weekend():
    friday = datetime.datetime(2026, 12, 4, 10, 0)
    assert services.add_business_days(friday, 3) == datetime.datetime(2026, 12, 9, 10, 0)  # Wednesday
    assert services.add_business_days(friday, 1) == datetime.datetime(2026, 12, 7, 10, 0)  # Monday


def test_the_representative_is_reminded_after_three_business_days(
    kit_type, rep2, settings, django_capture_on_commit_callbacks
):
    settings.KITS_CONFIRMATION_REMINDER_BUSINESS_DAYS = 3
    kit_request = make_request()
    friday = datetime.datetime(2026, 12, 4, 10, 0, tzinfo=timezone.get_current_timezone())
    KitRequest.objects.filter(pk=kit_request.pk).update(submitted=friday)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.kit_requests_remind_unconfirmed(now=friday + datetime.timedelta(days=4)) == 0  # Tuesday
        assert services.kit_requests_remind_unconfirmed(now=friday + datetime.timedelta(days=5)) == 1  # Wednesday
        assert services.kit_requests_remind_unconfirmed(now=friday + datetime.timedelta(days=6)) == 0
    assert [m.to for m in mail.outbox] == [["rep2@example.org"]]
    assert mail.outbox[0].subject.startswith("Reminder:")
    services.kit_request_confirm_receipt(actor=rep2, kit_request=kit_request)
    assert services.kit_requests_remind_unconfirmed(now=friday + datetime.timedelta(days=30)) == 0


def test_the_tasks_run_the_services(kit_type, rep2):
    make_copy()
    first = make_request(name="First", confirm_by=rep2)
    second = make_request(name="Second", confirm_by=rep2)
    assert tasks.allocate_free_kits.call() == 1
    Loan.objects.filter(request=first).update(offer_expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert tasks.expire_offers.call() == 1
    second.refresh_from_db()
    assert second.status == KitRequest.Status.OFFERED
    assert tasks.send_loan_notices.call() == {"due_soon": 0, "overdue": 0, "lost": 0}
    assert tasks.remind_unconfirmed_requests.call() == 0
