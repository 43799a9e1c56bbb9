from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "crowdsci.core"
    verbose_name = _("Site")

    def ready(self) -> None:
        from django_tasks import signals

        from crowdsci.core import logs

        # One log line per task, with the task's id on every line written while it runs.
        signals.task_enqueued.connect(logs.task_enqueued, dispatch_uid="crowdsci.core.logs.task_enqueued")
        signals.task_started.connect(logs.task_started, dispatch_uid="crowdsci.core.logs.task_started")
        signals.task_finished.connect(logs.task_finished, dispatch_uid="crowdsci.core.logs.task_finished")
