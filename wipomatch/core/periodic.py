"""Periodic work (expiry, reminders, digests): a registry of idempotent jobs.

`manage.py run_periodic` runs them once (cron in production); `manage.py scheduler`, started
by `make run` next to the web server and the worker, enqueues each job on its interval so that
the task worker does the work. Every job must be safe to run twice: it picks up rows that are
not yet processed and marks them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    function: str  # dotted path of a callable taking no arguments and returning a summary
    every_seconds: int

    def load(self) -> Callable[[], object]:
        module, _, attr = self.function.rpartition(".")
        return getattr(import_module(module), attr)


JOBS: tuple[PeriodicJob, ...] = (
    PeriodicJob("outbox-send", "wipomatch.core.outbox.outbox_send_all_due", 60),
    PeriodicJob("tasks-recover", "wipomatch.core.task_recovery.tasks_recover_expired", 60),
    PeriodicJob("listings-expiry", "wipomatch.listings.services.listings_expire_due", 3600),
    PeriodicJob("listings-reminders", "wipomatch.listings.services.listings_send_reminders", 3600),
    PeriodicJob(
        "suggestions-refresh", "wipomatch.matching.services.suggestions_refresh_stale", 900
    ),
)
JOBS_BY_NAME = {job.name: job for job in JOBS}


def run_job(name: str) -> object:
    return JOBS_BY_NAME[name].load()()
