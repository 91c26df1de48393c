"""Test settings: fast hashing, in-memory mail, tasks run immediately."""

from .base import *  # noqa: F403
from .base import STORAGES

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-production-use-0123456789"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# Each test starts with an empty cache of its own and pinned query counts stay about the page;
# the shared database cache is tested across real processes in wipomatch/core/tests.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "f"},
}
# Pages are rendered at every request (tests of the browse cache turn it on).
LISTING_BROWSE_CACHE_SECONDS = 0
# Lexical embeddings keep the suite fast; tests about cross-language meaning pin "use".
LISTING_EMBEDDER = "hashing"
