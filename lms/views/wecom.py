"""企业微信 (WeCom) sign-in: the app opened from the WeCom workbench comes to ``wecom_start``,
which sends the in-app browser to WeCom's OAuth page with a one-time ``state`` kept in the
session; WeCom returns to ``wecom_callback`` with a ``code``, which WeCom turns into the member's
userid and that into the roster's account (``lms.services.identity.wecom.user_for_code``). No
account is ever created here, and a leaver is refused. Errors show the login page with what
went wrong (4xx; 503 when WeCom cannot be reached)."""

import logging
import secrets

from django.contrib.auth import login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from lms.services.identity import SignInRefused, wecom
from lms.views.accounts import StaffLoginForm

logger = logging.getLogger(__name__)

BACKEND = "django.contrib.auth.backends.ModelBackend"
SESSION_STATE = "lms_wecom_state"
SESSION_NEXT = "lms_wecom_next"


def _safe_next(request, value):
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


def wecom_start(request):
    """Off to WeCom's OAuth page (404 when WeCom is not configured)."""
    if not wecom.is_configured():
        raise Http404
    state = secrets.token_urlsafe(24)
    request.session[SESSION_STATE] = state
    request.session[SESSION_NEXT] = _safe_next(request, request.GET.get("next", ""))
    callback = request.build_absolute_uri(reverse("lms_site:wecom_callback"))
    return redirect(wecom.authorize_url(callback, state))


def _refused(request, message, status):
    context = {
        "form": StaffLoginForm(request),
        "next": request.session.get(SESSION_NEXT, ""),
        "wecom_error": message,
        "wecom_enabled": wecom.is_configured(),
    }
    return render(request, "lms/accounts/login.html", context, status=status)


def wecom_callback(request):
    """WeCom's return with ``code`` and ``state``: sign the roster's person in."""
    if not wecom.is_configured():
        raise Http404
    expected = request.session.pop(SESSION_STATE, "")
    state = request.GET.get("state", "")
    code = request.GET.get("code", "")
    if not expected or not state or not constant_time_compare(expected, state):
        return _refused(
            request,
            _("The WeCom sign-in link has expired or was not started here. Please try again."),
            400,
        )
    if not code or len(code) > 512:
        return _refused(request, _("WeCom did not confirm who you are. Please try again."), 400)
    try:
        user = wecom.user_for_code(code)
    except SignInRefused as refusal:
        return _refused(request, refusal.message, 403)
    except wecom.WeComUnavailable as error:
        logger.warning("WeCom sign-in failed: %s", error)
        return _refused(
            request, _("WeCom cannot be reached right now. Please try again later."), 503
        )
    except wecom.WeComError as error:
        logger.info("WeCom refused a sign-in code: %s", error)
        return _refused(request, _("WeCom did not confirm who you are. Please try again."), 400)
    next_url = request.session.pop(SESSION_NEXT, "")
    login(request, user, backend=BACKEND)
    return redirect(next_url or "lms:learn")
