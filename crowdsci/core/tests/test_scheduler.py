"""The periodic-job scheduler: due jobs enqueued once per period, the timetable kept across restarts, SIGTERM."""

from __future__ import annotations

import os
import signal
import threading
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django_tasks import task

from crowdsci.core.models import ScheduledJobRun
from crowdsci.core.scheduler import Job, SchedulerLoop

RUNS: list[str] = []


@task()
def record_run() -> None:
    RUNS.append("ran")


JOB = Job(name="test.record", every=timedelta(minutes=10), task=f"{__name__}.record_run")


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(autouse=True)
def _clear_runs():
    RUNS.clear()


@pytest.mark.django_db
def test_a_job_runs_when_due_and_once_per_period():
    clock = Clock()
    loop = SchedulerLoop([JOB], clock=clock)
    loop.start()
    assert loop.step() == ["test.record"]
    assert loop.step() == []
    clock.now += timedelta(minutes=9, seconds=59)
    assert loop.step() == []
    clock.now += timedelta(seconds=1)
    assert loop.step() == ["test.record"]
    assert RUNS == ["ran", "ran"]
    run = ScheduledJobRun.objects.get(name="test.record")
    assert (run.runs, run.last_enqueued_at) == (2, clock.now)


@pytest.mark.django_db
def test_a_restarted_scheduler_keeps_the_timetable():
    clock = Clock()
    first = SchedulerLoop([JOB], clock=clock)
    first.start()
    first.step()
    clock.now += timedelta(minutes=9, seconds=30)
    second = SchedulerLoop([JOB], clock=clock)
    second.start()
    assert second.step() == []
    assert second.seconds_until_next() == pytest.approx(30)
    clock.now += timedelta(seconds=30)
    assert second.step() == ["test.record"]
    assert RUNS == ["ran", "ran"]


@pytest.mark.django_db
def test_two_schedulers_enqueue_one_run_once():
    clock = Clock()
    one, two = SchedulerLoop([JOB], clock=clock), SchedulerLoop([JOB], clock=clock)
    one.start()
    two.start()
    assert one.step() + two.step() == ["test.record"]
    assert RUNS == ["ran"]


def test_two_jobs_with_one_name_are_a_bug(monkeypatch):
    from crowdsci.core import scheduler

    class Config:
        def scheduled_jobs(self):
            return [JOB, JOB]

    monkeypatch.setattr(scheduler.apps, "get_app_configs", lambda: [Config()])
    with pytest.raises(ValueError, match=r"test\.record"):
        scheduler.scheduled_jobs()


@pytest.fixture
def only_the_test_job(monkeypatch):
    monkeypatch.setattr("crowdsci.core.scheduler.scheduled_jobs", lambda: [JOB])


@pytest.mark.django_db
def test_the_command_lists_the_jobs(only_the_test_job):
    out = StringIO()
    call_command("run_scheduler", "--list", stdout=out)
    expected = "test.record\tevery 0:10:00\tcrowdsci.core.tests.test_scheduler.record_run\tlast never\n"
    assert out.getvalue() == expected


@pytest.mark.django_db
def test_the_command_enqueues_what_is_due_once_and_records_it(only_the_test_job):
    out = StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    assert out.getvalue() == "enqueued test.record\n"
    call_command("run_scheduler", "--once", stdout=StringIO())
    assert ScheduledJobRun.objects.get(name="test.record").runs == 1
    assert RUNS == ["ran"]


@pytest.mark.django_db
def test_sigterm_stops_the_loop_cleanly(only_the_test_job):
    before = signal.getsignal(signal.SIGTERM)
    timer = threading.Timer(0.3, os.kill, args=(os.getpid(), signal.SIGTERM))
    timer.start()
    out = StringIO()
    call_command("run_scheduler", stdout=out)  # returns: the loop stopped instead of the process dying
    timer.join()
    assert out.getvalue() == "enqueued test.record\n"
    assert signal.getsignal(signal.SIGTERM) is before
