"""E-mails rendered from templates in the recipient's language and sent after commit.

Each e-mail has `<template>_subject.txt` and `<template>_body.txt` under `templates/emails/`.
Context values must be JSON-serialisable because the send happens in the task worker.
"""

import re

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def send_templated_email(*, template: str, to: list[str], language: str, context: dict) -> None:
    with translation.override(language or settings.LANGUAGE_CODE):
        ctx = {"site_name": settings.SITE_NAME, "site_url": _site_url(), **context}
        subject = render_to_string(f"emails/{template}_subject.txt", ctx).strip()
        body = render_to_string(f"emails/{template}_body.txt", ctx)
    send_mail(
        subject=" ".join(subject.split()),
        message=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=to,
    )


_LANGUAGE_PREFIX = re.compile(
    r"^/(?:" + "|".join(re.escape(code) for code, _name in settings.LANGUAGES) + r")/"
)


def links_in_language(context: dict, language: str) -> dict:
    """Links in an e-mail open the site in the recipient's language, not in the language of
    whoever caused the e-mail (`reverse` prefixes a URL with the active language)."""
    language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    return {
        key: _LANGUAGE_PREFIX.sub(f"/{language}/", value, count=1)
        if key.endswith("url") and isinstance(value, str)
        else value
        for key, value in context.items()
    }


def email_after_commit(*, template: str, to: list[str], language: str, context: dict) -> None:
    """Queue an e-mail once the surrounding transaction commits (never for rolled-back work)."""
    recipients = [addr for addr in to if addr]
    if not recipients:
        return
    context = links_in_language(context, language)

    def _enqueue():
        from .tasks import send_email_task

        send_email_task.enqueue(
            template=template, to=recipients, language=language, context=context
        )

    transaction.on_commit(_enqueue)


def _site_url() -> str:
    return getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")
