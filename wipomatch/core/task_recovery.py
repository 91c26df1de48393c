"""Background tasks that survive failures, on the database task backend (django-tasks-db).

`manage.py db_worker` runs each task once and leaves it FAILED when it raises, or RUNNING for
ever when its worker dies (kill -9, out of memory, machine restarted). Two small additions, with
no change to the worker itself:

- **Retry with backoff.** When a task fails in a worker (`task_finished` signal), it is made
  READY again to run after `TASKS_RETRY_BACKOFF_SECONDS × 2^(attempts-1)`, until it has been
  attempted `TASKS_MAX_ATTEMPTS` times; then it stays FAILED, with its traceback, on the staff
  page of background work. The number of attempts is the number of workers that claimed it
  (`worker_ids`, which the worker appends to on every claim).
- **Leases.** A task RUNNING for longer than `TASKS_LEASE_SECONDS` is taken to have lost its
  worker: the periodic job `tasks-recover` (`tasks_recover_expired`) makes it READY again (or
  FAILED when it has used its attempts). A task that really runs longer than the lease would be
  started a second time, so the lease is far above the longest task, and tasks stay idempotent.

Every change is a conditional UPDATE on the status the row was seen in, so a task is never
revived twice or revived while a worker finishes it.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.compat import TaskResultStatus, task_backends
from django_tasks_db.models import DBTaskResult

LOST_WORKER = "wipomatch.core.task_recovery.WorkerLost"


class WorkerLost(Exception):  # noqa: N818 - named for what the staff page shows
    """Recorded on a task whose worker stopped answering before it finished."""


def retry_delay(attempts: int) -> timedelta:
    seconds = settings.TASKS_RETRY_BACKOFF_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.TASKS_RETRY_BACKOFF_MAX_SECONDS))


def _is_database_backend(name: str) -> bool:
    try:
        return isinstance(task_backends[name], DatabaseBackend)
    except Exception:  # noqa: BLE001 - an unknown backend is not ours to retry
        return False


def retry_failed_task(sender, task_result, **kwargs) -> None:
    """`task_finished` receiver: a failed task on the database backend is tried again later."""
    if task_result.status != TaskResultStatus.FAILED:
        return
    if not _is_database_backend(task_result.backend):
        return
    attempts = len(task_result.worker_ids)
    if attempts >= settings.TASKS_MAX_ATTEMPTS:
        return
    DBTaskResult.objects.filter(id=task_result.id, status=TaskResultStatus.FAILED).update(
        status=TaskResultStatus.READY,
        run_after=timezone.now() + retry_delay(attempts),
        finished_at=None,
    )


def tasks_recover_expired(*, now=None) -> dict[str, int]:
    """Periodic job: tasks whose lease expired run again (or fail once out of attempts)."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.TASKS_LEASE_SECONDS)
    summary = {"requeued": 0, "failed": 0}
    expired = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff)
    for row in expired.only("id", "worker_ids", "started_at"):
        still_expired = DBTaskResult.objects.filter(
            id=row.id, status=TaskResultStatus.RUNNING, started_at=row.started_at
        )
        if len(row.worker_ids) >= settings.TASKS_MAX_ATTEMPTS:
            summary["failed"] += still_expired.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=LOST_WORKER,
                traceback=(
                    f"{LOST_WORKER}: the worker stopped answering "
                    f"({settings.TASKS_LEASE_SECONDS} s lease) on the last attempt."
                ),
            )
        else:
            summary["requeued"] += still_expired.update(
                status=TaskResultStatus.READY, run_after=now
            )
    return summary


def tasks_retry(*, ids: list[str] | None = None) -> int:
    """Staff: run failed tasks again, with a fresh count of attempts."""
    rows = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED)
    if ids is not None:
        rows = rows.filter(id__in=ids)
    return rows.update(
        status=TaskResultStatus.READY, run_after=timezone.now(), finished_at=None, worker_ids=[]
    )
