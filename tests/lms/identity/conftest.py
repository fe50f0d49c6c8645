import pytest
from django.core.cache import cache

from tests.lms.identity.directory import start_directory
from tests.lms.identity.oidc_provider import OIDCProvider
from tests.lms.identity.support import directory_environ, provider_environ, turn_on
from tests.lms.identity.wecom_fake import AGENT_ID, CORP_ID, SECRET, FakeWeCom


@pytest.fixture
def fake_wecom(settings):
    """A running fake WeCom server, and the site configured to use it (token cache cleared)."""
    fake = FakeWeCom().start()
    settings.LMS_WECOM_CORP_ID = CORP_ID
    settings.LMS_WECOM_AGENT_ID = AGENT_ID
    settings.LMS_WECOM_SECRET = SECRET
    settings.LMS_WECOM_API_BASE = fake.url
    settings.LMS_WECOM_OAUTH_BASE = fake.url
    cache.clear()
    yield fake
    fake.stop()
    cache.clear()


@pytest.fixture
def oidc_provider():
    """The bank's OpenID Connect provider stand-in, running."""
    with OIDCProvider() as provider:
        yield provider


@pytest.fixture
def oidc_on(settings, oidc_provider):
    turn_on(settings, provider_environ(oidc_provider))
    return oidc_provider


@pytest.fixture(scope="session")
def directory():
    """A real slapd with the staff of ``tests.lms.identity.directory.PEOPLE``."""
    server = start_directory()
    yield server
    server.stop()


@pytest.fixture
def ldap_on(settings, directory):
    turn_on(settings, directory_environ(directory))
    return directory
