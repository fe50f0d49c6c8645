import pytest

from tests.lms.identity.directory import start_directory
from tests.lms.identity.oidc_provider import OIDCProvider
from tests.lms.identity.support import directory_environ, provider_environ, turn_on


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
