"""Settings shared by every environment of the CP-LMS reference site.

Values that differ between machines come from environment variables (see README):
``DATABASE_URL``, ``REDIS_URL``, ``SECRET_KEY``, ``ALLOWED_HOSTS``, ``DEBUG``, ``TASKS_BACKEND``,
``EMAIL_URL`` / ``EMAIL_*``, ``DEFAULT_FROM_EMAIL``, ``LMS_OIDC_*`` / ``LMS_LDAP_*`` (identity.py),
``MEDIA_ROOT``, ``PRIVATE_MEDIA_ROOT``, ``SERVE_MEDIA``, ``LMS_S3_*`` (s3.py). deploy/ has them all.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .email import email_url_settings
from .identity import identity_settings
from .s3 import s3_settings

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # CP-LMS apps; dependencies run quizzes -> courses -> lms.
    "quizzes",
    "courses",
    "lms",
    # The reference site only: the demo bank (lms_demo, refused unless DEMO_DATA_ALLOWED) and the
    # benchmark data (lms_bench_data).
    "config.demo",
    "bench",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "axes",
    "csp",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # gzip for HTML pages (whitenoise compresses static files itself); see the class.
    "lms.middleware.CompressedPagesMiddleware",
    # Permissions-Policy everywhere, no-store on personal answers; CSP (looser in the admin).
    "lms.middleware.PrivacyHeadersMiddleware",
    "lms.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lms.middleware.ChosenLanguageMiddleware",
    # JSON errors under /api/v1/, also for what Django answers itself (no match, bad host, 405).
    "lms.middleware.ApiJsonErrorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "lms.middleware.IdleSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Wagtail's page routes kept per process, under the content generation (see the module).
    "courses.middleware.PageRouteCacheMiddleware",
    # Last, so that it sees the response of a failed login.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# --- Database ---------------------------------------------------------------------------------
# SQLite by default (``make demo`` on a bare machine), PostgreSQL when DATABASE_URL says so.
# Connections are kept for DB_CONN_MAX_AGE seconds (default 60; 0 closes them after each request)
# with a health check before reuse: opening one (and, on SQLite, its PRAGMAs) cost more than a
# whole bare request (bench/learner_pages.py).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work at once; IMMEDIATE takes the write lock at BEGIN so two
    # learners saving progress queue on the busy timeout instead of failing with "database is
    # locked" when a read transaction tries to upgrade. A kept connection keeps its WAL mode;
    # SQLite's file locks are per transaction, so kept connections do not hold the database.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Background tasks (django-tasks) ------------------------------------------------------------
# Inline by default here (``make demo`` needs no worker); production queues them by default.
# ``TASKS_BACKEND=database`` queues tasks in the database (django-tasks-db) for ``python manage.py
# db_worker`` to run: a 50,000-row roster upload then returns at once instead of outliving a
# web worker's 30 s timeout (bench/roster_upload.py).


def tasks_settings(backend):
    """``(apps to install, TASKS)`` for the ``TASKS_BACKEND`` named ``backend``."""
    backend = backend.strip().lower()
    if backend == "database":
        return ["django_tasks_db"], {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    if backend == "immediate":
        return [], {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    raise ImproperlyConfigured("TASKS_BACKEND must be 'immediate' or 'database'.")


TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "immediate").strip().lower()
_task_apps, TASKS = tasks_settings(TASKS_BACKEND)
INSTALLED_APPS += _task_apps

# --- Email ----------------------------------------------------------------------------------------
# ``EMAIL_URL`` in one go, e.g. ``smtp+tls://user:password@mail.example.cn:587``, ``smtp://host:25``,
# ``console://`` or ``locmem://``; or ``EMAIL_BACKEND`` with ``EMAIL_HOST``, ``EMAIL_PORT``,
# ``EMAIL_HOST_USER``, ``EMAIL_HOST_PASSWORD``, ``EMAIL_USE_TLS`` / ``EMAIL_USE_SSL``.
# The console backend by default: nothing leaves the machine unless configured.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))
if os.environ.get("EMAIL_URL"):
    globals().update(email_url_settings(os.environ["EMAIL_URL"]))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "cplms@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Cache and sessions -----------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # While Redis is away the cache answers as an empty one (config.cache): no failed requests.
    CACHES = {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "cplms",
            "OPTIONS": {
                "socket_connect_timeout": float(os.environ.get("REDIS_CONNECT_TIMEOUT", "0.5")),
                "socket_timeout": float(os.environ.get("REDIS_TIMEOUT", "1.0")),
            },
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Shared phones and counter terminals: 30 idle minutes, and gone when the browser closes.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = False  # lms.middleware.IdleSessionMiddleware slides the expiry
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# --- Authentication ---------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # AxesBackend (not the standalone one) so it also answers get_user for force_login in tests.
    "axes.backends.AxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "lms_site:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "lms_site:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes: lock an employee number after AXES_FAILURE_LIMIT failures from any address, and an
# address only after it has failed on LMS_LOGIN_IP_USERNAME_LIMIT different numbers (see
# lms.services.login_lockout), with the counters in the database so every worker process sees
# them. X-Forwarded-For is believed only from LMS_TRUSTED_PROXIES (addresses or networks).
AXES_HANDLER = "lms.services.login_lockout.LoginLockoutHandler"
AXES_CLIENT_IP_CALLABLE = "lms.services.login_lockout.client_ip"
AXES_LOCKOUT_CALLABLE = "lms.views.lockout.lockout_response"
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours: 15 minutes
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
# Tries while locked are refused without restarting the clock, so the minutes shown hold.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "lms/accounts/lockout.html"
LMS_LOGIN_IP_USERNAME_LIMIT = int(os.environ.get("LMS_LOGIN_IP_USERNAME_LIMIT", "20"))
LMS_TRUSTED_PROXIES = env_list("LMS_TRUSTED_PROXIES")
# Public certificate checks (/verify/<code>/) per client address: "<count>/<period>" (s, m, h).
LMS_VERIFY_RATE_LIMIT = os.environ.get("LMS_VERIFY_RATE_LIMIT", "30/10m")
# The key of the completion records' hash chain (HMAC-SHA256): kept out of the database, so
# someone who can write the database cannot forge records. Empty: derived from SECRET_KEY
# (development and tests only; production requires it, see production.py).
LMS_RECORD_CHAIN_KEY = os.environ.get("LMS_RECORD_CHAIN_KEY", "")
# The daily signed anchors of the chain head (lms_anchor_chain): their directory (empty:
# PRIVATE_MEDIA_ROOT/anchors; never under MEDIA_ROOT) and signing key (empty: derived from the
# chain key under a label of its own).
LMS_ANCHOR_DIR = os.environ.get("LMS_ANCHOR_DIR", "")
# Days before a completion of an expiring item lapses that lms_recertify assigns it again.
LMS_RECERTIFY_LEAD_DAYS = int(os.environ.get("LMS_RECERTIFY_LEAD_DAYS", "30"))
# A task worker's report interval; six missed: its tasks are queued again (lms.services.workers)
LMS_TASK_WORKER_BEAT_SECONDS = float(os.environ.get("LMS_TASK_WORKER_BEAT_SECONDS", "5"))
LMS_BANK_NAME = os.environ.get("LMS_BANK_NAME", "")
# The complaint system's bearer token for POST /api/v1/complaints (empty: the endpoint is off).
LMS_COMPLAINTS_API_TOKEN = os.environ.get("LMS_COMPLAINTS_API_TOKEN", "")
LMS_ANCHOR_KEY = os.environ.get("LMS_ANCHOR_KEY", "")
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False

# First-login activation codes (an officer prints them for staff without a password) and the
# 企业微信 (WeCom) app: sign-in from the workbench and reminders as app messages (see lms.conf).
LMS_ACTIVATION_CODE_DAYS = int(os.environ.get("LMS_ACTIVATION_CODE_DAYS", "7"))
LMS_ACTIVATION_MAX_ATTEMPTS = int(os.environ.get("LMS_ACTIVATION_MAX_ATTEMPTS", "5"))
LMS_ACTIVATION_LOCK_MINUTES = int(os.environ.get("LMS_ACTIVATION_LOCK_MINUTES", "15"))
LMS_WECOM_CORP_ID = os.environ.get("LMS_WECOM_CORP_ID", "")
LMS_WECOM_AGENT_ID = os.environ.get("LMS_WECOM_AGENT_ID", "")
LMS_WECOM_SECRET = os.environ.get("LMS_WECOM_SECRET", "")
LMS_WECOM_API_BASE = os.environ.get("LMS_WECOM_API_BASE", "https://qyapi.weixin.qq.com")
LMS_WECOM_OAUTH_BASE = os.environ.get("LMS_WECOM_OAUTH_BASE", "https://open.weixin.qq.com")
LMS_WECOM_EMPLOYEE_NUMBER_FIELD = os.environ.get("LMS_WECOM_EMPLOYEE_NUMBER_FIELD", "")
LMS_WECOM_TIMEOUT = int(os.environ.get("LMS_WECOM_TIMEOUT", "10"))
LMS_NOTIFICATION_CHANNELS = env_list("LMS_NOTIFICATION_CHANNELS") or ["email", "wecom"]
# The bank's identity (config.settings.identity, README): LMS_OIDC_CLIENT_ID turns on OpenID
# Connect, LMS_LDAP_SERVER_URI LDAP/AD; each adds its backend, and nothing when unset. Staff are
# matched to the roster by employee number (lms.services.identity), never created.
globals().update(identity_settings(os.environ, AUTHENTICATION_BACKENDS))

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", "简体中文"),
    ("en", "English"),
]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# The reference site's override catalog: Wagtail's and Django's strings that their own zh_Hans
# catalogs leave untranslated (LOCALE_PATHS win over every app's catalog; see the .po's header).
LOCALE_PATHS = [PROJECT_DIR / "locale"]
WAGTAIL_I18N_ENABLED = False

# --- Static and media -------------------------------------------------------------------------
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATIC_ROOT = BASE_DIR / "static"
STATIC_URL = "/static/"
# Images and renditions are public (MEDIA_ROOT, at MEDIA_URL); every other upload is private:
# PRIVATE_MEDIA_ROOT, served only by views that check permissions (config.storages). SERVE_MEDIA
# lets Django serve the images (always with DEBUG); else a web server in front serves MEDIA_ROOT.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private"))
SERVE_MEDIA = env_bool("SERVE_MEDIA", False)
STORAGES = {
    "default": {"BACKEND": "config.storages.MediaStorage"},
    "private": {"BACKEND": "config.storages.PrivateStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# LMS_S3_BUCKET moves both onto S3-compatible object storage, with the same split (settings/s3.py).
_S3 = s3_settings(os.environ)
STORAGES.update(_S3.get("STORAGES", {}))

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Requests bigger than this are refused before a view sees them (uploads stream to disk).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- CP-LMS apps ---------------------------------------------------------------------------
LMS_QUIZZES_BASE_TEMPLATE = "courses/base.html"

# --- Wagtail ----------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = _("CP-LMS")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# Uploads: raster images only (no SVG: it can carry script), office/PDF documents and MP4 video
# (no HTML), each with a size limit. Documents go through Wagtail's serve view, as attachments,
# so the permission hook in courses.wagtail_hooks runs for every download.
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "txt", "csv", "mp4"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 100 * 1024 * 1024
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = []
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"avif": "webp", "gif": "gif"}

# --- Security defaults shared by all environments ----------------------------------------------
X_FRAME_OPTIONS = "DENY"  # Wagtail's preview views allow SAMEORIGIN framing themselves.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp 4, lms.middleware.ContentSecurityPolicyMiddleware): scripts
# only from our own static files, never inline (the learner pages have none); the Wagtail admin
# also gets 'unsafe-inline' scripts and same-origin framing (LMS_CSP_ADMIN_SOURCES). Inline
# style attributes stay allowed (progress bar widths). Frames: video platform embeds (https).
# CSP_EXTRA_SOURCES: origins of a CDN or object storage serving images, media or static files.
_CSP_EXTRA = env_list("CSP_EXTRA_SOURCES")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'", *_CSP_EXTRA],
        "script-src": ["'self'", *_CSP_EXTRA],
        "style-src": ["'self'", "'unsafe-inline'", *_CSP_EXTRA],
        "img-src": ["'self'", "data:", "blob:", *_CSP_EXTRA, *_S3.get("LMS_S3_MEDIA_ORIGINS", [])],
        "media-src": ["'self'", "blob:", *_CSP_EXTRA],
        "font-src": ["'self'", "data:", *_CSP_EXTRA],
        "connect-src": ["'self'"],
        "frame-src": ["'self'", "https:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Wagtail's admin fetches avatars from gravatar.com (and tells it a hash of each email): off.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor does it ask releases.wagtail.org for a newer version from each admin's browser.
WAGTAIL_ENABLE_UPDATE_CHECK = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}

# The dashboards' covering index (INCLUDE columns) is a PostgreSQL feature; SQLite ignores the
# extra columns and Django warns about it on every command. The index still works on SQLite.
# axes.W006 asks for 'ip_address' among AXES_LOCKOUT_PARAMETERS: the address rule is in
# lms.services.login_lockout (many different numbers from one address), not axes' per-address count
# that locks a whole branch behind one address.
SILENCED_SYSTEM_CHECKS = ["models.W040", "axes.W006"]

# ``manage.py lms_demo`` creates a superuser and accounts with a published password: allowed by
# the development and test settings only, never in production.
DEMO_DATA_ALLOWED = False
