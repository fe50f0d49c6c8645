"""Settings of the lms app, each read from Django's settings when it is used (so
``override_settings`` works and nothing is frozen at import time). All are optional.

``LMS_ROSTER_IMPORT_MAX_BYTES`` (default 20 MB) and ``LMS_ROSTER_IMPORT_MAX_ROWS`` (50,000)
    The largest roster or attendance sheet the importers accept.

``LMS_REMINDER_DUE_SOON_DAYS`` (7)
    The first due-soon reminder goes out this many days before the due date (the last call is
    the day before).

``LMS_REMINDER_REPEAT_DAYS`` (7)
    Overdue reminders and managers' chase lists repeat after this many days.

``LMS_REMINDER_CHASE_AFTER_DAYS`` (7)
    Days overdue before a person is on their manager's chase list.

``LMS_LOGIN_IP_USERNAME_LIMIT`` (20)
    An address that fails to log in on this many different employee numbers within the axes
    cool-off time is locked (each number is locked on its own after ``AXES_FAILURE_LIMIT``).

``LMS_TRUSTED_PROXIES`` (empty)
    Addresses or networks (``"10.0.0.5"``, ``"10.0.0.0/24"``) of the proxies in front of the
    site; ``X-Forwarded-For`` is believed only when the request comes from one of them.

``LMS_RECORD_CHAIN_KEY`` (empty: derived from ``SECRET_KEY``)
    The key (HMAC-SHA256) of the completion records' hash chain, certificates and chain head;
    kept outside the database. Production requires it (config/settings/production.py).

``LMS_SESSION_TOUCH_SECONDS`` (60)
    How often ``lms.middleware.IdleSessionMiddleware`` pushes an idle session's expiry forward.
"""

from django.conf import settings

DEFAULTS = {
    "LMS_ROSTER_IMPORT_MAX_BYTES": 20 * 1024 * 1024,
    "LMS_ROSTER_IMPORT_MAX_ROWS": 50_000,
    "LMS_REMINDER_DUE_SOON_DAYS": 7,
    "LMS_REMINDER_REPEAT_DAYS": 7,
    "LMS_REMINDER_CHASE_AFTER_DAYS": 7,
    "LMS_SESSION_TOUCH_SECONDS": 60,
    "LMS_LOGIN_IP_USERNAME_LIMIT": 20,
    "LMS_TRUSTED_PROXIES": (),
    "LMS_RECORD_CHAIN_KEY": "",
}


class AppSettings:
    """``app_settings.LMS_…``: the Django setting if the site sets it, else the default."""

    def __getattr__(self, name):
        if name not in DEFAULTS:
            raise AttributeError(name)
        return getattr(settings, name, DEFAULTS[name])


app_settings = AppSettings()
