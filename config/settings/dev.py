"""Local development and ``make demo``: debug on, a fixed insecure key, console email."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-change-me"  # noqa: F405, S105
# Console email (the base default) unless EMAIL_URL / EMAIL_BACKEND say otherwise.
DEMO_DATA_ALLOWED = True
