"""/healthz and /readyz: no authentication, no details, and the right answer when the database is down."""

import subprocess
import sys

import pytest
from django.test import Client

from crowdsci.core.tests.processes import ROOT, child_env

PROBE_SCRIPT = """
from django.test import Client
client = Client()
for path in ("/healthz", "/readyz"):
    response = client.get(path)
    print(path, response.status_code, response.content.decode().strip())
"""


def _probe_in_a_process(database_url: str) -> dict[str, tuple[int, str]]:
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PROBE_SCRIPT],
        cwd=ROOT,
        env=child_env(DATABASE_URL=database_url),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    answers = {}
    for line in result.stdout.splitlines():
        if not line.startswith("/"):
            continue  # the shell's own messages
        path, status, body = line.split(" ", 2)
        answers[path] = (int(status), body)
    return answers, result.stderr


@pytest.mark.django_db
def test_both_answer_when_everything_is_up():
    client = Client()
    healthz = client.get("/healthz")
    readyz = client.get("/readyz")
    assert (healthz.status_code, healthz.content) == (200, b"ok\n")
    assert (readyz.status_code, readyz.content) == (200, b"ready\n")
    assert readyz["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_probes_need_no_allowed_host_and_no_session():
    # Platforms probe by the container's address, which is not in ALLOWED_HOSTS.
    response = Client().get("/readyz", HTTP_HOST="10.1.2.3:8000")
    assert response.status_code == 200
    assert "sessionid" not in response.cookies
    assert Client().get("/", HTTP_HOST="10.1.2.3:8000").status_code == 400  # the rest of the site still refuses it


@pytest.mark.parametrize(
    "database_url",
    ["postgres://postgres@127.0.0.1:1/crowdsci_nowhere", "sqlite:////nonexistent-directory/crowdsci.sqlite3"],
    ids=["postgresql-refused", "sqlite-unopenable"],
)
def test_database_down_readyz_fails_and_healthz_still_answers(database_url):
    answers, log = _probe_in_a_process(database_url)
    assert answers["/healthz"] == (200, "ok")
    assert answers["/readyz"] == (503, "not ready")
    assert "readiness check database failed" in log  # the reason goes to the log ...
    assert "crowdsci_nowhere" not in str(answers) and "nonexistent" not in str(answers)  # ... never to the prober


def test_unapplied_migrations_make_readyz_fail(tmp_path):
    answers, log = _probe_in_a_process(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    assert answers["/healthz"] == (200, "ok")
    assert answers["/readyz"] == (503, "not ready")
    assert "readiness check migrations failed" in log
