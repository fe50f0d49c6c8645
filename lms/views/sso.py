"""The bank's OpenID Connect sign-in, mounted by ``lms.site_urls`` (namespace ``lms_sso``) only
when it is configured: ``accounts/oidc/login/`` sends the browser to the provider (the login
page's button), ``accounts/oidc/callback/`` brings it back signed in. A refused sign-in lands on
the login page with the reason, never on an error page."""

import logging

from django.conf import settings
from django.contrib import auth, messages
from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import path
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.generic import View
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from lms.services.identity import SignInRefused
from lms.services.identity.oidc import provider_setting, refused_invalid, refused_unavailable

logger = logging.getLogger(__name__)


def refused(request, refusal, next_url=None):
    """Back to the login page, which shows why (a message), keeping where the person was going."""
    logger.info("Sign-in with the bank's identity refused (%s)", refusal.reason)
    if request.user.is_authenticated:
        auth.logout(request)  # whoever was signed in here, this browser now says otherwise
    messages.error(request, refusal.message)
    url = resolve_url(settings.LOGIN_URL)
    if next_url:
        url = f"{url}?{urlencode({'next': next_url})}"
    return HttpResponseRedirect(url)


class OIDCLoginView(OIDCAuthenticationRequestView):
    """To the provider's sign-in page, with state, nonce and PKCE kept in the session."""

    get_settings = staticmethod(provider_setting)

    def __init__(self, **kwargs):
        # The endpoint may need the discovery document: looked up in get(), where a provider
        # that cannot be reached becomes a message instead of an error page.
        View.__init__(self, **kwargs)

    def get(self, request):
        try:
            self.OIDC_OP_AUTH_ENDPOINT = self.get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")
            if not self.OIDC_OP_AUTH_ENDPOINT:
                logger.error("OIDC: no authorization endpoint (settings or discovery)")
                raise refused_unavailable()
        except SignInRefused as refusal:
            return refused(request, refusal)
        self.OIDC_RP_CLIENT_ID = self.get_settings("OIDC_RP_CLIENT_ID")
        return super().get(request)


class OIDCCallbackView(OIDCAuthenticationCallbackView):
    """Back from the provider: signed in as the roster's account, or on the login page with the
    reason (not on the roster, left the bank, a token that does not check out, cancelled)."""

    def get(self, request):
        try:
            return super().get(request)
        except SignInRefused as refusal:
            return self.refuse(refusal)
        except SuspiciousOperation as exc:  # a state this browser did not start, or replayed
            logger.warning("OIDC callback refused: %s", exc)
            return self.refuse(refused_invalid())

    def login_failure(self):
        """The provider answered with an error (the person cancelled), or this browser has no
        sign-in under way."""
        return self.refuse(
            SignInRefused(
                _("Signing in with the bank's identity did not finish. Please try again."),
                reason="cancelled",
            )
        )

    def refuse(self, refusal):
        return refused(self.request, refusal, self.request.session.get("oidc_login_next"))


urlpatterns = [
    path("accounts/oidc/login/", OIDCLoginView.as_view(), name="oidc_login"),
    path("accounts/oidc/callback/", OIDCCallbackView.as_view(), name="oidc_callback"),
]

#: For ``include()``: the patterns in the ``lms_sso`` namespace.
urls = (urlpatterns, "lms_sso")
