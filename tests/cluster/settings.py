"""Settings of the app servers and workers that tests/test_cluster.py starts: production settings
(Redis queue, cache and sessions from REDIS_URL) with the fast embedder, and e-mails written as
files so the test can count what was sent."""

import os

from config.settings.prod import *  # noqa: F403

LISTING_EMBEDDER = "hashing"
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["CLUSTER_MAIL_DIR"]
