"""The Redis task queue (with REDIS_URL): failed tasks are retried with backoff, as on the
database queue (`task_recovery`).

django-tasks-rq creates its jobs without RQ's `Retry`, so a task that raised, or whose worker
died (RQ finds it when the job's timeout, `TASKS_LEASE_SECONDS`, has passed and moves it to the
failed registry as abandoned), would never run again. Every job this queue creates carries a
`Retry` of `TASKS_MAX_ATTEMPTS - 1` retries with the same backoff as the database queue; RQ then
re-queues it after a failure or an abandoned run, and fails it for good after the last attempt.
Retries after a delay are scheduled, so workers run with `--with-scheduler`
(docs/deployment.md); a delay of 0 re-queues at once.
"""

from django.conf import settings
from django_rq.queues import DjangoRQ
from rq import Retry

from .task_recovery import retry_delay


def task_retry() -> Retry:
    retries = max(settings.TASKS_MAX_ATTEMPTS - 1, 0)
    return Retry(
        max=retries,
        interval=[int(retry_delay(n).total_seconds()) for n in range(1, retries + 1)],
    )


class RetryingQueue(DjangoRQ):
    """`RQ_QUEUES[...]["QUEUE_CLASS"]`: jobs are created with the platform's retry policy."""

    def create_job(self, *args, retry: Retry | None = None, **kwargs):
        if retry is None and settings.TASKS_MAX_ATTEMPTS > 1:
            retry = task_retry()
        return super().create_job(*args, retry=retry, **kwargs)
