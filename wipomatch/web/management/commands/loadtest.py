"""`manage.py loadtest`: serve the platform with gunicorn and production settings on this
database, drive it with concurrent users over loopback, print requests/s and p50/p95/p99 per page
beside /healthz from the same run (docs/deployment.md has figures)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from django.utils.module_loading import import_string

from wipomatch.listings.models import Kind, Listing, Status
from wipomatch.members.demo import CONTRIBUTOR_EMAIL
from wipomatch.members.models import User
from wipomatch.reference.models import VocabularyTerm
from wipomatch.web.loadtest import Page, report_lines, run_load

MAX_DURATION = 3600
MAX_USERS = 200


def _sample(kind: str, n: int = 50) -> list[int]:
    published = Listing.objects.filter(kind=kind, status=Status.PUBLISHED).order_by("-pk")
    return list(published.values_list("pk", flat=True)[:n])


def build_mix(*, browse_only: bool = False) -> list[Page]:
    """The pages of the run with their weights (a visitor mostly browses, searches and reads)."""
    needs, offers = _sample(Kind.NEED), _sample(Kind.OFFER)
    if not needs or not offers:
        raise CommandError("No published needs or offers: seed the database first (README).")
    themes = list(
        VocabularyTerm.objects.filter(kind=VocabularyTerm.Kind.THEME).values_list("slug", flat=True)
    )[:5]
    countries = list(
        Listing.objects.filter(kind=Kind.OFFER, status=Status.PUBLISHED)
        .values("organisation__country")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("organisation__country", flat=True)[:5]
    ) or ["KE"]
    queries = ("training+patent+examiners", "formation+brevets", "copyright+collective+management")
    browse = [
        Page(
            "needs browse",
            ("/{lang}/needs/", "/{lang}/needs/?page=2", "/{lang}/needs/?sort=expiring"),
            15,
        ),
        Page("needs search", tuple(f"/{{lang}}/needs/?q={q}" for q in queries), 15),
        Page(
            "offers theme + country",
            tuple(f"/{{lang}}/offers/?theme={t}&country={c}" for t in themes for c in countries),
            10,
        ),
        Page("offers browse", ("/{lang}/offers/", "/{lang}/offers/?ldc=1"), 10),
    ]
    if browse_only:
        return [*browse, Page("/healthz", ("/healthz",), 5)]
    signed_in = [
        Page("dashboard (signed in)", ("/{lang}/dashboard/",), 5, signed_in=True),
        Page("my listings (signed in)", ("/{lang}/listings/mine/",), 3, signed_in=True),
        Page(
            "need detail (signed in)",
            tuple(f"/{{lang}}/needs/{pk}/" for pk in needs[:20]),
            3,
            signed_in=True,
        ),
    ]
    return [
        Page("home", ("/{lang}/",), 10),
        *browse,
        Page("need detail", tuple(f"/{{lang}}/needs/{pk}/" for pk in needs), 10),
        Page("offer detail", tuple(f"/{{lang}}/offers/{pk}/" for pk in offers), 8),
        *signed_in,
        Page(
            "API needs search",
            tuple(f"/api/v1/needs/?q={q}" for q in queries) + ("/api/v1/offers/",),
            3,
        ),
        Page("API need detail", tuple(f"/api/v1/needs/{pk}/" for pk in needs[:20]), 3),
        Page("/healthz", ("/healthz",), 5),
    ]


def member_session_cookie() -> str:
    """A session of the demo contributor, created as a sign-in would (no password sent)."""
    user = User.objects.filter(email=CONTRIBUTOR_EMAIL).first()
    if user is None:
        return ""
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


class Command(BaseCommand):
    help = (
        "Start gunicorn with production settings on this database (DATABASE_URL or the SQLite "
        "file), drive it with concurrent users over loopback for a given time, and print "
        "requests/s and p50/p95/p99 per page beside /healthz."
    )

    def add_arguments(self, parser):
        parser.add_argument("--duration", type=float, default=30, help="Seconds of load.")
        parser.add_argument("--users", type=int, default=8, help="Concurrent users.")
        parser.add_argument(
            "--signed-in", type=int, default=None, help="How many of them are signed in (1/4)."
        )
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers.")
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument(
            "--max-requests", type=int, default=2_000_000, help="Stop after this many requests."
        )
        parser.add_argument(
            "--browse-only", action="store_true", help="Only the browse and search pages."
        )
        parser.add_argument(
            "--no-server",
            action="store_true",
            help="Drive a server already listening on 127.0.0.1:--port instead of starting one.",
        )
        parser.add_argument("--seed", type=int, default=0, help="Random seed of the mix.")

    def handle(self, *args, **o):
        if not 0 < o["duration"] <= MAX_DURATION or not 0 < o["users"] <= MAX_USERS:
            raise CommandError(
                f"--duration in (0, {MAX_DURATION}] and --users in (0, {MAX_USERS}]."
            )
        signed_in = o["users"] // 4 if o["signed_in"] is None else o["signed_in"]
        pages = build_mix(browse_only=o["browse_only"])
        cookie = member_session_cookie() if signed_in and not o["browse_only"] else ""
        server = None if o["no_server"] else self._start_server(o["port"], o["workers"])
        try:
            self.stdout.write(
                f"Driving 127.0.0.1:{o['port']} with {o['users']} users "
                f"({signed_in if cookie else 0} signed in) for {o['duration']:.0f} s…"
            )
            stats = run_load(
                host="127.0.0.1",
                port=o["port"],
                pages=pages,
                users=o["users"],
                signed_in_users=signed_in if cookie else 0,
                cookie=cookie,
                duration=o["duration"],
                max_requests=o["max_requests"],
                seed=o["seed"],
            )
        finally:
            if server is not None:
                server.send_signal(signal.SIGTERM)
                try:
                    server.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    server.kill()
        database = settings.DATABASES["default"]
        self.stdout.write(
            f"database: {database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}; "
            f"{o['workers']} gunicorn workers; {stats.total} requests in {stats.seconds:.1f} s"
        )
        for line in report_lines(stats, pages):
            self.stdout.write(line)
        if stats.total_errors:
            raise CommandError(f"{stats.total_errors} requests failed.")

    def _start_server(self, port: int, workers: int) -> subprocess.Popen:
        root = Path(settings.BASE_DIR)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.prod",
            # the signed-in session this command creates is bound to this key
            "SECRET_KEY": settings.SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": str(workers),
            "GUNICORN_LOGLEVEL": "warning",
        }
        if "DATABASE_URL" not in env:
            name = settings.DATABASES["default"]["NAME"]
            env["DATABASE_URL"] = f"sqlite:///{name}"
        static = Path(settings.STATIC_ROOT)
        if not (static / "staticfiles.json").exists():
            subprocess.run(
                [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                cwd=root,
                env=env,
                check=True,
            )
        command = [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi"]
        server = subprocess.Popen(command, cwd=root, env=env)  # noqa: S603 (fixed argv)
        url = f"http://127.0.0.1:{port}/healthz"
        started = time.monotonic()
        while time.monotonic() - started < 120:
            if server.poll() is not None:
                raise CommandError("gunicorn exited; see its messages above.")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        else:
            server.kill()
            raise CommandError("gunicorn did not answer /healthz within 120 s.")
        self.stdout.write(
            f"gunicorn ready in {time.monotonic() - started:.1f} s (warm-up included)."
        )
        self._first_requests(port)
        return server

    def _first_requests(self, port: int) -> None:
        """The first requests after a start against the next ones: no visitor waits for a
        warm-up (each worker loads models and caches before it accepts a connection)."""
        for path in ("/en/needs/?q=training+examiners", "/fr/offers/?ldc=1", "/en/"):
            times = []
            for _ in range(3):
                started = time.perf_counter()
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as r:
                    r.read()
                times.append((time.perf_counter() - started) * 1000)
            self.stdout.write(
                f"first requests after the start, {path}: "
                + ", ".join(f"{t:.0f} ms" for t in times)
            )
