"""Tasks survive failures: real `db_worker` processes on a file SQLite database.

A task that raises is retried with backoff and then failed; a task whose worker is killed with
SIGKILL in the middle is run again by another worker once its lease expires, and completes once.
"""

import signal
import subprocess
import sys
import time

from .conftest import ROOT, _enqueue, _manage, _shell, _status


def _worker(env, *extra) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0.2",
            *extra,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait_for(predicate, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_a_task_whose_worker_was_killed_runs_again_and_completes_once(project):
    env, log = project["env"], project["var"] / "slow.log"
    task_id = _enqueue(env, f"slow_once.enqueue(path={str(log)!r})")
    first = _worker(env)
    try:
        assert _wait_for(lambda: log.exists() and "start" in log.read_text())
        first.send_signal(signal.SIGKILL)  # no chance to record anything
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
    assert _status(env, task_id) == "RUNNING 1"  # without recovery it would stay so for ever

    time.sleep(2.5)  # the lease (2 s) expires
    assert "requeued': 1" in _manage(env, "run_periodic", "--job", "tasks-recover")
    second = _worker(env, "--batch")
    assert second.wait(60) == 0
    assert log.read_text().split() == ["start", "start", "done"]
    assert _status(env, task_id) == "SUCCESSFUL 2"


def test_a_failing_task_is_retried_then_failed_where_staff_see_it(project):
    env, var = project["env"], project["var"]
    recovers = _enqueue(env, f"flaky.enqueue(path={str(var / 'flaky1.log')!r}, failures=2)")
    gives_up = _enqueue(env, f"flaky.enqueue(path={str(var / 'flaky2.log')!r}, failures=9)")
    worker = _worker(env, "--batch")
    assert worker.wait(120) == 0
    assert _status(env, recovers) == "SUCCESSFUL 3"
    assert _status(env, gives_up) == "FAILED 3"  # TASKS_MAX_ATTEMPTS
    assert (var / "flaky2.log").read_text().split() == ["attempt"] * 3


def test_two_sender_processes_send_each_outbox_email_exactly_once(project):
    """The outbox on a file SQLite database: two processes send at the same time."""
    from aiosmtpd.controller import Controller

    from .test_outbox import Inbox, _free_port

    env = project["env"]
    _shell(
        env,
        "from django.db import transaction\n"
        "from wipomatch.core.models import OutboxEmail\n"
        "from wipomatch.core.outbox import outbox_add\n"
        "OutboxEmail.objects.all().delete()\n"
        "with transaction.atomic():\n"
        "    for n in range(30):\n"
        "        outbox_add(template='membership_removed', to=[f'p{n}@example.org'],"
        " language='en', context={})\n",
    )
    port = _free_port()
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    sender = (
        "from django.conf import settings\n"
        "settings.EMAIL_BACKEND = 'django.core.mail.backends.smtp.EmailBackend'\n"
        f"settings.EMAIL_HOST, settings.EMAIL_PORT = '127.0.0.1', {port}\n"
        "from wipomatch.core.outbox import outbox_send_due\n"
        "total = 0\n"
        "for _ in range(200):\n"
        "    total += outbox_send_due(limit=2)['sent']\n"
        "print(total)\n"
    )
    try:
        processes = [
            subprocess.Popen(  # noqa: S603
                [sys.executable, "manage.py", "shell", "--no-imports", "-c", sender],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        outputs = [p.communicate(timeout=120) for p in processes]
    finally:
        controller.stop()
    assert [p.returncode for p in processes] == [0, 0], outputs
    counts = [int(out.strip().splitlines()[-1]) for out, _err in outputs]
    assert sum(counts) == 30
    recipients = sorted(e.rcpt_tos[0] for e in inbox.messages)
    assert recipients == sorted(f"p{n}@example.org" for n in range(30))
