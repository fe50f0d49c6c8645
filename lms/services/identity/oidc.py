"""Signing in with the bank's OpenID Connect provider (mozilla-django-oidc).

The provider vouches for a person; the roster decides who that is. The employee number in the
claim ``LMS_OIDC_EMPLOYEE_NUMBER_CLAIM`` (from the ID token, or the userinfo answer when the
provider has one) is matched by :func:`user_for_employee_number`: the account the roster import
made, never a new one, and never a leaver's. On top of mozilla-django-oidc's checks (signature
with the provider's key and algorithm, nonce, state, PKCE) the ID token must be addressed to this
client, come from the configured issuer and expire; the userinfo answer must be about the same
``sub``.

Every way a sign-in can fail ends in :class:`SignInRefused`, with reasons beside the roster's
(``unknown``, ``leaver``, ``blank``): ``invalid`` (a token or answer that does not check out) and
``unavailable`` (the provider cannot be reached). ``lms.views.sso`` shows it on the login page.

The endpoints come from the settings or, for those not set, from the provider's discovery
document (``LMS_OIDC_DISCOVERY_URL``), fetched when someone signs in and cached for an hour.
"""

import hashlib
import logging

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings

from lms.conf import app_settings
from lms.services.identity.matching import SignInRefused, user_for_employee_number

logger = logging.getLogger(__name__)

DISCOVERY_CACHE_SECONDS = 60 * 60
#: The endpoint settings, and the discovery document's field each is read from when unset.
DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    "LMS_OIDC_ISSUER": "issuer",
}


def refused_invalid():
    return SignInRefused(
        _(
            "The bank's sign-in service could not confirm who you are. Please try again; if it "
            "keeps happening, tell your training officer."
        ),
        reason="invalid",
    )


def refused_unavailable():
    return SignInRefused(
        _(
            "The bank's sign-in service cannot be reached just now. Please try again in a few "
            "minutes."
        ),
        reason="unavailable",
    )


def discovery():
    """The provider's metadata (``/.well-known/openid-configuration``), ``{}`` without
    ``LMS_OIDC_DISCOVERY_URL``. Raises :class:`SignInRefused` (``unavailable``) when the
    document cannot be fetched."""
    url = app_settings.LMS_OIDC_DISCOVERY_URL
    if not url:
        return {}
    key = "lms:oidc-discovery:" + hashlib.sha256(url.encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        try:
            response = requests.get(
                url,
                timeout=import_from_settings("OIDC_TIMEOUT", 10),
                verify=import_from_settings("OIDC_VERIFY_SSL", True),
                proxies=import_from_settings("OIDC_PROXY", None),
            )
            response.raise_for_status()
            found = response.json()
        except (requests.RequestException, ValueError) as exc:
            logger.warning("OIDC discovery at %s failed: %s", url, exc)
            raise refused_unavailable() from exc
        if not isinstance(found, dict):
            logger.warning("OIDC discovery at %s is not a JSON object", url)
            raise refused_unavailable()
        cache.set(key, found, DISCOVERY_CACHE_SECONDS)
    return found


def provider_setting(name, *default):
    """mozilla-django-oidc's ``get_settings``: the setting, and for an endpoint or the issuer not
    set, the discovery document's value ("" when neither has it)."""
    if name in DISCOVERED:
        return getattr(settings, name, "") or discovery().get(DISCOVERED[name], "") or ""
    return import_from_settings(name, *default)


class StaffOIDCBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, matching the person to the roster by employee number."""

    get_settings = staticmethod(provider_setting)

    def __init__(self, *args, **kwargs):
        # Django makes a backend for every request of someone signed in (get_user): the
        # provider's settings, perhaps fetched, are read only when someone signs in.
        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        """The person the provider's answer to this callback names; raises
        :class:`SignInRefused` when it is nobody who may sign in. Only the callback view (which
        passes the ``nonce`` it kept) gets here: the password form does not."""
        if request is None or "nonce" not in kwargs:
            return None
        try:
            super().__init__()
            user = super().authenticate(request, **kwargs)
        except SignInRefused:
            raise
        except requests.HTTPError as exc:
            logger.warning("OIDC sign-in refused by the provider: %s", exc)
            status = exc.response.status_code if exc.response is not None else 500
            raise (refused_invalid() if status < 500 else refused_unavailable()) from exc
        except requests.RequestException as exc:
            logger.warning("OIDC provider unreachable: %s", exc)
            raise refused_unavailable() from exc
        except (SuspiciousOperation, jwt.PyJWTError, KeyError, TypeError, ValueError) as exc:
            logger.warning("OIDC sign-in refused: %s", exc)
            raise refused_invalid() from exc
        if user is None:  # mozilla-django-oidc logged a SuspiciousOperation and gave up
            raise refused_invalid()
        return user

    def get_or_create_user(self, access_token, id_token, payload):
        self.check_id_token(payload)
        return super().get_or_create_user(access_token, id_token, payload)

    def check_id_token(self, payload):
        """What mozilla-django-oidc leaves out: the token is for us, from our provider, and
        expires."""
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token is not addressed to this client.")
        if payload.get("azp", self.OIDC_RP_CLIENT_ID) != self.OIDC_RP_CLIENT_ID:
            raise SuspiciousOperation("The ID token was issued to another party.")
        issuer = self.get_settings("LMS_OIDC_ISSUER")
        if issuer and payload.get("iss") != issuer:
            raise SuspiciousOperation("The ID token comes from another issuer.")
        if "exp" not in payload:
            raise SuspiciousOperation("The ID token does not expire.")

    def get_userinfo(self, access_token, id_token, payload):
        """The ID token's claims, with the userinfo answer's on top when there is an endpoint."""
        if not self.OIDC_OP_USER_ENDPOINT:
            return dict(payload)
        info = super().get_userinfo(access_token, id_token, payload)
        if not isinstance(info, dict) or info.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("The userinfo answer is about someone else.")
        return {**payload, **info}

    def verify_claims(self, claims):
        return bool(claims.get("sub"))

    def filter_users_by_claims(self, claims):
        """The roster's account for the employee number claimed; raises :class:`SignInRefused`
        for a blank, unknown or leaver's number."""
        number = claims.get(app_settings.LMS_OIDC_EMPLOYEE_NUMBER_CLAIM)
        user = user_for_employee_number(number)
        return self.UserModel.objects.filter(pk=user.pk)

    def create_user(self, claims):
        """Never: the roster is the source of truth."""
        raise SuspiciousOperation("CP-LMS never creates an account from the identity provider.")

    def get_user(self, user_id):
        """A leaver signed in before leaving is signed out on their next request."""
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None
