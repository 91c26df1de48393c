"""Tasks survive failures on the Redis queue too (REDIS_URL): real `rqworker` processes.

The same two behaviours as test_task_recovery on the database queue: a task that raises is
retried and then failed; a task whose worker is killed with SIGKILL in the middle is run again
by another worker once its lease (the job timeout) has passed, and completes once.
"""

import os
import signal
import subprocess
import sys
import time

import pytest

from .conftest import ROOT, _enqueue

REDIS_URL = os.environ.get("REDIS_TASKS_TEST_URL", "redis://127.0.0.1:6379/14")


@pytest.fixture
def redis_env(project):
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError:
        if os.environ.get("WIPOMATCH_REQUIRE_REDIS"):
            pytest.fail(f"Redis is not reachable at {REDIS_URL} (required in CI).")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    client.flushdb()
    yield {**project["env"], "REDIS_URL": REDIS_URL}, client
    client.flushdb()


def _worker(env, *extra) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "manage.py",
            "rqworker",
            "default",
            "--job-class",
            "django_tasks_rq.backend.Job",
            *extra,
        ],  # fmt: skip
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the work-horse it forks dies with it
    )


def _job(client, task_id):
    from rq.job import Job

    return Job.fetch(task_id, connection=client)


def test_a_failing_task_is_retried_then_failed(redis_env, tmp_path):
    env, client = redis_env
    recovers = _enqueue(env, f"flaky.enqueue(path={str(tmp_path / 'a.log')!r}, failures=2)")
    gives_up = _enqueue(env, f"flaky.enqueue(path={str(tmp_path / 'b.log')!r}, failures=9)")
    assert _worker(env, "--burst").wait(120) == 0
    assert _job(client, recovers).get_status() == "finished"
    assert (tmp_path / "a.log").read_text().split() == ["attempt"] * 3
    assert _job(client, gives_up).get_status() == "failed"
    assert (tmp_path / "b.log").read_text().split() == ["attempt"] * 3  # TASKS_MAX_ATTEMPTS


def test_a_task_whose_worker_was_killed_runs_again_and_completes_once(redis_env, tmp_path):
    env, client = redis_env
    log = tmp_path / "slow.log"
    task_id = _enqueue(env, f"slow_once.enqueue(path={str(log)!r})")
    first = _worker(env)
    try:
        deadline = time.monotonic() + 60
        while not (log.exists() and "start" in log.read_text()):
            assert time.monotonic() < deadline, "the first worker never started the task"
            time.sleep(0.2)
        os.killpg(first.pid, signal.SIGKILL)  # worker and work-horse: no chance to record
        first.wait(10)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
    assert _job(client, task_id).get_status() == "started"  # and would stay so without a lease

    time.sleep(4)  # the lease (TASKS_LEASE_SECONDS = 2, the job timeout) passes
    assert _worker(env, "--burst").wait(120) == 0  # its start-up maintenance finds the job
    assert log.read_text().split() == ["start", "start", "done"]
    assert _job(client, task_id).get_status() == "finished"
