"""Tasks run by a real `db_worker` subprocess in test_task_recovery (side effects in a file)."""

import time
from pathlib import Path

from django_tasks import task


def _log(path: str, line: str) -> list[str]:
    with Path(path).open("a") as f:
        f.write(line + "\n")
    return Path(path).read_text().split()


@task()
def slow_once(*, path: str) -> str:
    """The first attempt hangs (long enough to be killed); a later one finishes at once."""
    starts = [line for line in _log(path, "start") if line == "start"]
    if len(starts) == 1:
        time.sleep(120)
    _log(path, "done")
    return "done"


@task()
def flaky(*, path: str, failures: int) -> str:
    """Raises on its first `failures` attempts, then succeeds."""
    attempts = len(_log(path, "attempt"))
    if attempts <= failures:
        raise RuntimeError(f"attempt {attempts} fails")
    return f"succeeded on attempt {attempts}"
