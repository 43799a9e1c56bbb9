"""The development experience: sign-up works under `make run` alone, and expected 403s and 404s stay quiet."""

import logging

import pytest
from django.core import mail
from django.urls import reverse

from crowdsci.core.testing import PASSWORD
from crowdsci.network.tests.factories import make_user


@pytest.mark.django_db
def test_in_development_the_verification_email_goes_out_without_a_task_worker(
    client, settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    # As under `make run`: the database task backend, and nobody running its worker.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.EMAIL_SEND_IMMEDIATELY = True
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"), {"email": "ada@example.org", "password1": PASSWORD, "password2": PASSWORD}
        )
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [["ada@example.org"]]
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db
def test_without_it_the_email_waits_for_the_worker(client, settings, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.EMAIL_SEND_IMMEDIATELY = False
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup"), {"email": "bo@example.org", "password1": PASSWORD, "password2": PASSWORD}
        )
    assert mail.outbox == []
    assert DBTaskResult.objects.count() == 1


@pytest.mark.django_db
def test_expected_403_and_404_log_no_traceback(client, caplog):
    client.force_login(make_user("reader"))
    with caplog.at_level(logging.INFO):
        assert client.get("/no/such/page/").status_code == 404
        assert client.get(reverse("catalog-review")).status_code == 403
    assert [record for record in caplog.records if record.exc_info] == []
    assert [record for record in caplog.records if record.levelno >= logging.WARNING] == []
