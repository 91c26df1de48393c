"""Several app servers and workers share one PostgreSQL and one Redis (docs/deployment.md).

Two gunicorn servers and two RQ workers run against the test database and Redis: a listing
published through one server is in the other's search at its next request (the documented
delay: none beyond the request), its suggestions are computed once, and no e-mail is sent
twice although both workers send the outbox at the same time.

Needs PostgreSQL (DATABASE_URL) and Redis (REDIS_TEST_URL, default redis://127.0.0.1:6379/15).
Outside CI it is skipped when either is missing; `.ci/run` starts Redis and sets
WIPOMATCH_REQUIRE_REDIS=1, so there a missing Redis is a failure.
"""

import email
import email.policy
import http.client
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from wipomatch.core.models import OutboxEmail
from wipomatch.listings.models import Listing, Status
from wipomatch.listings.tests.factories import NeedFactory, OfferFactory
from wipomatch.matching.models import Suggestion
from wipomatch.members.models import Membership
from wipomatch.members.tests.factories import FacilitatorFactory, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(settings.BASE_DIR)
REDIS_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")
# How long a change may take to show in the other server's search (docs/deployment.md: at its
# next request; the margin is for the test machine).
SEARCH_DELAY_SECONDS = 5
TASKS_SECONDS = 120


def _redis_or_skip():
    import redis

    try:
        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
        client.ping()
    except redis.RedisError:
        if os.environ.get("WIPOMATCH_REQUIRE_REDIS"):
            pytest.fail(f"Redis is not reachable at {REDIS_URL} (required in CI).")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    return client


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db["HOST"] or "127.0.0.1"
    return f"postgres://{db['USER']}{password}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


class Cluster:
    def __init__(self, mail_dir: Path):
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.cluster.settings",
            "PYTHONPATH": str(ROOT),
            "DATABASE_URL": _database_url(),
            "REDIS_URL": REDIS_URL,
            "SECRET_KEY": settings.SECRET_KEY,  # the sessions this test creates are signed with it
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "CLUSTER_MAIL_DIR": str(mail_dir),
            "GUNICORN_WORKERS": "1",
            "GUNICORN_LOGLEVEL": "warning",
        }
        self.processes: list[subprocess.Popen] = []
        self.ports: list[int] = []

    def start(self, servers: int = 2, workers: int = 2) -> None:
        # Production settings serve static files from the manifest that `collectstatic` writes,
        # as a deployment does before starting its servers (docs/deployment.md); a clean
        # checkout has none, and every page would answer 500.
        subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=self.env,
            check=True,
            timeout=300,
        )
        for _ in range(servers):
            port = _free_port()
            self.ports.append(port)
            self._spawn(
                [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi"],
                GUNICORN_BIND=f"127.0.0.1:{port}",
            )
        for n in range(workers):
            self._spawn(
                [
                    sys.executable,
                    "manage.py",
                    "rqworker",
                    "default",
                    "--with-scheduler",
                    "--name",
                    f"cluster-{n}",
                    "--job-class",
                    "django_tasks_rq.backend.Job",
                ]  # fmt: skip
            )
        for port in self.ports:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                try:
                    if self.get(port, "/healthz")[0] == 200:
                        break
                except OSError:
                    time.sleep(0.3)
            else:
                pytest.fail(f"app server on {port} did not start")

    def _spawn(self, argv, **extra) -> None:
        self.processes.append(
            subprocess.Popen(argv, cwd=ROOT, env={**self.env, **extra})  # noqa: S603
        )

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()

    @staticmethod
    def request(port, method, path, *, cookie="", body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        all_headers = {"Cookie": cookie, **(headers or {})}
        conn.request(method, path, body=body, headers=all_headers)
        response = conn.getresponse()
        content = response.read().decode()
        cookies = response.headers.get_all("Set-Cookie") or []
        conn.close()
        return response.status, content, cookies

    def get(self, port, path, cookie=""):
        status, content, _ = self.request(port, "GET", path, cookie=cookie)
        return status, content


def _session_cookie(user) -> str:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def _queue_idle(redis_client, seconds: float) -> None:
    import django_rq  # noqa: F401  (the queue's keys)
    from rq import Queue
    from rq.registry import StartedJobRegistry

    queue = Queue("default", connection=redis_client)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if queue.count == 0 and StartedJobRegistry(queue=queue).count == 0:
            return
        time.sleep(0.5)
    pytest.fail("the task queue did not empty in time")


def _finished_jobs(redis_client) -> list:
    from rq import Queue
    from rq.job import Job
    from rq.registry import FailedJobRegistry, FinishedJobRegistry

    queue = Queue("default", connection=redis_client)
    assert FailedJobRegistry(queue=queue).count == 0
    ids = FinishedJobRegistry(queue=queue).get_job_ids()
    return [job for job in Job.fetch_many(ids, connection=redis_client) if job is not None]


def test_two_servers_and_two_workers_share_postgresql_and_redis(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: run with DATABASE_URL=postgres://…")
    redis_client = _redis_or_skip()
    redis_client.flushdb()
    call_command("load_reference", verbosity=0)  # a transactional test starts from empty tables

    facilitator = FacilitatorFactory()
    assert Authenticator.objects.filter(user=facilitator).exists()  # staff need 2FA
    owner = MembershipFactory(role=Membership.Role.FOCAL_POINT)
    for n in range(4):
        OfferFactory(status=Status.PUBLISHED, facilitator=facilitator, title=f"Offer {n} quokka")
    need = NeedFactory(
        organisation=owner.organisation,
        user=owner.user,
        status=Status.SUBMITTED,
        title="Training quokka patent examiners",
    )

    before = OutboxEmail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    cluster = Cluster(tmp_path / "mail")
    try:
        cluster.start()
        a, b = cluster.ports
        status, page = cluster.get(b, "/en/needs/")
        assert status == 200 and "Training quokka patent examiners" not in page

        # the facilitator publishes the need through server A (a form post with its CSRF token)
        cookie = _session_cookie(facilitator)
        review = f"/en/listings/{need.pk}/review/"
        status, form, set_cookies = cluster.request(a, "GET", review, cookie=cookie)
        assert status == 200, form[:500]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        csrf = next(c.split(";")[0] for c in set_cookies if c.startswith("csrftoken="))
        status, _body, _ = cluster.request(
            a,
            "POST",
            review,
            cookie=f"{cookie}; {csrf}",
            body=urlencode({"csrfmiddlewaretoken": token, "decision": "publish"}),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert status == 302
        published_at = time.monotonic()
        assert Listing.objects.get(pk=need.pk).status == Status.PUBLISHED

        # server B shows it within the documented delay
        while True:
            assert "Training quokka patent examiners" in cluster.get(b, "/en/needs/")[1] or (
                time.monotonic() - published_at < SEARCH_DELAY_SECONDS
            )
            if "Training quokka patent examiners" in cluster.get(b, "/en/needs/")[1]:
                break
            time.sleep(0.2)

        # both workers send the outbox at once: 30 e-mails, each sent once
        for n in range(30):
            OutboxEmail.objects.create(
                template="test", language="en", from_email="x@example.org",
                to=[f"person{n}@example.org"], subject=f"Message {n}", body="Hello",
                next_attempt_at=timezone.now(),
            )  # fmt: skip
        enqueue = (
            "from wipomatch.core.tasks import send_outbox_task as t\nfor _ in range(6): t.enqueue()"
        )
        subprocess.run(  # noqa: S603  (six senders on the cluster's queue, from a third process)
            [sys.executable, "manage.py", "shell", "-c", enqueue],
            cwd=ROOT,
            env=cluster.env,
            check=True,
            timeout=120,
        )
        _queue_idle(redis_client, TASKS_SECONDS)
    finally:
        cluster.stop()

    # suggestions of the published need: computed once (one refresh job for it ran, on one
    # of the workers, and wrote one row per offer)
    refreshes = [
        job
        for job in _finished_jobs(redis_client)
        if job.func_name.endswith("refresh_suggestions")
        and (job.kwargs.get("listing_id") == need.pk or job.args == [need.pk])
    ]
    assert len(refreshes) == 1
    rows = list(Suggestion.objects.filter(need=need).values_list("offer_id", flat=True))
    assert rows, "no suggestions were computed for the published need"
    assert len(set(rows)) == len(rows)

    # no e-mail sent twice: every outbox row sent, one file each
    assert not OutboxEmail.objects.exclude(status=OutboxEmail.Status.SENT).exists()
    sent = []
    for path in (tmp_path / "mail").glob("*"):  # one file per connection, messages separated
        for chunk in path.read_text().split("-" * 79):
            if chunk.strip():
                message = email.message_from_string(chunk.strip(), policy=email.policy.default)
                sent.append((str(message["To"]), str(message["Subject"])))
    # (what the test process itself sent before, through its in-memory backend, is left out)
    rows = [(", ".join(r.to), r.subject) for r in OutboxEmail.objects.filter(pk__gt=before)]
    assert len(sent) == len(set(sent)) == len(rows)
    assert sorted(sent) == sorted(rows)
