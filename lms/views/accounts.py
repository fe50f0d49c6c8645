"""The reference site's account pages (mounted by ``lms.site_urls``): the site root, which sends
learners to their home, the staff login and logout, and ``/favicon.ico``. A host site with its
own login leaves them out."""

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from lms.services.login_lockout import locked_username, minutes_until_unlocked


class StaffLoginForm(AuthenticationForm):
    """Login with the employee number (工号); the messages say what to do next."""

    username = forms.CharField(
        label=_("Employee number"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}
        ),
    )
    error_messages = {
        "invalid_login": _(
            "The employee number or password is not correct. Check both and try again; after "
            "several failed attempts the account is locked for a while."
        ),
        "inactive": _("This account has been deactivated. Please contact your administrator."),
    }


class LoginView(auth_views.LoginView):
    template_name = "lms/accounts/login.html"
    form_class = StaffLoginForm
    redirect_authenticated_user = True


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
        context = {"form": form, "lockout_message": message, "next": request.POST.get("next", "")}
        response = render(request, "lms/accounts/lockout.html", context, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response


class LogoutView(auth_views.LogoutView):
    pass


def home(request):
    """The site root: learners go to their learner home, visitors to the login page."""
    if not request.user.is_authenticated:
        return redirect_to_login("/")
    return redirect("lms:learn")


def favicon(request):
    """``/favicon.ico``: browsers ask for it on every site; it is the learner pages' icon."""
    return HttpResponsePermanentRedirect(static("courses/favicon.svg"))
