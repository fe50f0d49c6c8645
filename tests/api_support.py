"""Helpers shared by the learner API tests (tests/courses/api, tests/quizzes/api, tests/lms/api):
the API prefix, JSON requests, error and secret checks, and the quiz walk-through."""

import json

from django.middleware.csrf import get_token
from django.test import RequestFactory

from quizzes.models import Attempt
from tests.factories import choice_ids, make_category, make_question, make_quiz

API = "/api/v1"
SECRET_KEYS = {"correct", "correct_choice_ids", "feedback", "explanation"}
# The explanations and choice feedback the factories write.
SECRET_TEXTS = ("解析", "的反馈")


def keys_of(data):
    """Every key of every object nested in ``data``."""
    if isinstance(data, dict):
        keys = set(data)
        for value in data.values():
            keys |= keys_of(value)
        return keys
    if isinstance(data, list):
        return set().union(*(keys_of(item) for item in data)) if data else set()
    return set()


def assert_no_secrets(response):
    data = response.json()
    assert not keys_of(data) & SECRET_KEYS, keys_of(data) & SECRET_KEYS
    text = json.dumps(data, ensure_ascii=False)
    for secret in SECRET_TEXTS:
        assert secret not in text


def put_json(client, url, payload, **extra):
    body = payload if isinstance(payload, str | bytes) else json.dumps(payload)
    return client.put(url, body, content_type="application/json", **extra)


def answer_url(attempt_id, question_id):
    return f"{API}/attempts/{attempt_id}/answers/{question_id}"


def assert_error(response, status):
    assert response.status_code == status, response.content
    detail = response.json()["detail"]
    assert isinstance(detail, str) and detail.strip()
    return detail


def final_check_quiz():
    """The three-question final check (结业测验) the API tests answer: one single, one multiple
    and one true/false question, each with an explanation; pass mark 60, two attempts."""
    category = make_category()
    questions = [
        make_question(category, "single", explanation="单选解析"),
        make_question(category, "multiple", explanation="多选解析"),
        make_question(category, "truefalse", explanation="判断解析"),
    ]
    return make_quiz(questions, title="结业测验", pass_mark=60, max_attempts=2)


def start(client, quiz, status=201, confirm=False):
    """Start (or resume) an attempt; ``confirm`` sends ``{"confirm": true}`` (a one-attempt or
    timed quiz needs it)."""
    url = f"{API}/quizzes/{quiz.pk}/attempts"
    if confirm:
        response = client.post(url, {"confirm": True}, content_type="application/json")
    else:
        response = client.post(url)
    assert response.status_code == status, response.content
    return response.json()


def answer_all(client, attempt_id, correct=True):
    attempt = Attempt.objects.get(pk=attempt_id)
    for entry in attempt.questions:
        response = put_json(
            client,
            answer_url(attempt_id, entry["id"]),
            {"choices": choice_ids(attempt, entry["id"], correct=correct)[: 3 if correct else 1]},
        )
        assert response.status_code == 200, response.content
    return attempt


def submit(client, attempt_id, **headers):
    response = client.post(f"{API}/attempts/{attempt_id}/submit", **headers)
    assert response.status_code == 200, response.content
    return response.json()


def csrf_pair():
    """A CSRF cookie value and a matching header token, as a browser would hold them."""
    request = RequestFactory().get("/")
    token = get_token(request)
    return request.META["CSRF_COOKIE"], token
