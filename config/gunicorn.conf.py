"""gunicorn settings for production: `gunicorn -c config/gunicorn.conf.py config.wsgi`.

Every value can be set in the environment (GUNICORN_BIND, GUNICORN_WORKERS, GUNICORN_THREADS,
GUNICORN_TIMEOUT). The application is imported once in the master (`preload_app`), so workers
fork with Django, the templates' code and the models' modules already loaded; then each worker
warms up before it accepts its first connection (`post_worker_init`): it serves the pages that
load the sentence encoder, the search caches of needs and offers, the compiled templates, the
cached filter choices and a database connection, in-process. No visitor waits for a warm-up,
and the first request after a start is as fast as the next (docs/deployment.md).
"""

import os
import time

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
preload_app = True
# A worker restarts after this many requests (with jitter), returning memory fragmentation.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")

# Pages served once per worker before it accepts connections (in-process, never over the network).
WARM_UP_PATHS = ("/healthz", "/en/", "/en/needs/", "/en/offers/", "/en/needs/?q=patent+training")


def post_fork(server, worker):
    # Connections opened in the master while importing must not be shared by the workers.
    from django.db import connections

    connections.close_all()


def post_worker_init(worker):
    """Serve the warm-up pages in this worker; a failure is logged, never fatal."""
    started = time.monotonic()
    try:
        from django.conf import settings
        from django.db import connections
        from django.test import Client

        host = next((h for h in settings.ALLOWED_HOSTS if h and "*" not in h), "localhost")
        client = Client(HTTP_HOST=host.lstrip("."), raise_request_exception=False)
        statuses = [
            client.get(path, secure=True, follow=True).status_code for path in WARM_UP_PATHS
        ]
        connections.close_all()
        worker.log.info(
            "worker %s warmed up in %.1f s (%s)",
            worker.pid,
            time.monotonic() - started,
            " ".join(map(str, statuses)),
        )
    except Exception:  # a cold worker is slower, never broken
        worker.log.exception("warm-up failed; the first requests will load what they need")
