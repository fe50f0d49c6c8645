"""The reference site's account pages (mounted by ``lms.site_urls``): the site root, which sends
learners to their home, the staff login and logout, and ``/favicon.ico``. A host site with its
own login leaves them out."""

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from lms.services import identity
from lms.services.identity import wecom


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

    def confirm_login_allowed(self, user):
        """A leaver (the roster's staff profile inactive) is refused like a deactivated account,
        even when the account itself was left active: the roster decides who may sign in."""
        super().confirm_login_allowed(user)
        staff = getattr(user, "staff_profile", None)
        if staff is not None and not staff.is_active:
            raise ValidationError(self.error_messages["inactive"], code="inactive")

    def get_invalid_login_error(self):
        """The reason when the bank's directory (LDAP/AD) accepted the password but the roster
        refused the person (not on it, a leaver), or when the directory could not be reached;
        the usual message otherwise."""
        refused = identity.noted_refusal(self.request)
        if refused is not None:
            return ValidationError(refused.message, code=refused.reason)
        return super().get_invalid_login_error()


def in_wecom_browser(request):
    """Whether the page was opened in 企业微信's in-app browser (its User-Agent says wxwork)."""
    return "wxwork" in request.headers.get("User-Agent", "").lower()


class LoginView(auth_views.LoginView):
    """The staff login. With WeCom configured it also offers 企业微信登录, and inside WeCom's
    in-app browser it goes straight to WeCom's sign-in (``?local=1`` stays on the form)."""

    template_name = "lms/accounts/login.html"
    form_class = StaffLoginForm
    redirect_authenticated_user = True

    def get(self, request, *args, **kwargs):
        if (
            wecom.is_configured()
            and in_wecom_browser(request)
            and not request.user.is_authenticated
            and request.GET.get("local") != "1"
        ):
            query = urlencode({"next": self.get_redirect_url()}) if self.get_redirect_url() else ""
            return redirect(reverse("lms_site:wecom_start") + (f"?{query}" if query else ""))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(wecom_enabled=wecom.is_configured(), **kwargs)
        # The bank's sign-in services (lms/accounts/_sso_buttons.html); empty when none is on.
        context["sign_in_buttons"] = identity.sign_in_buttons(self.get_redirect_url())
        return context


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
