"""Background tasks shared by every app."""

from django_tasks import task

from .mail import send_templated_email


@task()
def send_email_task(
    *, template: str, to: list[str], language: str, context: dict | None = None
) -> None:
    """Render and send one e-mail in the recipient's language (run by the task worker)."""
    send_templated_email(template=template, to=to, language=language, context=context or {})
