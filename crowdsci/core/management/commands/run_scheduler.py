"""``manage.py run_scheduler``: enqueue each app's periodic jobs on their timetable (one small loop)."""

from __future__ import annotations

import threading

from django.core.management.base import BaseCommand

from crowdsci.core.locking import leadership, stop_requested
from crowdsci.core.scheduler import SchedulerLoop


class Command(BaseCommand):
    help = (
        "Enqueue the periodic jobs every app declares (AppConfig.scheduled_jobs) when they are due; the task "
        "workers (db_worker) run them. Stops cleanly on SIGTERM or Ctrl-C."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true", help="Enqueue what is due now, then exit.")
        parser.add_argument(
            "--list", dest="list_jobs", action="store_true", help="List the jobs and their last runs, then exit."
        )

    def handle(self, *args: object, once: bool = False, list_jobs: bool = False, **options: object) -> None:
        loop = SchedulerLoop()
        if list_jobs:
            from crowdsci.core.models import ScheduledJobRun

            last = dict(ScheduledJobRun.objects.values_list("name", "last_enqueued_at"))
            for job in loop.jobs:
                when = last.get(job.name)
                self.stdout.write(f"{job.name}\tevery {job.every}\t{job.task}\tlast {when or 'never'}")
            return
        # SIGTERM/SIGINT are caught from here on, so one that lands just as a standby takes over still stops cleanly.
        with stop_requested() as stopping:
            if once:
                self._run(loop, stopping, once=True)
                return
            # One active scheduler whatever is started: the others wait as hot standbys (exit 0 on SIGTERM meanwhile).
            with leadership("scheduler", should_stop=stopping.is_set) as active:
                if active:
                    self._run(loop, stopping, once=False)

    def _run(self, loop: SchedulerLoop, stopping: threading.Event, *, once: bool) -> None:
        loop.start()
        try:
            while True:
                for name in loop.step():
                    self.stdout.write(f"enqueued {name}")
                # At least a second between steps: a job another scheduler just claimed is "due" until it reads
                # the new time, and must not make this loop spin.
                if once or stopping.wait(max(loop.seconds_until_next(), 1.0)):
                    break
        finally:
            loop.stop()
