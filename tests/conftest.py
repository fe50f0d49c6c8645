import pytest
from django.conf import settings
from django.utils import translation

from courses.services.route_cache import routes
from tests.factories import UserFactory, make_catalog, make_course


@pytest.fixture(autouse=True)
def _fresh_route_cache():
    """Each test starts with this process's cached page routes empty: a test's content (and the
    generation it made) is rolled back after it, the process's memory is not."""
    routes.clear()
    yield
    routes.clear()


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's language (zh-hans): a request an earlier test made in
    English leaves English active in the thread (the locale middleware does not put it back),
    and a command or a lazy message would then follow it."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def catalog(db):
    return make_catalog()


@pytest.fixture
def course(catalog):
    return make_course(catalog, title="销售过程消保", slug="sales", lessons=3)


@pytest.fixture
def learner(db):
    return UserFactory(username="100001")


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client
