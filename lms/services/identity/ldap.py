"""Signing in with the bank's directory (LDAP / Active Directory, django-auth-ldap) through the
ordinary login form.

What the person types as "employee number" is looked up with ``LMS_LDAP_USER_SEARCH_FILTER``
under ``LMS_LDAP_USER_SEARCH_BASE`` (by default ``(employeeNumber=%(user)s)``; an AD that signs in
by login name uses ``(sAMAccountName=%(user)s)``), bound to with the password typed, and the
entry's ``LMS_LDAP_EMPLOYEE_NUMBER_ATTR`` (``employeeNumber``) is matched to the roster by
:func:`user_for_employee_number`. The directory never creates or changes an account: a person it
knows but the roster does not, or a leaver, is refused with the reason on the login form (only
after the directory accepted their password, so the form tells a stranger nothing).

django-auth-ldap and python-ldap are not in requirements.txt (python-ldap builds against
OpenLDAP's headers): ``pip install -r requirements-ldap.txt`` where LDAP is used.
"""

import logging

import ldap
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django_auth_ldap.backend import LDAPBackend, ldap_error
from django_auth_ldap.config import LDAPSearch, LDAPSettings

from lms.conf import app_settings
from lms.services.identity.matching import SignInRefused, user_for_employee_number
from lms.services.identity.providers import note_refusal

logger = logging.getLogger(__name__)


class StaffLDAPBackend(LDAPBackend):
    """django-auth-ldap's backend reading ``LMS_LDAP_*`` settings, matching to the roster."""

    settings_prefix = "LMS_LDAP_"

    @property
    def settings(self):
        if self._settings is None:
            found = LDAPSettings(self.settings_prefix, self.default_settings)
            found.USER_SEARCH = LDAPSearch(
                settings.LMS_LDAP_USER_SEARCH_BASE,
                ldap.SCOPE_SUBTREE,
                app_settings.LMS_LDAP_USER_SEARCH_FILTER,
            )
            timeout = app_settings.LMS_LDAP_TIMEOUT
            options = {
                ldap.OPT_NETWORK_TIMEOUT: timeout,
                ldap.OPT_TIMEOUT: timeout,
                # Active Directory answers searches at the domain root with referrals that
                # python-ldap would chase anonymously.
                ldap.OPT_REFERRALS: 0,
            }
            if app_settings.LMS_LDAP_CA_CERT_FILE:
                options[ldap.OPT_X_TLS_CACERTFILE] = app_settings.LMS_LDAP_CA_CERT_FILE
                options[ldap.OPT_X_TLS_NEWCTX] = 0
            found.CONNECTION_OPTIONS = {**options, **found.CONNECTION_OPTIONS}
            # The roster is the source of truth: the directory neither creates nor edits users.
            found.ALWAYS_UPDATE_USER = False
            found.NO_NEW_USERS = True
            self._settings = found
        return self._settings

    @settings.setter
    def settings(self, value):
        self._settings = value

    def authenticate(self, request, username=None, password=None, **kwargs):
        """The roster's user when the directory accepts the password; None when it does not
        (the next backend may know a local account). A refusal by the roster stops here: the
        reason is noted for the login form and no other backend is asked."""
        try:
            return super().authenticate(request, username=username, password=password, **kwargs)
        except SignInRefused as refused:
            logger.info("LDAP sign-in of %r refused (%s)", username, refused.reason)
            note_refusal(request, refused)
            raise PermissionDenied(refused.message) from refused

    def get_or_build_user(self, username, ldap_user):
        """``(user, False)``: the roster's account for the entry's employee number. Raises
        :class:`SignInRefused` (blank, unknown, leaver); never builds a user."""
        values = (ldap_user.attrs or {}).get(app_settings.LMS_LDAP_EMPLOYEE_NUMBER_ATTR) or [""]
        return user_for_employee_number(values[0]), False

    def get_user(self, user_id):
        """A leaver signed in before leaving is signed out on their next request."""
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None


def directory_unreachable(sender, context, user, request, exception, **kwargs):
    """The directory failed (down, timed out, the service account refused), not the person:
    the login form says so instead of "wrong password"."""
    logger.warning("LDAP error %s: %s", context, exception)
    note_refusal(
        request,
        SignInRefused(
            _(
                "The bank's directory cannot be reached just now, so your password could not be "
                "checked. Please try again in a few minutes."
            ),
            reason="unavailable",
        ),
    )


ldap_error.connect(directory_unreachable, sender=StaffLDAPBackend, dispatch_uid="lms-ldap-error")
