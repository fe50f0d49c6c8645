from datetime import date

import pytest

from lms.services import OFFICERS, TRAINERS, ensure_roles
from tests.factories import UserFactory, make_org, make_position, make_staff


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


@pytest.fixture
def org(db):
    return make_org()


@pytest.fixture
def positions(db):
    return {"柜员": make_position("柜员"), "网点负责人": make_position("网点负责人")}


@pytest.fixture
def staffed(org, positions):
    """Four people on the roster, as test_plans has them."""
    teller, manager = positions["柜员"], positions["网点负责人"]
    return {
        "000101": make_staff("000101", org["LZ0101"], teller, date(2020, 3, 1), name="张三"),
        "000102": make_staff("000102", org["LZ0102"], teller, date(2026, 2, 1), name="李四"),
        "000103": make_staff("000103", org["LZ0101"], manager, date(2015, 1, 1), name="王五"),
        "000201": make_staff("000201", org["LZ0201"], teller, date(2019, 5, 1), name="赵六"),
    }
