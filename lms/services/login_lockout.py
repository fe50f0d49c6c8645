"""Login lockout rules on top of django-axes (``AXES_HANDLER`` and ``AXES_CLIENT_IP_CALLABLE``
point here).

- An employee number is locked after ``AXES_FAILURE_LIMIT`` failures (axes, per username), from
  whatever address they come: failures for one number never lock another.
- An address is locked only when it has failed on ``LMS_LOGIN_IP_USERNAME_LIMIT`` (20) different
  numbers within the cool-off time: guessing across many accounts, not a colleague's typos
  behind the branch's shared address.
- The client address is ``REMOTE_ADDR`` unless the request comes from one of
  ``LMS_TRUSTED_PROXIES`` (addresses or networks): then the right-most ``X-Forwarded-For`` entry
  that is not itself a trusted proxy. Without trusted proxies ``X-Forwarded-For`` is ignored,
  so nobody can choose their own address.
"""

import math

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.db.models import Max
from django.utils import timezone

from lms.conf import app_settings
from lms.services.client_address import client_ip  # noqa: F401 (AXES_CLIENT_IP_CALLABLE)


def _recent_attempts(request):
    return AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))


def address_is_locked(request):
    """Has this address failed on too many different employee numbers lately?"""
    ip = getattr(request, "axes_ip_address", None)
    if not ip:
        return False
    numbers = (
        _recent_attempts(request)
        .filter(ip_address=ip)
        .exclude(username=None)
        .values("username")
        .distinct()
        .count()
    )
    return numbers >= app_settings.LMS_LOGIN_IP_USERNAME_LIMIT


def minutes_until_unlocked(request, username):
    """Whole minutes (at least 1) until the lock on this number or address runs out."""
    cool_off = get_cool_off(request)
    if cool_off is None:
        return None
    recent = _recent_attempts(request)
    latest = [
        recent.filter(username=username).aggregate(last=Max("attempt_time"))["last"]
        if username
        else None
    ]
    if address_is_locked(request):
        ip = request.axes_ip_address
        latest.append(recent.filter(ip_address=ip).aggregate(last=Max("attempt_time"))["last"])
    latest = [moment for moment in latest if moment is not None]
    if not latest:
        return max(1, math.ceil(cool_off.total_seconds() / 60))
    remaining = max(latest) + cool_off - timezone.now()
    return max(1, math.ceil(remaining.total_seconds() / 60))


class LoginLockoutHandler(AxesDatabaseHandler):
    """axes' database handler, plus the lock on an address that tries many numbers."""

    def is_locked(self, request, credentials=None):
        return super().is_locked(request, credentials) or address_is_locked(request)

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is not None and not request.axes_locked_out and address_is_locked(request):
            request.axes_locked_out = True
            request.axes_credentials = credentials


def locked_username(request, credentials):
    return get_client_username(request, credentials)
