import pytest
from django.core.cache import cache

from config.settings.identity import identity_settings
from tests.lms.identity.oidc_provider import OIDCProvider


@pytest.fixture
def oidc_provider():
    with OIDCProvider() as provider:
        yield provider


def provider_environ(provider, **extra):
    """The environment a bank's operator would set for ``provider`` (README)."""
    return {
        "LMS_OIDC_CLIENT_ID": provider.client_id,
        "LMS_OIDC_CLIENT_SECRET": provider.client_secret,
        "LMS_OIDC_DISCOVERY_URL": provider.discovery_url,
        "LMS_OIDC_TIMEOUT": "5",
        **extra,
    }


def turn_on(settings, environ):
    """What ``config.settings.base`` does with ``environ`` as the site starts, and the OIDC pages
    mounted (``lms.site_urls`` decides that once, at start)."""
    for name, value in identity_settings(environ, settings.AUTHENTICATION_BACKENDS).items():
        setattr(settings, name, value)
    settings.ROOT_URLCONF = "tests.lms.identity.sso_urls"
    cache.clear()  # the discovery document of an earlier test's provider


@pytest.fixture
def oidc_on(settings, oidc_provider):
    turn_on(settings, provider_environ(oidc_provider))
    return oidc_provider
