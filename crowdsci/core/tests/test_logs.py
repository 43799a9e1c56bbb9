"""One log line per request and per task, each with an id; JSON lines when asked."""

import json
import logging

import pytest
from django.test import Client

from crowdsci.core.logs import JsonFormatter, RequestIdFilter, request_id_var


@pytest.mark.django_db
def test_each_request_gets_an_id_and_one_line(caplog):
    with caplog.at_level(logging.INFO, logger="crowdsci.request"):
        response = Client().get("/guides/")
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    lines = [record for record in caplog.records if record.name == "crowdsci.request"]
    assert len(lines) == 1
    assert lines[0].status == 200 and lines[0].path == "/guides/" and lines[0].method == "GET"
    assert lines[0].view == "catalog-browse"
    assert RequestIdFilter().filter(lines[0]) and lines[0].request_id == request_id


@pytest.mark.django_db
def test_a_sane_incoming_request_id_is_kept_and_a_hostile_one_replaced():
    kept = Client().get("/guides/", HTTP_X_REQUEST_ID="lb-0123456789abcdef")
    assert kept["X-Request-ID"] == "lb-0123456789abcdef"
    replaced = Client().get("/guides/", HTTP_X_REQUEST_ID='x"\n{"level": "forged"}')
    assert replaced["X-Request-ID"] != 'x"\n{"level": "forged"}' and len(replaced["X-Request-ID"]) == 32


@pytest.mark.django_db
def test_each_task_gets_one_line_with_its_id(caplog):
    from crowdsci.core.tasks import send_email

    with caplog.at_level(logging.INFO, logger="crowdsci.task"):
        result = send_email.enqueue(subject="Hello", body="b", to=["a@example.org"])
    finished = [record for record in caplog.records if record.name == "crowdsci.task" and hasattr(record, "status")]
    assert len(finished) == 1
    assert finished[0].task_id == str(result.id) and finished[0].status == "SUCCESSFUL"
    assert finished[0].task == "crowdsci.core.tasks.send_email"


def test_json_lines_carry_the_request_id_and_extras():
    token = request_id_var.set("abc123abc123")
    try:
        record = logging.LogRecord("crowdsci.request", logging.INFO, __file__, 1, "GET %s", ("/x",), None)
        record.status = 200
        RequestIdFilter().filter(record)
    finally:
        request_id_var.reset(token)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "GET /x"
    assert line["request_id"] == "abc123abc123"
    assert line["status"] == 200 and line["level"] == "INFO" and line["logger"] == "crowdsci.request"
