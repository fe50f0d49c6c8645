import pytest

from lms.services import OFFICERS, TRAINERS, ensure_roles
from tests.factories import UserFactory


@pytest.fixture
def roles(catalog):
    return ensure_roles(catalog)


@pytest.fixture
def trainer(roles):
    user = UserFactory(username="trainer")
    user.groups.add(roles[0])
    assert roles[0].name == TRAINERS
    return user


@pytest.fixture
def officer(roles):
    user = UserFactory(username="officer")
    user.groups.add(roles[1])
    assert roles[1].name == OFFICERS
    return user


@pytest.fixture
def team(officer, trainer):
    """The small bank of ``tests.lms.team_data`` with its standard progress."""
    from tests.lms import team_data

    data = team_data.build(officer, trainer)
    team_data.standard_progress(data)
    return data
