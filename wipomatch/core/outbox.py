"""The e-mail outbox: every e-mail is a row written in the transaction of the change that causes
it, and the task worker sends the rows that are due.

- Writing (`outbox_add`, `outbox_add_message`) renders nothing late: subject and body are final
  when the row is written, in the recipient's language, so a sender needs no request, no context
  and no translation.
- Sending (`outbox_send_due`) claims due rows for one sender only: on PostgreSQL with
  `SELECT … FOR UPDATE SKIP LOCKED`, and everywhere with a conditional `UPDATE … WHERE
  status = 'pending'` that only one sender can win, so two workers never send the same row.
  A refused or unreachable mail server puts the row back with exponential backoff; after
  `OUTBOX_MAX_ATTEMPTS` it is failed, and staff see it and can retry (`outbox_retry`).
- A sender that dies between claiming and recording the outcome leaves rows "sending"; after
  `OUTBOX_CLAIM_LEASE_SECONDS` they are due again (the only case in which a message that the
  server had already accepted may be sent a second time).

This module imports no other project module except the model and the text cleaner, so `core.mail` and `core.tasks`
both build on it without importing each other in a cycle.
"""

from __future__ import annotations

import logging
import threading
import uuid
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import OperationalError, connection, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import strip_tags

from .models import OutboxEmail
from .text import clean_single_line

logger = logging.getLogger(__name__)


def header_safe(value: str) -> str:
    """One line without control characters or bidirectional overrides (subjects, names)."""
    return clean_single_line(value)


def site_url() -> str:
    return settings.SITE_URL.rstrip("/")


# --- Holding e-mails back (demo seeding) -------------------------------------------------------


@dataclass
class HeldBack:
    dropped: int = 0


_held = threading.local()


@contextmanager
def emails_held_back():
    """Inside this block (this thread only), e-mails are dropped instead of written: demo
    seeding creates people with invented addresses who must receive nothing."""
    previous = getattr(_held, "current", None)
    _held.current = HeldBack()
    try:
        yield _held.current
    finally:
        _held.current = previous


def _drop_if_held_back() -> bool:
    current = getattr(_held, "current", None)
    if current is None:
        return False
    current.dropped += 1
    return True


# --- Writing -----------------------------------------------------------------------------------


def render_email(*, template: str, language: str, context: dict) -> tuple[str, str]:
    """Subject and body of `emails/<template>_subject.txt` / `_body.txt` in `language`."""
    with translation.override(language or settings.LANGUAGE_CODE):
        ctx = {"site_name": settings.SITE_NAME, "site_url": site_url(), **context}
        subject = render_to_string(f"emails/{template}_subject.txt", ctx)
        body = render_to_string(f"emails/{template}_body.txt", ctx)
    return header_safe(subject), body


def outbox_add(*, template: str, to: list[str], language: str, context: dict) -> OutboxEmail | None:
    """Render a templated e-mail now and write it to the outbox (in the caller's transaction)."""
    recipients = [address for address in to if address]
    if not recipients or _drop_if_held_back():
        return None
    subject, body = render_email(template=template, language=language, context=context)
    return OutboxEmail.objects.create(
        template=template,
        language=language or "",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
        subject=subject,
        body=body,
        next_attempt_at=timezone.now(),
    )


def outbox_add_message(
    message: EmailMultiAlternatives, *, template: str = "", language: str = ""
) -> OutboxEmail | None:
    """Write an already rendered message (allauth's account e-mails) to the outbox."""
    recipients = [address for address in message.to if address]
    if not recipients or _drop_if_held_back():
        return None
    body = str(message.body)
    alternatives = [[str(c), m] for c, m in getattr(message, "alternatives", [])]
    if message.content_subtype == "html":  # an HTML-only message: keep a plain-text part too
        alternatives.insert(0, [body, "text/html"])
        body = strip_tags(body)
    return OutboxEmail.objects.create(
        template=template,
        language=language or translation.get_language() or "",
        from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
        to=recipients,
        subject=header_safe(str(message.subject)),
        body=body,
        alternatives=alternatives,
        headers={str(k): header_safe(str(v)) for k, v in (message.extra_headers or {}).items()},
        next_attempt_at=timezone.now(),
    )


# --- Sending -----------------------------------------------------------------------------------


def backoff_delay(attempts: int) -> timedelta:
    """Wait before the next attempt after `attempts` failures: base × 2^(attempts-1), capped."""
    seconds = settings.OUTBOX_BACKOFF_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.OUTBOX_BACKOFF_MAX_SECONDS))


def _due(now) -> Q:
    lease = now - timedelta(seconds=settings.OUTBOX_CLAIM_LEASE_SECONDS)
    return Q(status=OutboxEmail.Status.PENDING, next_attempt_at__lte=now) | Q(
        status=OutboxEmail.Status.SENDING, claimed_at__lt=lease
    )


def outbox_claim(*, limit: int, ids: list[int] | None = None) -> tuple[str, list[OutboxEmail]]:
    """Claim up to `limit` due rows (of `ids` if given) for this sender; no other sender can
    claim them."""
    now = timezone.now()
    token = uuid.uuid4().hex
    try:
        _claim(now, token, limit=limit, ids=ids)
    except OperationalError as error:
        if "locked" not in str(error):
            raise
        return token, []  # SQLite busy with another sender: these rows wait for the next run
    claimed = list(OutboxEmail.objects.filter(claim_token=token, status=OutboxEmail.Status.SENDING))
    return token, claimed


def _claim(now, token: str, *, limit: int, ids: list[int] | None) -> None:
    with transaction.atomic():
        candidates = OutboxEmail.objects.filter(_due(now)).order_by("next_attempt_at", "id")
        if ids is not None:
            candidates = candidates.filter(pk__in=ids)
        if connection.features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True)
        ids = list(candidates.values_list("id", flat=True)[:limit])
        if ids:
            # The condition is re-checked by the UPDATE itself: of two senders that read the
            # same rows (SQLite has no row locks), only the first to write claims each one.
            OutboxEmail.objects.filter(_due(now), id__in=ids).update(
                status=OutboxEmail.Status.SENDING, claimed_at=now, claim_token=token
            )
    claimed = list(OutboxEmail.objects.filter(claim_token=token, status=OutboxEmail.Status.SENDING))
    return token, claimed


def _message(row: OutboxEmail, connection_) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body,
        from_email=row.from_email,
        to=row.to,
        headers=row.headers or None,
        connection=connection_,
    )
    for content, mimetype in row.alternatives:
        message.attach_alternative(content, mimetype)
    return message


def _record_failure(row: OutboxEmail, token: str, error: BaseException) -> None:
    attempts = row.attempts + 1
    failed = attempts >= settings.OUTBOX_MAX_ATTEMPTS
    OutboxEmail.objects.filter(pk=row.pk, claim_token=token).update(
        status=OutboxEmail.Status.FAILED if failed else OutboxEmail.Status.PENDING,
        attempts=attempts,
        next_attempt_at=None if failed else timezone.now() + backoff_delay(attempts),
        claimed_at=None,
        claim_token="",
        last_error=f"{type(error).__name__}: {error}"[:2000],
        updated_at=timezone.now(),
    )


def outbox_send_due(*, limit: int | None = None, ids: list[int] | None = None) -> dict[str, int]:
    """Send the due e-mails (only `ids` if given) once each; returns how many were sent, will be
    retried, or failed for good."""
    token, rows = outbox_claim(limit=limit or settings.OUTBOX_BATCH_SIZE, ids=ids)
    summary = {"sent": 0, "retrying": 0, "failed": 0}
    if not rows:
        return summary
    mail_connection = get_connection(fail_silently=False)
    try:
        mail_connection.open()
    except Exception as error:  # noqa: BLE001 - any refusal of the server is retried later
        logger.warning("Mail server unavailable: %s", error)
        for row in rows:
            _record_failure(row, token, error)
            summary[
                "failed" if row.attempts + 1 >= settings.OUTBOX_MAX_ATTEMPTS else "retrying"
            ] += 1
        return summary
    try:
        for row in rows:
            try:
                _message(row, mail_connection).send()
            except Exception as error:  # noqa: BLE001 - recorded on the row, retried with backoff
                logger.warning("E-mail %s not sent: %s", row.pk, error)
                _record_failure(row, token, error)
                last = row.attempts + 1 >= settings.OUTBOX_MAX_ATTEMPTS
                summary["failed" if last else "retrying"] += 1
                continue
            OutboxEmail.objects.filter(pk=row.pk, claim_token=token).update(
                status=OutboxEmail.Status.SENT,
                attempts=row.attempts + 1,
                sent_at=timezone.now(),
                claimed_at=None,
                claim_token="",
                last_error="",
                updated_at=timezone.now(),
            )
            summary["sent"] += 1
    finally:
        with suppress(Exception):  # the outcome of every message is already recorded
            mail_connection.close()
    return summary


def outbox_send_all_due() -> dict[str, int]:
    """Periodic job: send batches until nothing is due (bounded, so one run cannot spin)."""
    total = {"sent": 0, "retrying": 0, "failed": 0}
    for _ in range(100):
        summary = outbox_send_due()
        for key, value in summary.items():
            total[key] += value
        if sum(summary.values()) < settings.OUTBOX_BATCH_SIZE:
            break
    return total


def outbox_retry(*, ids: list[int] | None = None) -> int:
    """Staff: make failed (or still pending) e-mails due now, with a fresh count of attempts."""
    rows = OutboxEmail.objects.filter(
        status__in=[OutboxEmail.Status.FAILED, OutboxEmail.Status.PENDING]
    )
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return rows.update(
        status=OutboxEmail.Status.PENDING,
        attempts=0,
        next_attempt_at=timezone.now(),
        updated_at=timezone.now(),
    )
