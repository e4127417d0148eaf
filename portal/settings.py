"""Settings for Web Open API, read from the environment through django-environ.

With nothing set, the portal runs for a newcomer: SQLite, Celery tasks run eagerly and emails
are printed to the console. A real deployment sets DATABASE_URL, REDIS_URL, EMAIL_URL,
SECRET_KEY, DEBUG=off, ALLOWED_HOSTS and SITE_URL (see README.md).
"""

import importlib.util
import os
from pathlib import Path

import environ

from accounts.schedule import CELERY_BEAT_SCHEDULE as ACCOUNTS_BEAT
from billers.schedule import CELERY_BEAT_SCHEDULE as BILLERS_BEAT
from billing.schedule import CELERY_BEAT_SCHEDULE as BILLING_BEAT
from connections.schedule import CELERY_BEAT_SCHEDULE as CONNECTIONS_BEAT
from openapi.schedule import CELERY_BEAT_SCHEDULE as OPENAPI_BEAT
from portal.schedule import CELERY_BEAT_SCHEDULE as PORTAL_BEAT

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)
# A fixed key is only acceptable for local development; production must set SECRET_KEY.
SECRET_KEY = (
    env(
        "SECRET_KEY",
        default="dev-only-insecure-key-do-not-use-in-production-0123456789",
    )
    if DEBUG
    else env("SECRET_KEY")
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Links in emails are built from this, never from the Host header of a request.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
ADMIN_URL = env("ADMIN_URL", default="backoffice/")
# Reverse proxies whose X-Forwarded-For may be believed (the Open API's IP check uses it).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
# The realm of the Open API's HTTP Digest authentication; HA1 values are bound to it.
DIGEST_REALM = env("DIGEST_REALM", default="WebOpenAPI")
# Development callbacks to private/loopback addresses: only for local development and tests;
# anywhere else they would let a partner make this server call its own network.
CALLBACK_ALLOW_PRIVATE_TARGETS = env.bool(
    "CALLBACK_ALLOW_PRIVATE_TARGETS", default=DEBUG
)
# Upstream providers (billers/). Seconds before a pending payment's provider is first asked
# for its final state; later asks back off (doubling, at most PENDING_BACKOFF_MAX_SECONDS)
# until PENDING_STAFF_DEADLINE_HOURS, after which staff decide in the back-office.
PENDING_RESOLVE_SECONDS = env.int("PENDING_RESOLVE_SECONDS", default=5)
PENDING_BACKOFF_MAX_SECONDS = env.int("PENDING_BACKOFF_MAX_SECONDS", default=900)
PENDING_STAFF_DEADLINE_HOURS = env.float("PENDING_STAFF_DEADLINE_HOURS", default=24)
# The deadline of an Open API call, counted from its arrival (at the proxy when one says so:
# X-Request-Start): a little under the usual 30 s client timeout. The upstream gets what is
# left of it; past it a payment answers pending and goes on in the background.
API_DEADLINE_SECONDS = env.float("API_DEADLINE_SECONDS", default=25)
# The provider of a product without a route of its own, routes cached per process, breaker.
BILLERS_DEFAULT_PROVIDER = env("BILLERS_DEFAULT_PROVIDER", default="sim")
BILLERS_ROUTES_TTL = env.float("BILLERS_ROUTES_TTL", default=5)
BILLERS_BREAKER_FAILURES = env.int("BILLERS_BREAKER_FAILURES", default=5)
BILLERS_BREAKER_COOLDOWN = env.int("BILLERS_BREAKER_COOLDOWN", default=30)
# How long a process trusts what it read of a breaker (billers/health.py).
BILLERS_BREAKER_SEEN_SECONDS = env.float("BILLERS_BREAKER_SEEN_SECONDS", default=0.25)
# The Open API's log rows are written by a background thread of each process every that many
# seconds, many rows per statement (PostgreSQL); 0 writes each call's row at once.
API_LOG_FLUSH_SECONDS = env.float("API_LOG_FLUSH_SECONDS", default=0 if DEBUG else 0.2)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "portal",
    "accounts",
    "profiles",
    "connections",
    "docs_content",
    "products",
    "integration",
    "usermgmt",
    "billing",
    "openapi",
    "billers",
]

MIDDLEWARE = [
    # First: numbers, times and logs every answer, https redirects and errors included.
    # Session, login, messages and two-factor are skipped for Open API calls (PortalOnly),
    # which are always answered in Indonesian (LocaleMiddleware).
    "portal.middleware.RequestIdMiddleware",
    # An oversized Open API request line or header: JSON rc 02 (414/431), not HTML.
    "openapi.middleware.ApiRequestLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.middleware.SessionMiddleware",
    "portal.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "portal.middleware.AuthenticationMiddleware",
    "portal.middleware.MessageMiddleware",
    "usermgmt.middleware.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

# django-debug-toolbar while developing: only with DEBUG on and the package installed
# (requirements/dev.txt; production installs requirements/base.txt), for requests from this
# machine. Not under pytest, which turns DEBUG off after the settings are read.
DEBUG_TOOLBAR = (
    DEBUG
    and "PYTEST_VERSION" not in os.environ
    and importlib.util.find_spec("debug_toolbar") is not None
)
if DEBUG_TOOLBAR:
    INSTALLED_APPS.append("debug_toolbar")
    # After the middleware that answers oversized Open API requests before anything else.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("openapi.middleware.ApiRequestLimitMiddleware") + 1,
        "debug_toolbar.middleware.DebugToolbarMiddleware",
    )
    INTERNAL_IPS = ["127.0.0.1", "::1"]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections outside development: opening one per request costs more than many
# of the Open API's queries together. Health checks drop a connection that went away.
DATABASES["default"]["CONN_MAX_AGE"] = env.int(
    "CONN_MAX_AGE", default=0 if DEBUG else 60
)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The same backend, with a health check that needs no round trip (portal/db/postgresql/).
    DATABASES["default"]["ENGINE"] = "portal.db.postgresql"
    # DB_POOL_MAX_SIZE > 0: psycopg's pool (Django's OPTIONS["pool"]), at most that many
    # connections per process, for processes with many requests at once (the Open API's
    # gunicorn, deploy/gunicorn.conf.py): a request holds a connection only while it uses the
    # database, and gives it back while it waits for an upstream (portal.lib.db).
    if pool_size := env.int("DB_POOL_MAX_SIZE", default=0):
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        # The pool's own check costs a round trip per checkout; a connection that broke is
        # dropped by the pool when it comes back.
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": min(2, pool_size),
            "max_size": pool_size,
            # A request waits this long for a free connection before the call fails.
            "timeout": env.float("DB_POOL_TIMEOUT", default=10),
        }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # `make run` serves concurrent API calls from threads: WAL lets reads go on during a
    # write, IMMEDIATE takes the write lock when a transaction begins (a deferred one that
    # later writes fails at once with "database is locked" instead of waiting), and writers
    # wait up to the timeout (seconds) for each other.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["accounts.backends.PhoneOrUsernameBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"
# Django's validators with the manual's word "Password" in their messages (accounts/).
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "accounts.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "name", "email", "phone")},
    },
    {
        "NAME": "accounts.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "accounts.password_validation.CommonPasswordValidator"},
    {"NAME": "accounts.password_validation.NumericPasswordValidator"},
]
# Password-reset links live 60 minutes; activation links 24 hours (accounts.tokens).
PASSWORD_RESET_TIMEOUT = 60 * 60
ACTIVATION_TIMEOUT = 24 * 60 * 60
LOGIN_FAILURE_LIMIT = 5
LOGIN_LOCK_SECONDS = 15 * 60

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Uploaded documents live outside the static and media URL space; they are only ever served by
# views that check who is asking.
PRIVATE_STORAGE_ROOT = env.path(
    "PRIVATE_STORAGE_ROOT", default=BASE_DIR / "var" / "private"
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: console when nothing is set; EMAIL_URL such as smtp+tls://user:pass@host:587 otherwise.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", default="Web Open API <no-reply@webopenapi.id>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = 20

# Celery: eager when no broker is configured, so `make run` needs nothing else running.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
# A pool child killed mid-task (the OOM killer, SIGKILL) gives its task back to the queue at
# once rather than acknowledging it as failed; a whole worker killed leaves its task
# unacknowledged in Redis, back in the queue after the broker's visibility timeout (kombu's
# default 3600 s, kept: a task waiting for its countdown is unacknowledged too, and a shorter
# timeout would hand it to a second worker meanwhile). Every task reloads its rows and makes
# a state final under the row lock, so running it again is safe; the periodic sweeps
# (pending transactions, lost callbacks) usually get there first.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The worker and beat log through LOGGING below (portal.logging.celery_logging_connect).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Periodic tasks: run by exactly one `celery beat` process for the whole deployment.
CELERY_BEAT_SCHEDULE = {
    **ACCOUNTS_BEAT,
    **BILLERS_BEAT,
    **BILLING_BEAT,
    **CONNECTIONS_BEAT,
    **OPENAPI_BEAT,
    **PORTAL_BEAT,
}
CELERY_BEAT_SCHEDULE_FILENAME = env(
    "CELERY_BEAT_SCHEDULE_FILENAME",
    default=str(BASE_DIR / "var" / "celerybeat-schedule"),
)

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }

# Production defaults are the safe ones. `make serve` on http://127.0.0.1:8000 ("local
# production", see README) turns the https-only ones off through these variables.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_HTTPONLY = False
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = env.bool("LANGUAGE_COOKIE_SECURE", default=not DEBUG)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy on every answer (django-csp): scripts only from our own static
# files, never inline (portal/tests/test_csp.py keeps the templates free of them). A few
# templates still set widths with style="" attributes: those are let in, <style> blocks and
# styles from elsewhere are not. The back-office (Django admin) needs no exception: it has
# no inline script either.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-elem": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Load-balancer probes may speak plain http to the process.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if not DEBUG:
    # The TLS-terminating proxy in front says so in this header (and must overwrite it).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# One line per event, each with the id of its request or task and secrets masked
# (portal/logging.py): JSON lines in production, readable text while developing.
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOG_FORMAT = env("LOG_FORMAT", default="text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "portal.logging.RequestIdFilter"},
        "redact": {"()": "portal.logging.RedactFilter"},
        "digest_handshake": {"()": "openapi.log_filters.DigestHandshakeFilter"},
    },
    "formatters": {
        "json": {"()": "portal.logging.JsonFormatter"},
        "text": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id", "redact"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own handlers are replaced by ours; runserver's access lines give way to
        # portal.access (its warnings and errors still show).
        "django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        "django.server": {"handlers": [], "level": "WARNING", "propagate": True},
        # The Digest handshake's 401s are not warnings (portal.access has each call).
        "django.request": {"filters": ["digest_handshake"], "propagate": True},
        # urllib3 (the upstream adapters) logs each new connection; billers logs what counts.
        "urllib3": {"level": "WARNING", "propagate": True},
    },
}
