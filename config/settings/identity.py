"""The bank's identity providers, from the environment (README: "Signing in with the bank's
identity"). Each is off unless its variable is set, and then nothing changes: no backend, no
button, no import of mozilla-django-oidc or django-auth-ldap.

``LMS_OIDC_CLIENT_ID`` turns on OpenID Connect (mozilla-django-oidc; the endpoints from
``LMS_OIDC_DISCOVERY_URL`` or given one by one), ``LMS_LDAP_SERVER_URI`` turns on LDAP / Active
Directory for the password form (django-auth-ldap, installed from ``requirements-ldap.txt``).
"""

from django.core.exceptions import ImproperlyConfigured

OIDC_BACKEND = "lms.services.identity.oidc.StaffOIDCBackend"
LDAP_BACKEND = "lms.services.identity.ldap.StaffLDAPBackend"

#: mozilla-django-oidc's endpoint settings and the environment variables that give them.
OIDC_ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "LMS_OIDC_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT": "LMS_OIDC_TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT": "LMS_OIDC_USERINFO_ENDPOINT",
    "OIDC_OP_JWKS_ENDPOINT": "LMS_OIDC_JWKS_ENDPOINT",
    "LMS_OIDC_ISSUER": "LMS_OIDC_ISSUER",
}


def _text(environ, name, default=""):
    return environ.get(name, default).strip()


def _flag(environ, name, default=False):
    value = environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def oidc_settings(environ):
    """mozilla-django-oidc's settings (and ours) when ``LMS_OIDC_CLIENT_ID`` is set, else ``{}``."""
    client_id = _text(environ, "LMS_OIDC_CLIENT_ID")
    if not client_id:
        return {}
    found = {
        "OIDC_RP_CLIENT_ID": client_id,
        "OIDC_RP_CLIENT_SECRET": _text(environ, "LMS_OIDC_CLIENT_SECRET"),
        "OIDC_RP_SIGN_ALGO": _text(environ, "LMS_OIDC_SIGN_ALGO", "RS256"),
        "OIDC_RP_SCOPES": _text(environ, "LMS_OIDC_SCOPES", "openid profile"),
        "LMS_OIDC_DISCOVERY_URL": _text(environ, "LMS_OIDC_DISCOVERY_URL"),
        "LMS_OIDC_EMPLOYEE_NUMBER_CLAIM": _text(
            environ, "LMS_OIDC_EMPLOYEE_NUMBER_CLAIM", "employee_number"
        ),
        # The callback is ours (lms.views.sso); accounts are never created from the provider.
        "OIDC_AUTHENTICATION_CALLBACK_URL": "lms_sso:oidc_callback",
        "OIDC_CREATE_USER": False,
        "OIDC_USE_PKCE": _flag(environ, "LMS_OIDC_USE_PKCE", True),
        "OIDC_TIMEOUT": int(_text(environ, "LMS_OIDC_TIMEOUT", "10")),
        # A CA bundle for a provider whose certificate the bank signs itself.
        "OIDC_VERIFY_SSL": _text(environ, "LMS_OIDC_CA_BUNDLE") or True,
    }
    for setting, variable in OIDC_ENDPOINTS.items():
        found[setting] = _text(environ, variable)
    if not found["LMS_OIDC_DISCOVERY_URL"]:
        needed = ["OIDC_OP_AUTHORIZATION_ENDPOINT", "OIDC_OP_TOKEN_ENDPOINT"]
        if found["OIDC_RP_SIGN_ALGO"].startswith(("RS", "ES")):
            needed.append("OIDC_OP_JWKS_ENDPOINT")
        missing = [OIDC_ENDPOINTS[name] for name in needed if not found[name]]
        if missing:
            raise ImproperlyConfigured(
                "LMS_OIDC_CLIENT_ID is set: set LMS_OIDC_DISCOVERY_URL, or " + ", ".join(missing)
            )
    return found


def ldap_settings(environ):
    """django-auth-ldap's settings (prefix ``LMS_LDAP_``) when ``LMS_LDAP_SERVER_URI`` is set."""
    uri = _text(environ, "LMS_LDAP_SERVER_URI")
    if not uri:
        return {}
    base = _text(environ, "LMS_LDAP_USER_SEARCH_BASE")
    if not base:
        raise ImproperlyConfigured("LMS_LDAP_SERVER_URI is set: set LMS_LDAP_USER_SEARCH_BASE too.")
    return {
        "LMS_LDAP_SERVER_URI": uri,
        "LMS_LDAP_BIND_DN": _text(environ, "LMS_LDAP_BIND_DN"),
        "LMS_LDAP_BIND_PASSWORD": environ.get("LMS_LDAP_BIND_PASSWORD", ""),
        "LMS_LDAP_USER_SEARCH_BASE": base,
        "LMS_LDAP_USER_SEARCH_FILTER": _text(
            environ, "LMS_LDAP_USER_SEARCH_FILTER", "(employeeNumber=%(user)s)"
        ),
        "LMS_LDAP_EMPLOYEE_NUMBER_ATTR": _text(
            environ, "LMS_LDAP_EMPLOYEE_NUMBER_ATTR", "employeeNumber"
        ),
        "LMS_LDAP_START_TLS": _flag(environ, "LMS_LDAP_START_TLS"),
        "LMS_LDAP_CA_CERT_FILE": _text(environ, "LMS_LDAP_CA_CERT_FILE"),
        "LMS_LDAP_TIMEOUT": int(_text(environ, "LMS_LDAP_TIMEOUT", "10")),
    }


def identity_settings(environ, backends):
    """Every identity setting the environment asks for, with ``AUTHENTICATION_BACKENDS`` made
    from ``backends`` (django-axes' backend stays first: it refuses locked numbers)."""
    found = {**oidc_settings(environ), **ldap_settings(environ)}
    label = _text(environ, "LMS_SSO_LOGIN_LABEL")
    if label:
        found["LMS_SSO_LOGIN_LABEL"] = label
    added = []
    if "OIDC_RP_CLIENT_ID" in found:
        added.append(OIDC_BACKEND)
    if "LMS_LDAP_SERVER_URI" in found:
        added.append(LDAP_BACKEND)
    found["AUTHENTICATION_BACKENDS"] = [*backends[:1], *added, *backends[1:]]
    return found
