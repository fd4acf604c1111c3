"""Settings. One environment variable, DATABASE_URL, chooses SQLite (the default) or PostgreSQL.

Environment:
- SEKRETARIAT_DATA_DIR: where the SQLite database, uploaded files and generated documents live
  (default ./var).
- DATABASE_URL: e.g. postgres://user@127.0.0.1:5432/sekretariat; unset means SQLite in the data dir.
- SEKRETARIAT_SECRET_KEY (or SEKRETARIAT_SECRET_KEY_FILE, or the file secret.key in the data dir):
  Django's signing key (sessions, CSRF, password reset links).
- SEKRETARIAT_PSEUDONYM_KEY (or SEKRETARIAT_PSEUDONYM_KEY_FILE, or pseudonym.key in the data dir):
  the key of the CPR pseudonyms of the IV register; never the signing key, and there is no default.
  `sekretariat secrets --create` writes both files (readable by their owner only).
- SEKRETARIAT_DEBUG, SEKRETARIAT_ALLOWED_HOSTS.
- SEKRETARIAT_TLS=1: the site is served over HTTPS only (secure cookies, redirect to HTTPS, HSTS);
  SEKRETARIAT_BEHIND_PROXY=1: a reverse proxy terminates TLS and says so in X-Forwarded-Proto.
- SEKRETARIAT_MAX_ATTACHMENT_MB: largest attachment accepted (default 50).
- SEKRETARIAT_EVENT_HANDLING: where the events' consumers run: inline (default, in the process
  that wrote, after the commit), worker (`sekretariat worker`), celery (the task queue).
- SEKRETARIAT_BROKER_URL: the task queue's broker for `celery` (default redis://127.0.0.1:6379/0).
"""

import datetime
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("SEKRETARIAT_DATA_DIR", Path.cwd() / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret(name: str, file_name: str) -> str | None:
    """A secret from the environment, from the file the environment names, or from the data dir's
    file of that name; None when none is set. Never from the source."""
    value = os.environ.get(name, "").strip()
    if value:
        return value
    path = Path(os.environ.get(f"{name}_FILE") or DATA_DIR / file_name)
    try:
        return path.read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


# Without a configured key, a development key: `sekretariat serve` refuses to start with it
# unless SEKRETARIAT_DEBUG=1, and `check --deploy` reports it (core/checks.py).
DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-change-me-in-production-7f3a"
SECRET_KEY = _secret("SEKRETARIAT_SECRET_KEY", "secret.key") or DEVELOPMENT_SECRET_KEY
# The CPR pseudonyms' key (settlements/pseudonyms.py); None = not configured, and a CPR number
# is then refused rather than hashed with a guessable key.
PSEUDONYM_KEY = _secret("SEKRETARIAT_PSEUDONYM_KEY", "pseudonym.key")
DEBUG = os.environ.get("SEKRETARIAT_DEBUG", "0") == "1"
ALLOWED_HOSTS = os.environ.get("SEKRETARIAT_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(
    ","
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "sekretariat.core",
    "sekretariat.bodies",
    "sekretariat.cases",
    "sekretariat.meetings",
    "sekretariat.publishing",
    "sekretariat.ingest",
    "sekretariat.settlements",
    "sekretariat.search",
    "sekretariat.demo",
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
    "csp.middleware.CSPMiddleware",
    # Last, as its documentation asks: answers a locked-out login attempt.
    "axes.middleware.AxesMiddleware",
]

# Failed logins are counted per user name and address (django-axes): after 5 in a row the
# login is refused for 15 minutes, with a Danish page; a successful login resets the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

ROOT_URLCONF = "sekretariat.config.urls"

# Content-Security-Policy (django-csp): scripts, fonts, frames and form targets only from this
# site, no plugins, no framing by other sites. Styles may be inline: the IV report's charts are
# matplotlib's SVG drawn into the page, whose shapes carry style attributes (no script can run
# through a style). Images may be data: URIs (the charts inside the report's PDF preview).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# HTTPS. With SEKRETARIAT_TLS=1 the cookies are sent over HTTPS only, plain HTTP is redirected,
# and browsers are told to use HTTPS for a year (HSTS, with subdomains and the preload list:
# say SEKRETARIAT_HSTS_PRELOAD=0 if the domain must not be put on it).
TLS = os.environ.get("SEKRETARIAT_TLS", "0") == "1"
if os.environ.get("SEKRETARIAT_BEHIND_PROXY", "0") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = TLS
CSRF_COOKIE_SECURE = TLS
SECURE_SSL_REDIRECT = TLS
SECURE_HSTS_SECONDS = 365 * 24 * 3600 if TLS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = TLS
SECURE_HSTS_PRELOAD = TLS and os.environ.get("SEKRETARIAT_HSTS_PRELOAD", "1") == "1"
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# A refused form (missing or stale CSRF token) gets the Danish page templates/403_csrf.html.
CSRF_FAILURE_VIEW = "sekretariat.publishing.views.csrf_failure"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sekretariat.bodies.context_processors.viewer",
                "sekretariat.settlements.context_processors.iv_access",
            ],
        },
    },
]

WSGI_APPLICATION = "sekretariat.config.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'sekretariat.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Search's bitmap scans of frequent words stay exact (not lossy, which makes PostgreSQL
    # re-read every row of a page) with more than the default 4 MB. No JIT: a search's plan
    # can look dear to the planner (a LIMIT over a UNION of year branches) and compiling it
    # took 35 ms of a 70 ms search; the application's queries are all short. No parallel
    # query: a search walks its UNION of year branches in order and stops when its window is
    # full; a parallel append runs the branches at once, reading years the window does not
    # need (on two cores, a 35 ms search took 57 ms) and filling the window out of order.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", "-c work_mem=32MB -c jit=off -c max_parallel_workers_per_gather=0"
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "da"
LANGUAGES = [("da", "Dansk")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns about a missing root
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

MAX_ATTACHMENT_BYTES = int(
    float(os.environ.get("SEKRETARIAT_MAX_ATTACHMENT_MB", "50")) * 1024 * 1024
)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    # The project's own progress lines (a rebuild run by the worker) are information.
    "loggers": {"sekretariat": {"level": "INFO"}},
}

# Uploaded documents are read in a child process with these limits (ingest/sandbox.py).
SEKRETARIAT_UPLOAD_READ_SECONDS = float(os.environ.get("SEKRETARIAT_UPLOAD_READ_SECONDS", "120"))
SEKRETARIAT_UPLOAD_READ_MEMORY_MB = float(
    os.environ.get("SEKRETARIAT_UPLOAD_READ_MEMORY_MB", "1536")
)

# Domain events: who consumes them, and where they are handled (see core/dispatch.py).
SEKRETARIAT_EVENT_CONSUMERS = "sekretariat.config.consumers.CONSUMERS"
SEKRETARIAT_EVENT_HANDLING = os.environ.get("SEKRETARIAT_EVENT_HANDLING", "inline")

# The task queue (Celery), used when SEKRETARIAT_EVENT_HANDLING is "celery".
CELERY_BROKER_URL = os.environ.get("SEKRETARIAT_BROKER_URL", "redis://127.0.0.1:6379/0")
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker catches up every few seconds even if no message arrives (a broker outage, a message
# lost): the events wait in the database, never in the queue.
CELERY_BEAT_SCHEDULE = {
    "events-catch-up": {"task": "sekretariat.events_catch_up", "schedule": 5.0},
}
