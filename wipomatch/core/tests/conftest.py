"""Real processes on a file database shared by them (the task worker, senders, web clients)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


@pytest.fixture(scope="session")
def project(tmp_path_factory):
    """A migrated file database and the environment the processes share."""
    var = tmp_path_factory.mktemp("var")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "WIPOMATCH_VAR_DIR": str(var),
        "DATABASE_URL": os.environ.get("WORKER_TEST_DATABASE_URL", f"sqlite:///{var}/db.sqlite3"),
        "TASKS_LEASE_SECONDS": "2",
        "TASKS_RETRY_BACKOFF_SECONDS": "0",
        "TASKS_MAX_ATTEMPTS": "3",
    }
    _manage(env, "migrate", "--verbosity", "0")
    return {"env": env, "var": var}


def _manage(env, *args, timeout=180) -> str:
    done = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _shell(env, code: str) -> str:
    return _manage(env, "shell", "--no-imports", "-c", code).strip()


def _enqueue(env, call: str) -> str:
    return _shell(env, f"from wipomatch.core.tests import worker_tasks as t\nprint(t.{call}.id)")


def _status(env, task_id: str) -> str:
    return _shell(
        env,
        "from django_tasks_db.models import DBTaskResult as R\n"
        f"r = R.objects.get(id='{task_id}')\nprint(r.status, len(r.worker_ids))",
    )
