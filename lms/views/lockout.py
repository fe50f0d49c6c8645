"""The login page's answer to a locked-out employee number or address, for django-axes
(``AXES_LOCKOUT_CALLABLE = "lms.views.lockout.lockout_response"``). Apart from
``lms.views.accounts`` so that a host site mounting ``lms.site_urls`` without django-axes
imports nothing of it."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import ngettext

from lms.services import identity
from lms.services.login_lockout import locked_username, minutes_until_unlocked
from lms.views.accounts import StaffLoginForm


def lockout_response(request, original_response=None, credentials=None):
    """``AXES_LOCKOUT_CALLABLE``: the login page (or JSON for a script) saying how many minutes
    until the locked number or address may try again; 429 with ``Retry-After``."""
    username = locked_username(request, credentials) or ""
    minutes = minutes_until_unlocked(request, username) or 15
    message = ngettext(
        "Too many failed login attempts for this employee number or from this device. Please "
        "try again in %(minutes)d minute, or ask your administrator to unlock it.",
        "Too many failed login attempts for this employee number or from this device. Please "
        "try again in %(minutes)d minutes, or ask your administrator to unlock it.",
        minutes,
    ) % {"minutes": minutes}
    accept = request.headers.get("Accept", "")
    if "application/json" in accept or request.headers.get("X-Requested-With") == "XMLHttpRequest":
        response = JsonResponse({"detail": message, "retry_after_minutes": minutes}, status=429)
    else:
        form = StaffLoginForm(request, initial={"username": username})
        context = {
            "form": form,
            "lockout_message": message,
            "next": request.POST.get("next", ""),
            # The bank's sign-in does not use the locked password: still offered.
            "sign_in_buttons": identity.sign_in_buttons(),
        }
        response = render(request, "lms/accounts/lockout.html", context, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response
