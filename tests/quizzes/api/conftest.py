import pytest

from tests.api_support import final_check_quiz


@pytest.fixture
def quiz(db):
    return final_check_quiz()
