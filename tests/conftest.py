import pytest

from tests.factories import UserFactory, make_catalog, make_course


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
