"""Settings shared by every environment. Environment-specific files import from here."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

# One request or task per thread: BLAS thread pools would only fight over the cores when the
# multilingual encoder embeds a text. Set here, before any app imports numpy.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("WIPOMATCH_VAR_DIR", BASE_DIR / "var"))

SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS: list[str] = []

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "wipomatch.core",
    "wipomatch.reference",
    "wipomatch.members",
    "wipomatch.listings",
    "wipomatch.tagging",
    "wipomatch.matching",
    "wipomatch.brokering",
    "wipomatch.messaging",
    "wipomatch.cooperation",
    "wipomatch.stories",
    "wipomatch.insights",
    "wipomatch.api",
    "wipomatch.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "wipomatch.core.middleware.StaffTwoFactorMiddleware",
    "wipomatch.core.middleware.NumberTooLargeMiddleware",
    "csp.middleware.CSPMiddleware",
    "wipomatch.core.middleware.PermissionsPolicyMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "wipomatch" / "web" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wipomatch.web.context_processors.site",
                "wipomatch.messaging.context_processors.notifications",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'wipomatch.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the task worker writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA mmap_size=268435456;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

# One cache shared by every process (web workers, task worker): API throttles and the sign-in
# lockout count in it, so a limit is one limit however many processes serve. The database cache
# by default (its table is created by `manage.py prepare` and after every `migrate`), Redis when
# REDIS_URL is set.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "wipomatch_cache",
        }
    }
# Rendered fragments (FRAGMENT_CACHE: the results of the browse pages, keyed by the catalogue's
# version) are kept in each process's memory, or shared by every app server in Redis. With Redis,
# sessions are read from it too (cached_db: written to the database as well, so a Redis restart
# signs nobody out). docs/deployment.md.
FRAGMENT_CACHE = "fragments"
if REDIS_URL:
    CACHES[FRAGMENT_CACHE] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "fragments",
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES[FRAGMENT_CACHE] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "wipomatch-fragments",
        "OPTIONS": {"MAX_ENTRIES": 500},  # about 50 KB each: at most ~25 MB per process
    }
# Seconds a rendered browse result and the browse form's choices (per language) are reused. A
# change of the catalogue shows at once (it changes the key); what does not move a listing's
# updated_at (an organisation renamed, a listing passing its expiry date before the expiry job
# runs) shows within this delay. 0 turns both caches off.
LISTING_BROWSE_CACHE_SECONDS = int(os.environ.get("LISTING_BROWSE_CACHE_SECONDS", "60"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "members.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# --- Internationalisation: the six UN languages -------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("ar", _("Arabic")),
    ("zh-hans", _("Chinese")),
    ("en", _("English")),
    ("fr", _("French")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files: vendored, served by WhiteNoise; nothing from a CDN ----------------------
STATIC_URL = "/static/"
# WhiteNoise serves hashed file names (CompressedManifestStaticFilesStorage) as immutable, cached
# for ten years; this is the lifetime of the few files without a hash.
WHITENOISE_MAX_AGE = 3600
FORMAT_MODULE_PATH = ["config.formats"]
STATIC_ROOT = VAR_DIR / "static"
# Uploaded story images (re-encoded on upload; public) and files the platform writes (insights
# charts and reports, served through views that check rights). Django serves them only with DEBUG.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("WIPOMATCH_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Accounts (django-allauth) -------------------------------------------------------------
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "web:dashboard"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "wipomatch.members.signup.SignupNameForm"  # asks for the person's name
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# Someone who registers from an invitation link lands back on it once the address is confirmed.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_ADAPTER = "wipomatch.members.adapters.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[WIPO Match] "
# Failed sign-ins: limits are checked in order and a refused attempt stops at the first, so one
# address (at most 10 per 15 minutes, 40 an hour) can never reach the per-account limit (60 an
# hour): a flood of wrong passwords from one address does not lock the owner out elsewhere.
# (allauth's default, 10/m/ip then 5/5m/key, lets any one address lock any account.)
ACCOUNT_RATE_LIMITS = {"login_failed": "10/15m/ip,60/h/key"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "WIPO Match"

DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "WIPO Match <no-reply@wipomatch.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The e-mail outbox (wipomatch.core.outbox): a refused e-mail is retried after
# OUTBOX_BACKOFF_SECONDS × 2^(attempts-1), at most OUTBOX_BACKOFF_MAX_SECONDS apart, and is
# failed (shown to staff) after OUTBOX_MAX_ATTEMPTS; a sender that died mid-batch gives its rows
# back after OUTBOX_CLAIM_LEASE_SECONDS; one run sends OUTBOX_BATCH_SIZE e-mails per connection.
OUTBOX_MAX_ATTEMPTS = 8
OUTBOX_BACKOFF_SECONDS = 60
OUTBOX_BACKOFF_MAX_SECONDS = 6 * 3600
OUTBOX_CLAIM_LEASE_SECONDS = 600
OUTBOX_BATCH_SIZE = 50
# Seconds to wait for the mail server before the attempt counts as failed.
EMAIL_TIMEOUT = 20

# --- Background work (Django's Tasks API on the database backend) --------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# wipomatch.core.task_recovery: a task that raises runs again after
# TASKS_RETRY_BACKOFF_SECONDS × 2^(attempts-1) (at most TASKS_RETRY_BACKOFF_MAX_SECONDS) until it
# has been attempted TASKS_MAX_ATTEMPTS times; a task RUNNING longer than TASKS_LEASE_SECONDS has
# lost its worker and is run again by the periodic "tasks-recover" job (far above the longest task).
TASKS_MAX_ATTEMPTS = int(os.environ.get("TASKS_MAX_ATTEMPTS", "5"))
TASKS_RETRY_BACKOFF_SECONDS = int(os.environ.get("TASKS_RETRY_BACKOFF_SECONDS", "30"))
TASKS_RETRY_BACKOFF_MAX_SECONDS = 3600
TASKS_LEASE_SECONDS = int(os.environ.get("TASKS_LEASE_SECONDS", "1800"))
# With REDIS_URL, tasks go to a Redis queue (django-tasks-rq) served by `manage.py rqworker
# default` on any number of machines; without it, the database queue and `manage.py db_worker`.
# The retries and leases above apply to both: on Redis the job timeout is the lease (RQ treats a
# job past it as abandoned) and `core.rq_queue.RetryingQueue` gives every job the same retries
# and backoff; workers run with --with-scheduler for delayed retries. docs/deployment.md.
if REDIS_URL:
    INSTALLED_APPS += ["django_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {
        "default": {
            "URL": REDIS_URL,
            "DEFAULT_TIMEOUT": TASKS_LEASE_SECONDS,
            "QUEUE_CLASS": "wipomatch.core.rq_queue.RetryingQueue",
        }
    }

# --- Content-Security-Policy (django-csp) and Permissions-Policy ---------------------------
# Everything comes from this site: no inline script or style (JavaScript lives in static files),
# no plug-ins, no framing; images may be data: URIs (Bootstrap's form controls).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Browser features the platform never uses are switched off for every page.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), browsing-topics=()"
)

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: a client without valid credentials then gets 401 with `WWW-Authenticate:
    # Token` (with Session first, DRF answers 403 and no challenge). Both are accepted.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "wipomatch.api.authentication.TwoFactorAwareTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "wipomatch.api.pagination.StandardPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {"anon": "120/minute", "user": "600/minute"},
    "EXCEPTION_HANDLER": "wipomatch.api.errors.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "wipomatch.api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}
# Deepest nesting of a JSON request body the API parses (bodies of this API nest 3 levels).
API_JSON_MAX_DEPTH = 32
SPECTACULAR_SETTINGS = {
    "TITLE": "WIPO Match API",
    "DESCRIPTION": "Open API of WIPO Match: reference data, member organisations and more.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "ModalityEnum": "wipomatch.cooperation.models.Modality.choices",
        # Listings keep their name now that initiatives also have a `status` (IATI codes).
        "StatusEnum": "wipomatch.listings.models.Status.choices",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "wipomatch.api.schema.optional_detail_fields",
    ],
}

# --- Platform --------------------------------------------------------------------------------
# Every tunable the code reads is declared here, with its default; code reads `settings.X`.
SITE_NAME = "WIPO Match"
# Published on the contact, privacy and help pages.
PLATFORM_CONTACT_EMAIL = os.environ.get("PLATFORM_CONTACT_EMAIL", "wipomatch@wipo.int")
# Where the platform is served, for links in e-mails. `manage.py serve --host H --port P` (and so
# `make run PORT=P`) sets it for its processes unless the environment already does.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# Matching engine parameters over the engine's defaults (`EngineConfig.from_dict`, which rejects
# unknown keys): weights, thresholds, index sizes. See docs/matching.md. delivery_language: offers
# that cannot be delivered in a language the seeker asked for are "demote"d below the others,
# "filter"ed out, or "ignore"d.
MATCHING: dict = {"delivery_language": "demote"}
# Suggestions kept per listing, and the rank up to which a new pair counts as strong (from which
# `strong_suggestion_found` is sent for brokering).
MATCHING_SUGGESTIONS_PER_LISTING = 20
MATCHING_STRONG_RANK = 3
# Embedder of listings for search and matching: "use" (multilingual Universal Sentence Encoder,
# the cross-language signal) or "hashing" (feature hashing: no model, lexical only; tests).
LISTING_EMBEDDER = "use"
# How long a published or renewed listing runs before it expires, in days.
LISTING_VALIDITY_DAYS = 365
# Text search of needs and offers (docs/listings-speed.md): weighted sum of the cosine (about
# 0.3-0.5 for a relevant listing in any language, below 0.15 for an unrelated one) and the
# normalised BM25 (0.45 when every query word occurs once in a listing of average length);
# listings below `min_relevance` are not results. Rows changed `refresh_margin_seconds` before
# the newest known change are re-read when the search cache refreshes, so that a transaction
# that committed late (older updated_at) is not missed (docs/index-freshness.md).
LISTING_SEARCH = {
    "semantic_weight": 1.0,
    "lexical_weight": 0.5,
    "min_relevance": 0.2,
    "refresh_margin_seconds": 60,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
