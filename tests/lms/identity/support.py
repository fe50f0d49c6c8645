"""Turning the bank's identity services on in a test, the way an operator's environment does."""

from django.core.cache import cache

from config.settings.identity import identity_settings
from tests.lms.identity.directory import STAFF_BASE


def provider_environ(provider, **extra):
    """The environment a bank's operator would set for the OIDC ``provider`` (README)."""
    return {
        "LMS_OIDC_CLIENT_ID": provider.client_id,
        "LMS_OIDC_CLIENT_SECRET": provider.client_secret,
        "LMS_OIDC_DISCOVERY_URL": provider.discovery_url,
        "LMS_OIDC_TIMEOUT": "5",
        **extra,
    }


def directory_environ(server, **extra):
    """The environment for the test directory ``server`` (a started slapd)."""
    return {
        "LMS_LDAP_SERVER_URI": server.ldap_uri,
        "LMS_LDAP_BIND_DN": server.root_dn,
        "LMS_LDAP_BIND_PASSWORD": server.root_pw,
        "LMS_LDAP_USER_SEARCH_BASE": STAFF_BASE,
        "LMS_LDAP_TIMEOUT": "3",
        **extra,
    }


def turn_on(settings, environ):
    """What ``config.settings.base`` does with ``environ`` as the site starts, and the OIDC pages
    mounted (``lms.site_urls`` decides that once, at start)."""
    for name, value in identity_settings(environ, settings.AUTHENTICATION_BACKENDS).items():
        setattr(settings, name, value)
    settings.ROOT_URLCONF = "tests.lms.identity.sso_urls"
    cache.clear()  # the discovery document of an earlier test's provider
