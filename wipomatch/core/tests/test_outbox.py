"""The e-mail outbox against a real SMTP server (aiosmtpd): nothing lost while it is down, each
e-mail sent exactly once when it is up, even with two senders; requests never reach it."""

import ast
import socket
import threading
from contextlib import suppress
from datetime import timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from wipomatch.core import outbox
from wipomatch.core.mail import email_after_commit
from wipomatch.core.management.commands.serve import served_environment
from wipomatch.core.models import OutboxEmail
from wipomatch.listings.services import listings_send_reminders
from wipomatch.listings.tests.factories import OfferFactory
from wipomatch.members.tests.factories import (
    FacilitatorFactory,
    FocalPointFactory,
    OrganisationFactory,
    UserFactory,
)

# An empty cache: allauth's rate limits (one confirmation e-mail per address every few minutes)
# live there, and another module may have signed up the same address just before.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


class Inbox:
    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        with self.lock:
            self.messages.append(envelope)
        return "250 Message accepted for delivery"

    def subjects(self) -> list[str]:
        subjects = []
        for envelope in self.messages:
            for line in envelope.content.decode("utf-8", "replace").splitlines():
                if line.startswith("Subject:"):
                    subjects.append(line.removeprefix("Subject:").strip())
        return subjects


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """A real SMTP server on a free port, stopped until the test starts it."""
    port = _free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)

    class Server:
        messages = inbox.messages
        subjects = inbox.subjects

        @staticmethod
        def start():
            controller.start()

        @staticmethod
        def stop():
            controller.stop()

    yield Server
    with suppress(AssertionError, RuntimeError):  # never started, or already stopped
        controller.stop()


def _email(to="amina@example.org", language="fr"):
    email_after_commit(
        template="membership_removed",
        to=[to],
        language=language,
        context={"organisation": "Réseau", "url": "/en/members/"},
    )


def _pass_time(rows=None):
    """The backoff has elapsed: move the next attempt of waiting rows into the past."""
    rows = rows if rows is not None else OutboxEmail.objects.filter(status="pending")
    rows.update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def test_the_email_is_written_with_the_change_and_rendered_in_the_recipients_language():
    with transaction.atomic():
        _email(language="fr")
        row = OutboxEmail.objects.get()
        assert row.status == OutboxEmail.Status.PENDING
        assert row.to == ["amina@example.org"]
        assert row.language == "fr"
        assert "/fr/members/" in row.body  # the link opens in the recipient's language
    with transaction.atomic():
        _email()
        transaction.set_rollback(True)
    assert OutboxEmail.objects.count() == 1  # rolled-back work leaves no e-mail


def test_mail_server_down_loses_nothing_then_each_email_is_sent_exactly_once(smtp, settings):
    settings.OUTBOX_BACKOFF_SECONDS = 60
    _email(to="a@example.org")
    _email(to="b@example.org")
    before = timezone.now()

    summary = outbox.outbox_send_due()  # server stopped: connection refused
    assert summary == {"sent": 0, "retrying": 2, "failed": 0}
    rows = list(OutboxEmail.objects.order_by("id"))
    assert [r.status for r in rows] == ["pending", "pending"]
    assert [r.attempts for r in rows] == [1, 1]
    assert all("Connection" in r.last_error or "refused" in r.last_error for r in rows)
    for row in rows:  # exponential backoff: 60 s after the first failure
        assert before + timedelta(seconds=59) <= row.next_attempt_at
        assert row.next_attempt_at <= timezone.now() + timedelta(seconds=61)
    assert outbox.outbox_send_due() == {"sent": 0, "retrying": 0, "failed": 0}  # not due yet

    _pass_time()
    outbox.outbox_send_due()
    assert OutboxEmail.objects.get(to=["a@example.org"]).next_attempt_at >= timezone.now() + (
        timedelta(seconds=119)
    )  # second failure: 120 s

    smtp.start()
    _pass_time()
    assert outbox.outbox_send_due() == {"sent": 2, "retrying": 0, "failed": 0}
    assert len(smtp.messages) == 2
    assert sorted(e.rcpt_tos[0] for e in smtp.messages) == ["a@example.org", "b@example.org"]
    assert set(OutboxEmail.objects.values_list("status", flat=True)) == {"sent"}
    # Sent rows are never sent again, whatever runs later.
    _pass_time(OutboxEmail.objects.all())
    assert outbox.outbox_send_all_due() == {"sent": 0, "retrying": 0, "failed": 0}
    assert len(smtp.messages) == 2


def test_after_the_last_attempt_the_email_is_failed_and_staff_can_retry_it(smtp, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    _email()
    outbox.outbox_send_due()
    _pass_time()
    assert outbox.outbox_send_due() == {"sent": 0, "retrying": 0, "failed": 1}
    row = OutboxEmail.objects.get()
    assert (row.status, row.attempts, row.next_attempt_at) == ("failed", 2, None)
    _pass_time(OutboxEmail.objects.all())
    assert outbox.outbox_send_due()["sent"] == 0  # failed rows wait for staff

    assert outbox.outbox_retry(ids=[row.pk]) == 1
    smtp.start()
    assert outbox.outbox_send_due()["sent"] == 1
    assert len(smtp.messages) == 1


def test_a_row_claimed_by_one_sender_is_not_claimed_by_another():
    _email()
    _token, first = outbox.outbox_claim(limit=10)
    _token, second = outbox.outbox_claim(limit=10)
    assert len(first) == 1 and second == []
    # The sender died with the row claimed: after the lease it is due again.
    OutboxEmail.objects.update(claimed_at=timezone.now() - timedelta(hours=1))
    _token, third = outbox.outbox_claim(limit=10)
    assert [r.pk for r in third] == [first[0].pk]


@pytest.mark.django_db(transaction=True)
def test_two_senders_at_once_send_each_email_once(smtp):
    """Two threads (PostgreSQL: row locks with SKIP LOCKED). On SQLite the same is shown with two
    processes on a file database in test_task_recovery: the in-memory test database fails a
    concurrent write at once ("table is locked") instead of waiting as a file database does."""
    if connection.vendor == "sqlite":
        pytest.skip("two processes on a file database: see test_task_recovery")
    for n in range(12):
        _email(to=f"person{n}@example.org")  # the immediate attempt fails: server stopped
    _pass_time()
    smtp.start()
    errors = []

    def sender():
        try:
            while outbox.outbox_send_due(limit=3)["sent"]:
                pass
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    outbox.outbox_send_all_due()  # whatever a locked database made one sender skip
    assert errors == []
    recipients = [e.rcpt_tos[0] for e in smtp.messages]
    assert sorted(recipients) == sorted(f"person{n}@example.org" for n in range(12))
    assert OutboxEmail.objects.filter(status="sent").count() == 12


def test_password_reset_and_sign_up_with_the_mail_server_down_are_not_errors(client, smtp):
    user = UserFactory(email="owner@example.org")
    response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302
    response = client.post(
        reverse("account_signup"),
        {
            "full_name": "New Comer",
            "email": "newcomer@example.org",
            "password1": "a-long-enough-password-2026",
            "password2": "a-long-enough-password-2026",
        },
    )
    assert response.status_code == 302
    rows = OutboxEmail.objects.order_by("id")
    assert [r.to for r in rows] == [["owner@example.org"], ["newcomer@example.org"]]
    assert all(r.status == "pending" for r in rows)
    assert smtp.messages == []
    smtp.start()
    assert outbox.outbox_send_due()["sent"] == 2
    bodies = {e.rcpt_tos[0]: e.content.decode() for e in smtp.messages}
    assert "/accounts/password/reset/key/" in bodies["owner@example.org"]
    assert "/accounts/confirm-email/" in bodies["newcomer@example.org"]


def test_account_emails_go_through_the_outbox(client, django_capture_on_commit_callbacks):
    UserFactory(email="owner@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "owner@example.org"})
    row = OutboxEmail.objects.get()
    assert row.status == "sent" and row.template == "account/email/password_reset_key"
    assert [m.to for m in mail.outbox] == [["owner@example.org"]]


def test_held_back_emails_are_dropped_only_inside_the_block():
    with outbox.emails_held_back() as held:
        _email()
    assert held.dropped == 1 and not OutboxEmail.objects.exists()
    _email()
    assert OutboxEmail.objects.count() == 1


def test_subjects_carry_no_control_or_bidirectional_characters():
    assert outbox.header_safe("Offer\u202e gpj.exe\r\nBcc: x@example.org") == (
        "Offer gpj.exe Bcc: x@example.org"
    )


def test_links_follow_the_address_the_platform_is_served_on():
    assert served_environment("127.0.0.1", "8791", {})["SITE_URL"] == "http://127.0.0.1:8791"
    assert served_environment("::1", "8791", {})["SITE_URL"] == "http://[::1]:8791"
    explicit = {"SITE_URL": "https://match.wipo.int"}
    assert served_environment("localhost", "80", explicit)["SITE_URL"] == "https://match.wipo.int"


@pytest.mark.parametrize("who", ["anonymous", "member", "facilitator"])
def test_staff_page_of_pending_and_failed_email(client, who):
    _email()
    OutboxEmail.objects.update(status="failed", attempts=8, last_error="SMTPServerDisconnected")
    url = reverse("core:operations")
    if who != "anonymous":
        client.force_login(FacilitatorFactory() if who == "facilitator" else UserFactory())
    response = client.get(url)
    if who == "anonymous":
        assert response.status_code == 302
    elif who == "member":
        assert response.status_code == 403
        assert client.post(url, {"scope": "all-failed"}).status_code == 403
        assert OutboxEmail.objects.get().status == "failed"
    else:
        assert response.status_code == 200
        assert "SMTPServerDisconnected" in response.content.decode()
        row = OutboxEmail.objects.get()
        assert client.post(url, {"emails": [row.pk], "scope": "selected"}).status_code == 302
        row.refresh_from_db()
        assert (row.status, row.attempts) == ("pending", 0)


def test_outbox_imports_neither_mail_nor_tasks():
    """core.mail builds on core.tasks which builds on core.outbox: no cycle."""
    core = Path(__file__).resolve().parent.parent
    for module, forbidden in (("outbox.py", {"mail", "tasks"}), ("tasks.py", {"mail"})):
        tree = ast.parse((core / module).read_text())
        project = [
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom)
            and (node.level or (node.module or "").startswith("wipomatch"))
        ]
        imported = {alias.name for node in project for alias in node.names} | {
            (node.module or "").rsplit(".", 1)[-1] for node in project
        }
        assert not imported & forbidden, module


def test_a_reminder_counts_as_sent_with_its_email_in_the_outbox(smtp):
    """The reminder timestamp and its outbox row are written in one transaction: with the mail
    server down the reminder is not lost, and it is not written twice."""
    org = OrganisationFactory()
    focal = FocalPointFactory(organisation=org).user
    offer = OfferFactory(organisation=org, user=focal, status="published")
    OutboxEmail.objects.all().delete()
    now = offer.expires_at - timedelta(days=5)
    assert listings_send_reminders(now=now)["7"] == 1
    offer.refresh_from_db()
    assert offer.reminded_7_at is not None
    rows = OutboxEmail.objects.filter(template="listing_expiring")
    assert {r.status for r in rows} == {"pending"}
    assert [focal.email] in [r.to for r in rows]
    assert listings_send_reminders(now=now)["7"] == 0
    assert OutboxEmail.objects.filter(template="listing_expiring").count() == len(rows)
    waiting = OutboxEmail.objects.filter(status="pending").count()
    smtp.start()
    _pass_time()
    assert outbox.outbox_send_due()["sent"] == waiting
    assert [focal.email] in [e.rcpt_tos for e in smtp.messages]


def test_staff_see_failed_tasks_and_run_them_again(client):
    from django_tasks_db.models import DBTaskResult

    failed = DBTaskResult.objects.create(
        status="FAILED",
        args_kwargs={"args": [], "kwargs": {}},
        task_path="wipomatch.core.tasks.send_outbox_task",
        backend_name="default",
        run_after=timezone.now(),
        worker_ids=["a", "b", "c"],
        exception_class_path="smtplib.SMTPServerDisconnected",
        traceback="…",
    )
    url = reverse("core:operations")
    client.force_login(UserFactory())
    assert client.post(url, {"scope": "tasks", "tasks": [str(failed.pk)]}).status_code == 403
    client.force_login(FacilitatorFactory())
    page = client.get(url).content.decode()
    assert "smtplib.SMTPServerDisconnected" in page and "send_outbox_task" in page
    response = client.post(url, {"scope": "tasks", "tasks": [str(failed.pk), "not-a-uuid"]})
    assert response.status_code == 302
    failed.refresh_from_db()
    assert (failed.status, failed.worker_ids) == ("READY", [])
