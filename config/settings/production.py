"""Production: everything from the environment, HTTPS only, gunicorn + whitenoise.

Required: SECRET_KEY (50+ random characters, see ``keys``), ALLOWED_HOSTS, DATABASE_URL
(PostgreSQL), LMS_RECORD_CHAIN_KEY (the key of the completion records' hash chain, see
README). Optional: REDIS_URL, CSRF_TRUSTED_ORIGINS, SECURE_SSL_REDIRECT (default on;
switch off only behind a proxy that redirects itself), EMAIL_URL or EMAIL_* settings (SMTP to
localhost:25 by default), DEFAULT_FROM_EMAIL, TASKS_BACKEND (default "database": run
``manage.py db_worker`` next to gunicorn, as ``make serve`` does), MEDIA_ROOT,
PRIVATE_MEDIA_ROOT, SERVE_MEDIA, LMS_ANCHOR_DIR and LMS_ANCHOR_KEY (the record chain's daily
anchors), LMS_S3_* (uploads on S3-compatible storage, ``s3``). ``deploy/cplms.env.example`` lists
every variable with its meaning.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool, tasks_settings
from .keys import secret_key_error

DEBUG = False
# A weak or published key is refused at start-up (config.settings.keys): sessions, password
# reset links and signed values all rest on it.
if secret_key_error(SECRET_KEY):  # noqa: F405
    raise ImproperlyConfigured(secret_key_error(SECRET_KEY))  # noqa: F405
# The records' chain key: its own random value (not derived from SECRET_KEY, which is rotated
# for other reasons), strong enough that nobody can guess it from the database.
if (
    len(LMS_RECORD_CHAIN_KEY) < 43  # noqa: F405 - secrets.token_urlsafe(32) is 43 characters
    or len(set(LMS_RECORD_CHAIN_KEY)) < 16  # noqa: F405
    or LMS_RECORD_CHAIN_KEY == SECRET_KEY  # noqa: F405
):
    raise ImproperlyConfigured(
        "LMS_RECORD_CHAIN_KEY must be set to a random value of 43+ characters, different from "
        "SECRET_KEY (e.g. python -c 'import secrets;print(secrets.token_urlsafe(32))'). It keys "
        "the completion records' hash chain: keep a copy in escrow, records hashed with it "
        "cannot be verified without it."
    )

# The anchors' own key is optional (derived from the chain key when unset); when set, it is held
# to the same strength, and a copy of the chain key or SECRET_KEY would defeat its purpose.
if LMS_ANCHOR_KEY and (  # noqa: F405
    len(LMS_ANCHOR_KEY) < 43  # noqa: F405
    or len(set(LMS_ANCHOR_KEY)) < 16  # noqa: F405
    or LMS_ANCHOR_KEY in (SECRET_KEY, LMS_RECORD_CHAIN_KEY)  # noqa: F405
):
    raise ImproperlyConfigured(
        "LMS_ANCHOR_KEY, when set, must be a random value of 43+ characters, different from "
        "SECRET_KEY and LMS_RECORD_CHAIN_KEY (or leave it empty: the anchors' key is then "
        "derived from the chain key)."
    )

# Background work (roster uploads, plan publishing, reminders, Wagtail's reference index) goes to
# the database queue unless TASKS_BACKEND=immediate: never inline in a request that gunicorn
# kills after 30 s.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database").strip().lower()
INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "django_tasks_db"]  # noqa: F405
_task_apps, TASKS = tasks_settings(TASKS_BACKEND)
INSTALLED_APPS += _task_apps

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# Email settings come from base (EMAIL_URL or EMAIL_BACKEND + EMAIL_HOST …); unlike development,
# production sends by SMTP (EMAIL_HOST:EMAIL_PORT, default localhost:25) unless told otherwise.
if not os.environ.get("EMAIL_URL") and not os.environ.get("EMAIL_BACKEND"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
