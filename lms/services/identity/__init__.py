"""Who is signing in. The bank's identity providers (OIDC, LDAP/AD, 企业微信) and the first-login
activation all end in :func:`user_for_employee_number`: the roster is the source of truth, so a
person is matched to the account the roster import made (by employee number), no second account is
ever created, and a leaver cannot sign in whatever the provider says.

The backends (``oidc.StaffOIDCBackend``, ``ldap.StaffLDAPBackend``) are not imported here: each
needs its library only when the site turns it on (``providers``)."""

from lms.services.identity.matching import SignInRefused, user_for_employee_number
from lms.services.identity.providers import (
    ldap_enabled,
    note_refusal,
    noted_refusal,
    oidc_enabled,
    sign_in_buttons,
)

__all__ = [
    "SignInRefused",
    "ldap_enabled",
    "note_refusal",
    "noted_refusal",
    "oidc_enabled",
    "sign_in_buttons",
    "user_for_employee_number",
]
