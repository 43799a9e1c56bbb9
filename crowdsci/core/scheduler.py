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
