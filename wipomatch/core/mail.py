"""E-mails rendered from templates in the recipient's language, through the outbox.

Each e-mail has `<template>_subject.txt` and `<template>_body.txt` under `templates/emails/`.
`email_after_commit` renders it at once and writes it to the outbox in the caller's transaction
(`wipomatch.core.outbox`); once that transaction commits, the task worker is asked to send it.
A rolled-back change leaves no e-mail, and a request never talks to the mail server.
"""

import logging
import re

from django.conf import settings
from django.db import transaction

from . import outbox
from .tasks import send_outbox_task

logger = logging.getLogger(__name__)

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
    """Write an e-mail to the outbox now; it is sent once the surrounding transaction commits
    (never for rolled-back work)."""
    row = outbox.outbox_add(
        template=template,
        to=to,
        language=language,
        context=links_in_language(context, language),
    )
    if row is not None:
        wake_sender_after_commit([row.pk])


def wake_sender_after_commit(ids: list[int] | None = None) -> None:
    """Ask the worker to send these outbox rows (all due rows if None) once this transaction
    commits; if the transaction rolls back, the rows are gone and nothing is queued."""

    def enqueue() -> None:
        try:
            send_outbox_task.enqueue(ids=ids)
        except Exception:  # the periodic "outbox-send" job sends the rows on its next run anyway
            logger.exception("Could not queue the outbox sender")

    transaction.on_commit(enqueue, robust=True)
