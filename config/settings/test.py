"""Settings for the pytest suite. DATABASE_URL selects SQLite (default) or PostgreSQL."""

import os
import tempfile

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="cplms-test-media-")
PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="cplms-test-private-")
SERVE_MEDIA = False
WAGTAILADMIN_BASE_URL = "http://testserver"

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not ":memory:", so the suite runs with the same WAL journal and locking as the
    # demo site, and live-server tests share it across threads.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"cplms-test-{os.getpid()}.sqlite3")
    }
DEMO_DATA_ALLOWED = True
# The task queue's tables, for the tests of the task worker (lms.services.workers); tasks still
# run inline unless a test queues them in the database itself.
if "django_tasks_db" not in INSTALLED_APPS:  # noqa: F405
    INSTALLED_APPS += ["django_tasks_db"]  # noqa: F405
