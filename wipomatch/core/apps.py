from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "wipomatch.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django_tasks_db.compat import task_finished

        from .task_recovery import retry_failed_task

        task_finished.connect(retry_failed_task, dispatch_uid="wipomatch-retry-failed-task")
