"""The reference site's account pages (mounted by ``lms.site_urls``): the site root, which sends
learners to their home, the staff login and logout, and ``/favicon.ico``. A host site with its
own login leaves them out."""

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import redirect
from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _


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
