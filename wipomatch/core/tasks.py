"""Background tasks shared by every app."""

from django_tasks import task

from .mail import send_templated_email


@task()
def send_email_task(
    *, template: str, to: list[str], language: str, context: dict | None = None
) -> None:
    """Render and send one e-mail in the recipient's language (run by the task worker)."""
    send_templated_email(template=template, to=to, language=language, context=context or {})


@task()
def run_periodic_job_task(*, name: str) -> str:
    """Run one registered periodic job in the worker; returns its summary for the task log."""
    from .periodic import run_job

    return str(run_job(name))
