"""Which of the bank's sign-in routes the site offers (the buttons on the login page), and the
refusal a sign-in met on its way (for the login form to show). No identity library is imported
here: a site without OIDC or LDAP needs none of them installed."""

from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from lms.conf import app_settings

#: The backends ``config.settings.identity`` adds; listed means turned on.
OIDC_BACKEND = "lms.services.identity.oidc.StaffOIDCBackend"
LDAP_BACKEND = "lms.services.identity.ldap.StaffLDAPBackend"

#: Where a refusal met while authenticating is kept on the request.
REFUSAL_ATTRIBUTE = "lms_sign_in_refused"


def oidc_enabled():
    return OIDC_BACKEND in settings.AUTHENTICATION_BACKENDS


def ldap_enabled():
    return LDAP_BACKEND in settings.AUTHENTICATION_BACKENDS


def sign_in_buttons(next_url=""):
    """The login page's buttons for the bank's sign-in services: ``[{"name", "label", "url"}]``,
    empty when none is configured. ``next_url`` (already checked safe) is passed on."""
    buttons = []
    query = f"?{urlencode({'next': next_url})}" if next_url else ""
    if oidc_enabled():
        buttons.append(
            {
                "name": "oidc",
                "label": app_settings.LMS_SSO_LOGIN_LABEL
                or _("Sign in with the bank's unified identity"),
                "url": reverse("lms_sso:oidc_login") + query,
            }
        )
    return buttons


def note_refusal(request, refused):
    """Keep ``refused`` (a :class:`SignInRefused`) on the request for the login form."""
    if request is not None:
        setattr(request, REFUSAL_ATTRIBUTE, refused)


def noted_refusal(request):
    """The :class:`SignInRefused` an authentication on this request met, or None."""
    return getattr(request, REFUSAL_ATTRIBUTE, None)
