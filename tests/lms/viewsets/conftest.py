"""Fixtures of the training admin's tests: four people in the small bank of ``make_org`` (the
``org`` fixture of tests/lms), and clients logged in as the officer or a superuser."""

from datetime import date

import pytest

from tests.factories import UserFactory, make_position, make_staff


@pytest.fixture
def people(org):
    teller, manager = make_position("柜员"), make_position("网点负责人")
    return {
        "teller_cg": make_staff("000101", org["LZ0101"], teller, date(2020, 3, 1), name="李一"),
        "teller_dg": make_staff("000102", org["LZ0102"], teller, date(2021, 2, 1), name="王二"),
        "manager_cg": make_staff("000103", org["LZ0101"], manager, date(2015, 1, 1), name="赵三"),
        "teller_xz": make_staff("000201", org["LZ0201"], teller, date(2019, 5, 1), name="孙四"),
        "teller": teller,
        "manager": manager,
    }


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)
