"""Background tasks shared by every app."""

from django_tasks import task

from . import outbox
from .periodic import run_job


@task()
def send_outbox_task(*, ids: list[int] | None = None) -> dict[str, int]:
    """Send e-mails of the outbox that are due (queued when a transaction writes them; the
    periodic "outbox-send" job retries what fails)."""
    return outbox.outbox_send_due(ids=ids)


@task()
def send_email_task(
    *, template: str, to: list[str], language: str, context: dict | None = None
) -> None:
    """Tasks queued before the outbox existed: the e-mail goes through the outbox all the same."""
    row = outbox.outbox_add(template=template, to=to, language=language, context=context or {})
    if row is not None:
        outbox.outbox_send_due(ids=[row.pk])


@task()
def run_periodic_job_task(*, name: str) -> str:
    """Run one registered periodic job in the worker; returns its summary for the task log."""
    return str(run_job(name))
