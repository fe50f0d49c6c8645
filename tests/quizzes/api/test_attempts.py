"""The attempts router of the learner API (quizzes.api.attempts): saving answers, tampered input
is a clear 4xx that changes nothing, essays, another learner's attempt, submitting (idempotent),
the review policy and immediate feedback — nothing secret before an attempt is final."""

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import translation

from quizzes.exceptions import AttemptClosed
from quizzes.models import Answer, Attempt, Quiz
from tests.api_support import (
    API,
    SECRET_KEYS,
    answer_all,
    answer_url,
    assert_error,
    assert_no_secrets,
    keys_of,
    put_json,
    start,
    submit,
)
from tests.factories import UserFactory, choice_ids, make_category, make_question, make_quiz


@pytest.mark.django_db
def test_changing_an_answer_keeps_one_record(learner_client, quiz):
    attempt = Attempt.objects.get(pk=start(learner_client, quiz)["id"])
    entry = next(q for q in attempt.questions if q["type"] == "multiple")
    url = answer_url(attempt.pk, entry["id"])
    ids = [c["id"] for c in entry["choices"]]
    assert put_json(learner_client, url, {"choices": ids[:1]}).status_code == 200
    response = put_json(learner_client, url, {"choices": [ids[2], ids[1]]})
    assert response.json()["answer"]["choices"] == sorted([ids[1], ids[2]])
    assert Answer.objects.get().choice_ids == sorted([ids[1], ids[2]])


def _single(attempt):
    return next(q for q in attempt.questions if q["type"] == "single")


def _other(attempt):
    return next(q for q in attempt.questions if q["type"] == "multiple")


def _choices_of(entry, count=1):
    return {"choices": [c["id"] for c in entry["choices"][:count]]}


TAMPERED = [
    # (name, question, body, status)
    ("choice of another question", _single, lambda a: _choices_of(_other(a)), 400),
    ("two choices for a single", _single, lambda a: _choices_of(_single(a), 2), 400),
    ("unknown choice", _single, lambda a: {"choices": [10**12]}, 400),
    ("text for a choice question", _single, lambda a: {"text": "甲"}, 400),
    ("unknown question", lambda a: {"id": 10**12}, lambda a: {"choices": [1]}, 400),
    ("choices not a list", _single, lambda a: {"choices": "1"}, 422),
    ("choices not ids", _single, lambda a: {"choices": ["甲"]}, 422),
    ("text not a string", _single, lambda a: {"text": 5}, 422),
    ("unknown field", _single, lambda a: {"choice": [1]}, 422),
    ("not an object", _single, lambda a: [1, 2], 422),
    ("empty body", _single, lambda a: "", 422),
    ("malformed JSON", _single, lambda a: '{"choices": [1,', 400),
    ("not UTF-8", _single, lambda a: b'{"text": "\xff"}', 400),
    ("NUL in the text", _single, lambda a: {"text": "a\x00b"}, 422),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "question, body, status", [t[1:] for t in TAMPERED], ids=[t[0] for t in TAMPERED]
)
def test_tampered_answers_are_4xx_and_change_nothing(learner_client, quiz, question, body, status):
    attempt = Attempt.objects.get(pk=start(learner_client, quiz)["id"])
    response = put_json(
        learner_client, answer_url(attempt.pk, question(attempt)["id"]), body(attempt)
    )
    assert_error(response, status)
    assert not Answer.objects.exists()


@pytest.mark.django_db
def test_validation_errors_say_which_field(learner_client, quiz):
    attempt = Attempt.objects.get(pk=start(learner_client, quiz)["id"])
    response = put_json(
        learner_client, answer_url(attempt.pk, _single(attempt)["id"]), {"choices": "x"}
    )
    detail = assert_error(response, 422)
    assert "choices" in detail
    assert response.json()["errors"][0]["loc"][-1] == "choices"


@pytest.fixture
def essay_quiz(db):
    category = make_category("消保知识/案例分析")
    return make_quiz([make_question(category, "essay")], title="案例分析")


@pytest.mark.django_db
def test_huge_text_is_400(learner_client, essay_quiz):
    attempt = Attempt.objects.get(pk=start(learner_client, essay_quiz)["id"])
    url = answer_url(attempt.pk, attempt.questions[0]["id"])
    assert_error(put_json(learner_client, url, {"text": "长" * 100_000}), 400)
    assert not Answer.objects.exists()


@pytest.mark.django_db
def test_body_over_the_upload_limit_is_413(learner_client, essay_quiz):
    attempt = Attempt.objects.get(pk=start(learner_client, essay_quiz)["id"])
    url = answer_url(attempt.pk, attempt.questions[0]["id"])
    body = {"text": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)}
    assert_error(put_json(learner_client, url, body), 413)
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024):
        assert_error(put_json(learner_client, url, {"text": "x" * 2048}), 413)
    assert not Answer.objects.exists()


@pytest.mark.django_db
def test_essay_is_awaiting_marking_after_submit(learner_client, essay_quiz):
    attempt = Attempt.objects.get(pk=start(learner_client, essay_quiz)["id"])
    url = answer_url(attempt.pk, attempt.questions[0]["id"])
    saved = put_json(learner_client, url, {"text": "先安抚客户，再登记投诉。"})
    assert saved.json()["answer"]["text"] == "先安抚客户，再登记投诉。"
    result = submit(learner_client, attempt.pk)
    assert result["status"] == "awaiting_marking"
    assert result["score"] is None and result["passed"] is None and result["review"] is None


@pytest.mark.django_db
def test_another_learners_attempt_is_404(client, learner_client, quiz):
    data = start(learner_client, quiz)
    attempt = Attempt.objects.get(pk=data["id"])
    entry = _single(attempt)
    client.force_login(UserFactory(username="300001"))
    assert_error(client.get(f"{API}/attempts/{attempt.pk}"), 404)
    assert_error(
        put_json(
            client,
            answer_url(attempt.pk, entry["id"]),
            {"choices": choice_ids(attempt, entry["id"])},
        ),
        404,
    )
    assert_error(client.post(f"{API}/attempts/{attempt.pk}/submit"), 404)
    attempt.refresh_from_db()
    assert attempt.is_open and not attempt.answers.exists()


@pytest.mark.django_db
def test_answering_a_final_attempt_is_409(learner_client, quiz):
    attempt = answer_all(learner_client, start(learner_client, quiz)["id"], correct=False)
    submit(learner_client, attempt.pk)
    before = list(Answer.objects.values_list("pk", "choice_ids", "points"))
    entry = _single(attempt)
    response = put_json(
        learner_client,
        answer_url(attempt.pk, entry["id"]),
        {"choices": choice_ids(attempt, entry["id"])},
    )
    detail = assert_error(response, 409)
    with translation.override(settings.LANGUAGE_CODE):
        assert detail == str(AttemptClosed.default_message)
    assert list(Answer.objects.values_list("pk", "choice_ids", "points")) == before


@pytest.mark.django_db
def test_submit_returns_the_result_with_review_and_is_idempotent(learner_client, quiz):
    attempt = answer_all(learner_client, start(learner_client, quiz)["id"])
    first = submit(learner_client, attempt.pk, HTTP_IDEMPOTENCY_KEY="phone-42-submit")
    assert first["status"] == "final" and first["score"] == 100.0 and first["passed"] is True
    assert len(first["review"]) == 3
    item = first["review"][0]
    entry = attempt.questions[0]
    assert item["id"] == entry["id"] and item["correct"] is True
    assert item["explanation"].endswith("解析")
    assert {c["id"] for c in item["choices"] if c["correct"]} == set(
        choice_ids(attempt, entry["id"])
    )

    again = learner_client.post(
        f"{API}/attempts/{attempt.pk}/submit", HTTP_IDEMPOTENCY_KEY="phone-42-submit"
    )
    assert again.status_code == 200 and again.json() == first
    other_key = submit(learner_client, attempt.pk, HTTP_IDEMPOTENCY_KEY="another")
    assert other_key == first
    attempt.refresh_from_db()
    assert attempt.submit_key == "phone-42-submit" and attempt.number == 1
    assert Attempt.objects.count() == 1
    assert learner_client.get(f"{API}/attempts/{attempt.pk}").json() == first


@pytest.mark.django_db
def test_bad_idempotency_key_is_422(learner_client, quiz):
    attempt_id = start(learner_client, quiz)["id"]
    response = learner_client.post(
        f"{API}/attempts/{attempt_id}/submit", HTTP_IDEMPOTENCY_KEY="k" * 101
    )
    assert_error(response, 422)
    assert Attempt.objects.get().is_open


@pytest.mark.django_db
@pytest.mark.parametrize(
    "policy, correct, shown",
    [
        (Quiz.REVIEW_ALWAYS, False, True),
        (Quiz.REVIEW_AFTER_PASS, True, True),
        (Quiz.REVIEW_AFTER_PASS, False, False),
        (Quiz.REVIEW_NEVER, True, False),
    ],
)
def test_review_follows_the_policy(learner_client, quiz, policy, correct, shown):
    quiz.review_policy = policy
    quiz.save()
    attempt = answer_all(learner_client, start(learner_client, quiz)["id"], correct=correct)
    result = submit(learner_client, attempt.pk)
    assert result["passed"] is correct
    got = learner_client.get(f"{API}/attempts/{attempt.pk}")
    assert got.json() == result
    if shown:
        assert result["review"] and SECRET_KEYS - {"correct_choice_ids"} <= keys_of(result)
    else:
        assert result["review"] is None
        assert_no_secrets(got)


@pytest.mark.django_db
def test_immediate_feedback_is_given_per_locked_answer(learner_client, quiz):
    quiz.feedback_mode = Quiz.FEEDBACK_IMMEDIATE
    quiz.save()
    attempt = Attempt.objects.get(pk=start(learner_client, quiz)["id"])
    entry = _single(attempt)
    url = answer_url(attempt.pk, entry["id"])
    response = put_json(learner_client, url, {"choices": choice_ids(attempt, entry["id"])})
    assert response.status_code == 200
    data = response.json()
    assert data["answer"]["locked"] is True
    assert data["feedback"]["correct"] is True
    assert data["feedback"]["correct_choice_ids"] == choice_ids(attempt, entry["id"])
    assert data["feedback"]["explanation"] == "单选解析"

    questions = learner_client.get(f"{API}/attempts/{attempt.pk}").json()["questions"]
    for question in questions:
        if question["id"] == entry["id"]:
            assert question["feedback"]["correct"] is True
        else:
            assert not keys_of(question) & SECRET_KEYS
    detail = assert_error(put_json(learner_client, url, {"choices": []}), 409)
    assert detail
