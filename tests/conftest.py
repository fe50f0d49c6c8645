import pytest

from courses.services.route_cache import routes
from tests.factories import UserFactory, make_catalog, make_course


@pytest.fixture(autouse=True)
def _fresh_route_cache():
    """Each test starts with this process's cached page routes empty: a test's content (and the
    generation it made) is rolled back after it, the process's memory is not."""
    routes.clear()
    yield
    routes.clear()


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
