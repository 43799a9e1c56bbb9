import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction

from crowdsci.core.email import email_enqueue_on_commit

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.mark.django_db(transaction=True)
def test_email_waits_in_the_task_queue_until_the_worker_sends_it(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE_TASKS
    with transaction.atomic():
        email_enqueue_on_commit(subject="Welcome", body="Hello", to=["ada@example.org"], html_body="<p>Hello</p>")
    assert DBTaskResult.objects.count() == 1
    assert mail.outbox == []

    call_command("db_worker", "--batch", "--no-reload")

    assert [message.subject for message in mail.outbox] == ["Welcome"]
    assert mail.outbox[0].alternatives[0][1] == "text/html"
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True)
def test_email_is_not_queued_when_the_transaction_rolls_back(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE_TASKS
    with pytest.raises(RuntimeError), transaction.atomic():
        email_enqueue_on_commit(subject="Never", body="", to=["x@example.org"])
        raise RuntimeError("the change failed")
    assert DBTaskResult.objects.count() == 0
