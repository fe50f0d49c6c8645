"""Classification questions through the learner API: codes with their dimension and tree
position but no key before final, one pick per dimension, and the review per dimension."""

import pytest

from quizzes.models import Answer
from tests.api_support import (
    API,
    answer_url,
    assert_error,
    assert_no_secrets,
    put_json,
    start,
    submit,
)
from tests.factories import code_ids, make_category, make_classify_question, make_quiz


@pytest.fixture
def drill(db):
    category = make_category("投诉分类练习")
    return make_quiz(
        [make_classify_question(category)], title="投诉分类练习", review_policy="always"
    )


@pytest.mark.django_db
def test_the_api_offers_the_codes_but_no_key_before_final(learner_client, drill):
    data = start(learner_client, drill)
    (question,) = data["questions"]
    assert question["type"] == "classify" and question["points"] == 3.0
    assert {c["dimension"] for c in question["choices"]} == {"A", "B", "C"}
    assert all(set(c) == {"id", "text", "dimension", "code", "depth"} for c in question["choices"])
    url = answer_url(data["id"], question["id"])
    saved = put_json(learner_client, url, {"choices": code_ids("A.1.1", "B.3.3")})
    assert saved.status_code == 200
    assert_no_secrets(saved)
    assert_no_secrets(learner_client.get(f"{API}/attempts/{data['id']}"))


@pytest.mark.django_db
def test_two_codes_of_one_dimension_are_refused(learner_client, drill):
    data = start(learner_client, drill)
    url = answer_url(data["id"], data["questions"][0]["id"])
    assert_error(put_json(learner_client, url, {"choices": code_ids("B.3.3", "B.3.1")}), 400)
    assert not Answer.objects.exists()


@pytest.mark.django_db
def test_the_review_gives_each_dimension_and_the_key(learner_client, drill):
    data = start(learner_client, drill)
    question_id = data["questions"][0]["id"]
    picks = code_ids("A.1.1", "B.3.1", "C.10")
    put_json(learner_client, answer_url(data["id"], question_id), {"choices": picks})
    result = submit(learner_client, data["id"])
    assert result["points"] == 2.0 and result["max_points"] == 3.0
    (item,) = result["review"]
    assert item["earned"] == 2.0 and item["correct"] is False
    key = code_ids("A.1.1", "B.3.3", "C.10")
    assert [
        (d["dimension"], d["chosen"], d["correct_choice"], d["correct_code"], d["right"])
        for d in item["dimensions"]
    ] == [
        ("A", picks[0], key[0], "A.1.1", True),
        ("B", picks[1], key[1], "B.3.3", False),
        ("C", picks[2], key[2], "C.10", True),
    ]
    assert {c["id"] for c in item["choices"] if c["correct"]} == set(key)
    assert all("dimension" in c for c in item["choices"])
