"""Django settings, read from the environment.

Every variable is listed in the README. With nothing set, Strategise refuses to start
unless ``DJANGO_DEBUG`` is on: a production instance must choose its own secret key.
"""

from __future__ import annotations

import ipaddress
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from whitenoise.compress import Compressor

from strategise.audit.sealing import DEVELOPMENT_KEY as DEVELOPMENT_AUDIT_KEY
from strategise.integrations.encryption import DEVELOPMENT_KEY as DEVELOPMENT_FIELD_KEY


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false (1/0, yes/no, on/off), not {value!r}")


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0:
        raise ImproperlyConfigured(f"{name} must be a whole number, 0 or more, not {value!r}")
    return number


def _env_positive_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise ImproperlyConfigured(f"{name} must be a whole number above 0, not {value!r}")
    return number


def _env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def _env_addresses(name: str, default: list[str]) -> list[str]:
    addresses = _env_list(name, default)
    for address in addresses:
        try:
            ipaddress.ip_address(address)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} must be IP addresses separated by commas, and {address!r} is not one"
            ) from None
    return addresses


DEBUG = _env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random value, or set "
            "DJANGO_DEBUG=1 to run locally with a development key."
        )
    SECRET_KEY = "django-insecure-development-only-never-use-in-production"  # noqa: S105

# Seals the audit log's chains (docs/audit.md). Never stored in the database; without
# DJANGO_DEBUG a system check refuses to start without it.
STRATEGISE_AUDIT_KEY = os.environ.get("STRATEGISE_AUDIT_KEY", "") or (
    DEVELOPMENT_AUDIT_KEY if DEBUG else ""
)

# Encrypts the secrets Strategise must use again (webhook endpoints'), kept outside the
# database: Fernet keys separated by commas, the first encrypting (docs/deploy.md). Without
# DJANGO_DEBUG and without a key, a system check warns, no endpoint can be added and no
# webhook is sent; a key that is not a Fernet key, or the development key, stops the start.
STRATEGISE_FIELD_KEY = _env_list("STRATEGISE_FIELD_KEY", [DEVELOPMENT_FIELD_KEY] if DEBUG else [])

# Webhook endpoints on loopback, private, link-local and other internal addresses (and
# plain http:// to loopback) are refused unless this is on: for the test suite's receiver
# on this machine, never on a real instance (docs/webhooks.md).
STRATEGISE_WEBHOOKS_ALLOW_PRIVATE = _env_bool("STRATEGISE_WEBHOOKS_ALLOW_PRIVATE", False)

ALLOWED_HOSTS = _env_list(
    "DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = _env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "strategise.web",
    # The REST API's framework: its Swagger UI files are served as the site's static files.
    "ninja",
    "strategise.organisations",
    "strategise.cases",
    "strategise.requests",
    "strategise.discussions",
    "strategise.actions",
    "strategise.audit",
    "strategise.minutes",
    "strategise.clocks",
    "strategise.reports",
    "strategise.notifications",
    "strategise.disagreements",
    "strategise.network",
    "strategise.integrations",
    "strategise.oversight",
    "strategise.operations",
    # Demo data (`manage.py demo`), refused unless DJANGO_DEBUG is on.
    "strategise.demo",
    # Background tasks (reminders, alerts, digests, emails) stored in the database.
    "django_tasks_db",
    # A second factor for every account: an authenticator app (TOTP) and recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Lockout after repeated failed sign-ins (by username and by address).
    "axes",
]

AUTH_USER_MODEL = "organisations.User"
LOGIN_URL = "web:sign-in"
LOGIN_REDIRECT_URL = "web:my-work"
LOGOUT_REDIRECT_URL = "web:start"

# Axes refuses a locked-out username or address before the password is checked. Then
# Django's model backend, which on each request reads the user with their agency and its
# authority in one query (strategise.organisations.backends).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "strategise.organisations.backends.UserBackend",
]

MIDDLEWARE = [
    # First: behind the TLS proxy, the client's address (not the proxy's) for all that follows.
    "strategise.config.proxy.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After static files: every page and download is no-store, with a Permissions-Policy.
    "strategise.web.headers.security_headers",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before anything reads the body: one over the limit is refused (413) unread.
    "strategise.web.limits.refuse_large_bodies",
    # A session ends after STRATEGISE_SESSION_IDLE_MINUTES idle or _MAX_HOURS in all.
    "strategise.organisations.sessions.SessionLimitsMiddleware",
    # Every page but the public ones needs a signed-in user.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # ...and then their second factor: a code or a passkey, before any but the public pages.
    "strategise.web.account.verification.SecondFactorMiddleware",
    "strategise.audit.middleware.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as Axes asks: turns a locked-out sign-in into the sign-in page saying so.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "strategise.config.urls"
WSGI_APPLICATION = "strategise.config.wsgi.application"

TEMPLATES = [
    {
        # Every page of the service is a Jinja2 template using the GOV.UK macros.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "strategise.web.jinja2.environment",
            "context_processors": [
                "django.template.context_processors.csp",
            ],
        },
    },
    {
        # Kept only for Django's admin, which ships Django templates.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- database ---------------------------------------------------------------

# Without DATABASE_URL, an embedded SQLite file under var/ in the working directory.
_DEFAULT_SQLITE = Path.cwd() / "var" / "strategise.sqlite3"
_database_url = os.environ.get("DATABASE_URL", "")
if not _database_url:
    _DEFAULT_SQLITE.parent.mkdir(parents=True, exist_ok=True)
    _database_url = f"sqlite:///{_DEFAULT_SQLITE}"

DATABASES = {
    "default": dj_database_url.parse(_database_url, conn_max_age=600, conn_health_checks=True),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers carry on while one writer writes; IMMEDIATE takes the write
        # lock at BEGIN so two writers queue instead of failing with "database is locked".
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA busy_timeout=5000;"
            "PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- security ---------------------------------------------------------------

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Not the service's name, the user's authority's or their own.
    {"NAME": "strategise.organisations.passwords.NamesValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# A forgotten password's reset link works once, for an hour.
PASSWORD_RESET_TIMEOUT = 3600

# --- sessions and lockout ---------------------------------------------------

# A session ends after this long without a request, and after this long in all.
STRATEGISE_SESSION_IDLE_MINUTES = _env_positive_int("STRATEGISE_SESSION_IDLE_MINUTES", 30)
STRATEGISE_SESSION_MAX_HOURS = _env_positive_int("STRATEGISE_SESSION_MAX_HOURS", 12)
# The cookie (and the stored session) never outlive the absolute lifetime.
SESSION_COOKIE_AGE = STRATEGISE_SESSION_MAX_HOURS * 3600

# After this many wrong passwords for one username (or, for one address, the higher
# number), signing in is refused for STRATEGISE_LOCKOUT_MINUTES, the right password too.
STRATEGISE_LOCKOUT_FAILURES = _env_positive_int("STRATEGISE_LOCKOUT_FAILURES", 5)
STRATEGISE_LOCKOUT_ADDRESS_FAILURES = _env_positive_int("STRATEGISE_LOCKOUT_ADDRESS_FAILURES", 20)
STRATEGISE_LOCKOUT_MINUTES = _env_positive_int("STRATEGISE_LOCKOUT_MINUTES", 15)
AXES_HANDLER = "strategise.organisations.lockout.LockoutHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = STRATEGISE_LOCKOUT_FAILURES
AXES_COOLOFF_TIME = timedelta(minutes=STRATEGISE_LOCKOUT_MINUTES)
# A try while locked out does not make the lockout longer, so the page can say when it ends.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "strategise.web.account.lockout.lockout_response"
# Unlocking is the account administration's (and audited), not the admin site's.
AXES_ENABLE_ADMIN = False
# Axes keeps its own record of sign-ins; the audit log is the one that counts.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
# The address is REMOTE_ADDR, as in the audit log: behind the TLS proxy, the client's
# address the proxy forwards (strategise.config.proxy, docs/decisions.md §12).

# The name authenticator apps show beside the code.
OTP_TOTP_ISSUER = "Strategise"
# The admin site never shows an authenticator app's secret (its key, QR code or set-up
# link): whoever saw it could make that person's codes. A second factor is reset from the
# account administration instead.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Without a TLS proxy, no X-Forwarded-For is believed: REMOTE_ADDR is the client's.
STRATEGISE_PROXY_ADDRESSES: list[str] = []
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # The TLS-terminating proxy normally redirects http to https; turn this on if it does not.
    SECURE_SSL_REDIRECT = _env_bool("DJANGO_SECURE_SSL_REDIRECT", False)
    if _env_bool("DJANGO_BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
        # The proxy's addresses: from them, X-Forwarded-For names the client
        # (strategise.config.proxy); from anywhere else it is ignored.
        STRATEGISE_PROXY_ADDRESSES = _env_addresses("STRATEGISE_PROXY_ADDRESSES", ["127.0.0.1"])

# --- limits -----------------------------------------------------------------

# No page takes a file, and a form's text fits well within 1 MiB; a body over 2 MiB is
# refused unread (413), a form over 1 MiB or any file part by Django (400).
STRATEGISE_MAX_REQUEST_BYTES = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
# One file at a time, and only where a page takes one (strategise.web.limits): a written
# report's PDF or Word document under 10 MB, in a body of up to this many bytes.
DATA_UPLOAD_MAX_NUMBER_FILES = 1
STRATEGISE_MAX_UPLOAD_BYTES = 10 * 1024 * 1024 + 256 * 1024
FILE_UPLOAD_HANDLERS = [
    "strategise.web.limits.FilesOnlyWhereTaken",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# A private invitation link answers this many requests per link and per client address in
# each window, counted in the cache (strategise.web.limits).
# A link's pages (reply, code, deputy, written report) take about 15 requests to use in
# full, so 40 leaves room to correct mistakes.
STRATEGISE_LINK_RATE = {"per_token": 40, "per_address": 60, "window_seconds": 600}
# The language check as you type answers each signed-in user this many times in each
# window (the page waits for a pause in typing before it asks).
STRATEGISE_LANGUAGE_RATE = {"per_user": 120, "window_seconds": 60}

# --- cache ------------------------------------------------------------------

# The cache holds only counts: the private links' rate limits. Each process's local memory
# does for development and tests; in production every gunicorn process must count in one
# place, so DJANGO_CACHE_URL names a Redis database (its own: clearing the cache empties
# it), and without debug a system check warns when it is not set (docs/deploy.md).
_cache_url = os.environ.get("DJANGO_CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url}
        if _cache_url
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# --- language and time ------------------------------------------------------

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- static files -----------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT: Path | None = Path(os.environ.get("DJANGO_STATIC_ROOT", Path.cwd() / "var" / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}
# Source maps (the API docs page's, about 5.5 MB of its 8) are for a developer's browser
# tools, which fetch them uncompressed anyway: compressing them took most of collectstatic.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")

# --- email ------------------------------------------------------------------

# Invitations, minutes and alerts go by email, with links that sign people in to cases. The
# console backend, which prints them, is for development only: without DJANGO_DEBUG the
# default is SMTP, with TLS, and a system check refuses the console backend
# (strategise.operations.checks).
_smtp_options = {
    "host": os.environ.get("EMAIL_HOST", "localhost"),
    "port": _env_int("EMAIL_PORT", 25),
    "username": os.environ.get("EMAIL_HOST_USER", ""),
    "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
    "use_tls": _env_bool("EMAIL_USE_TLS", not DEBUG),
}
_mail_backend = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {
    "default": {
        "BACKEND": _mail_backend,
        "OPTIONS": _smtp_options if _mail_backend.endswith("smtp.EmailBackend") else {},
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "strategise@localhost")

# --- background tasks -------------------------------------------------------

# Django's tasks framework. By default tasks wait in the database and `manage.py
# db_worker` runs them, so a first run needs no other service; at scale, set
# DJANGO_TASKS_BACKEND=django_tasks_rq.RQBackend and REDIS_URL (see docs/tasks.md).
_tasks_backend = os.environ.get("DJANGO_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
TASKS = {"default": {"BACKEND": _tasks_backend, "QUEUES": ["default"]}}
if _tasks_backend == "django_tasks_rq.RQBackend":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": os.environ.get("REDIS_URL", "redis://localhost:6379/0")}}
    # No RQ dashboard in the admin: it would show the queues to every staff user, outside
    # the access rules, and its object pages fail (django-rq's model has no table).
    RQ_SHOW_ADMIN_LINK = False

# A task the database worker marked running this many minutes ago, and never finished, is
# taken to belong to a worker that died: the clock tick queues it again. Every task is safe
# to run twice (docs/tasks.md), so a slow task run twice costs time, not correctness.
STRATEGISE_TASK_STALE_MINUTES = _env_int("STRATEGISE_TASK_STALE_MINUTES", 15)

# Where links in emails sent by background tasks (which have no request to ask) point.
# The start page says how to sign in to each demo account, only while this is on (by
# default with DJANGO_DEBUG) and the demo is loaded: never on an instance with real cases.
STRATEGISE_DEMO_SIGN_IN = _env_bool("STRATEGISE_DEMO_SIGN_IN", DEBUG)
# The demo accounts' shared, published password (docs/demo.md), as the demo loader sets it.
STRATEGISE_DEMO_PASSWORD = "strategise-demo-2026"  # noqa: S105 (published on purpose)

STRATEGISE_BASE_URL = os.environ.get("STRATEGISE_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- logging ----------------------------------------------------------------

# One line per event on standard error, for the service manager's journal to keep.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # WeasyPrint reports each step of every PDF at INFO: only its warnings are news. Axes
    # logs every sign-in at INFO; the audit log records them. Their warnings stay.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
