"""Periodic jobs: what each app wants run on a timetable. ``manage.py run_scheduler`` enqueues them.

An app declares its jobs on its AppConfig, so the scheduler (here, in the bottom layer) imports no app:

    def scheduled_jobs(self) -> list[Job]:
        return [Job(name="events.reminders", every=timedelta(minutes=15), task="crowdsci.events.tasks.send_reminders")]

``task`` is the dotted path of a django-tasks task that takes no arguments; the scheduler enqueues it when it is
due. The job runs in a task worker (``db_worker``), never in the scheduler itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.db import models


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    task: str


def scheduled_jobs() -> list[Job]:
    """Every installed app's jobs, by name; two jobs with one name is a bug."""
    jobs: dict[str, Job] = {}
    for config in apps.get_app_configs():
        declare = getattr(config, "scheduled_jobs", None)
        if not callable(declare):
            continue
        for job in declare():
            if job.name in jobs:
                raise ValueError(f"two scheduled jobs are named {job.name!r}")
            jobs[job.name] = job
    return sorted(jobs.values(), key=lambda job: job.name)


class SchedulerLoop:
    """The body of ``manage.py run_scheduler``: ``start()``, then ``step()`` until told to stop, then ``stop()``.

    Each step enqueues every job that is due (never run, or last enqueued at least ``every`` ago). The last run
    of each job is kept in the database (``core.ScheduledJobRun``), so a restarted scheduler keeps the timetable;
    the claim is a compare-and-set on that row, so two schedulers running by mistake enqueue each run once.
    The job's task is enqueued after the claim commits: a crash in between skips one run rather than doubling it
    (every job here is a periodic sweep, which the next run catches up).
    """

    def __init__(self, jobs: list[Job] | None = None, *, clock=None) -> None:
        self.jobs = jobs if jobs is not None else scheduled_jobs()
        self._clock = clock
        self.enqueued: list[str] = []

    def now(self):
        from django.utils import timezone

        return self._clock() if self._clock else timezone.now()

    def start(self) -> None:
        from crowdsci.core.models import ScheduledJobRun

        ScheduledJobRun.objects.bulk_create(
            [ScheduledJobRun(name=job.name) for job in self.jobs], ignore_conflicts=True
        )

    def step(self) -> list[str]:
        """Enqueue the jobs that are due; returns their names."""
        from django.db import transaction
        from django.utils.module_loading import import_string

        from crowdsci.core.models import ScheduledJobRun

        now = self.now()
        due: list[Job] = []
        last_runs = dict(
            ScheduledJobRun.objects.filter(name__in=[job.name for job in self.jobs]).values_list(
                "name", "last_enqueued_at"
            )
        )
        for job in self.jobs:
            last = last_runs.get(job.name)
            if last is not None and now - last < job.every:
                continue
            with transaction.atomic():
                claimed = ScheduledJobRun.objects.filter(name=job.name, last_enqueued_at=last) if last else (
                    ScheduledJobRun.objects.filter(name=job.name, last_enqueued_at__isnull=True)
                )
                if claimed.update(last_enqueued_at=now, runs=models.F("runs") + 1) != 1:
                    continue  # another scheduler took this run
            due.append(job)
        for job in due:
            import_string(job.task).enqueue()
            self.enqueued.append(job.name)
        return [job.name for job in due]

    def seconds_until_next(self) -> float:
        """How long the loop may sleep before some job is due (at most a minute, so new rows are noticed)."""
        from crowdsci.core.models import ScheduledJobRun

        now = self.now()
        waits = [60.0]
        last_runs = dict(ScheduledJobRun.objects.values_list("name", "last_enqueued_at"))
        for job in self.jobs:
            last = last_runs.get(job.name)
            if last is None:
                return 0.0
            waits.append(max(0.0, (last + job.every - now).total_seconds()))
        return min(waits)

    def stop(self) -> None:
        """Nothing is held between steps (no lock, no open transaction); here for wrappers that need the hook."""
