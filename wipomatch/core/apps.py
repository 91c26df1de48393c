from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "wipomatch.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django_tasks_db.compat import task_finished

        from .task_recovery import retry_failed_task

        task_finished.connect(retry_failed_task, dispatch_uid="wipomatch-retry-failed-task")
        post_migrate.connect(
            _create_cache_table, sender=self, dispatch_uid="wipomatch-create-cache-table"
        )


def _create_cache_table(using="default", **kwargs) -> None:
    """`migrate` also creates the table of the shared database cache (a no-op if it exists)."""
    call_command("createcachetable", database=using, verbosity=0)
