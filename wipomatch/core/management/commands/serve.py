"""Serve the web application and the task worker together; one Ctrl-C stops both."""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def served_environment(host: str, port: str, environ=None) -> dict[str, str]:
    """The environment of the served processes: links in e-mails point where the platform is
    actually served (`make run PORT=8791` sends links to port 8791), unless SITE_URL is set."""
    env = dict(os.environ if environ is None else environ)
    if not env.get("SITE_URL"):
        shown = f"[{host}]" if ":" in host else host
        env["SITE_URL"] = f"http://{shown}:{port}"
    return env


# The task worker of the configured queue: Redis (REDIS_URL) or the database.
WORKER = (
    ["rqworker", "default", "--with-scheduler", "--job-class", "django_tasks_rq.backend.Job"]
    if settings.REDIS_URL
    else ["db_worker", "--interval", "1", "--no-reload"]
)


class Command(BaseCommand):
    help = "Run the development web server, the task worker and the scheduler together."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")

    def handle(self, *args, **options):
        # A supervisor's SIGTERM stops the children as cleanly as a Ctrl-C would.
        signal.signal(signal.SIGTERM, _interrupt)
        manage = [sys.executable, "manage.py"]
        address = f"{options['host']}:{options['port']}"
        env = served_environment(options["host"], str(options["port"]))
        self.stdout.write(f"Links in e-mails point to {env['SITE_URL']}")
        processes = [
            subprocess.Popen(  # noqa: S603
                [*manage, *WORKER], env=env
            ),
            subprocess.Popen([*manage, "scheduler"], env=env),  # noqa: S603
            subprocess.Popen([*manage, "runserver", "--noreload", address], env=env),  # noqa: S603
        ]
        try:
            # Stop everything as soon as either process ends, so nothing runs half-alive.
            while all(p.poll() is None for p in processes):
                time.sleep(0.5)
        except KeyboardInterrupt:
            self.stdout.write("Stopping the web server and the task worker…")
        finally:
            for p in processes:
                if p.poll() is None:
                    p.send_signal(signal.SIGINT)
            for p in processes:
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
