"""The quizzes router of the learner API (quizzes.api.quizzes): the quiz detail, starting and
resuming an attempt with nothing secret in it, timed attempts, attempts used up, drafts."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone, translation

from quizzes.exceptions import NoAttemptsLeft
from quizzes.models import Attempt
from tests.api_support import (
    API,
    answer_url,
    assert_error,
    assert_no_secrets,
    put_json,
    start,
    submit,
)
from tests.factories import choice_ids


@pytest.mark.django_db
def test_quiz_detail(learner_client, quiz):
    data = learner_client.get(f"{API}/quizzes/{quiz.pk}").json()
    assert data["title"] == "结业测验" and data["attempts_left"] == 2
    assert data["attempts"] == [] and data["open_attempt_id"] is None
    attempt = start(learner_client, quiz)
    data = learner_client.get(f"{API}/quizzes/{quiz.pk}").json()
    assert data["open_attempt_id"] == attempt["id"] and data["attempts_left"] == 1
    assert_no_secrets(learner_client.get(f"{API}/quizzes/{quiz.pk}"))


@pytest.mark.django_db
def test_start_and_resume_show_no_secrets(learner_client, quiz):
    response = learner_client.post(f"{API}/quizzes/{quiz.pk}/attempts")
    assert response.status_code == 201
    assert_no_secrets(response)
    data = response.json()
    assert data["status"] == "in_progress" and data["deadline"] is None
    assert data["review"] is None and data["score"] is None and data["passed"] is None
    attempt = Attempt.objects.get(pk=data["id"])
    assert [q["id"] for q in data["questions"]] == [q["id"] for q in attempt.questions]
    for question in data["questions"]:
        assert question["answer"] is None
        assert question["choices"] and all(set(c) == {"id", "text"} for c in question["choices"])

    resumed = learner_client.post(f"{API}/quizzes/{quiz.pk}/attempts")
    assert resumed.status_code == 200 and resumed.json()["id"] == data["id"]
    assert_no_secrets(resumed)
    assert Attempt.objects.count() == 1

    entry = attempt.questions[0]
    saved = put_json(
        learner_client,
        answer_url(attempt.pk, entry["id"]),
        {"choices": choice_ids(attempt, entry["id"])},
    )
    assert saved.status_code == 200
    assert saved.json() == {
        "saved": True,
        "question_id": entry["id"],
        "answer": {"choices": choice_ids(attempt, entry["id"]), "text": "", "locked": False},
    }
    assert_no_secrets(saved)
    got = learner_client.get(f"{API}/attempts/{attempt.pk}")
    assert_no_secrets(got)
    assert got.json()["answered_count"] == 1


@pytest.mark.django_db
def test_timed_attempt_has_a_deadline_and_ends_when_time_is_up(learner_client, quiz):
    quiz.time_limit_minutes = 10
    quiz.save()
    data = start(learner_client, quiz, confirm=True)
    assert data["deadline"] is not None and 0 < data["seconds_left"] <= 600
    Attempt.objects.filter(pk=data["id"]).update(deadline=timezone.now() - timedelta(seconds=61))
    entry = Attempt.objects.get(pk=data["id"]).questions[0]
    assert_error(
        put_json(learner_client, answer_url(data["id"], entry["id"]), {"choices": []}), 409
    )
    data = learner_client.get(f"{API}/attempts/{data['id']}").json()
    assert data["status"] == "final" and data["timed_out"] is True


@pytest.mark.django_db
def test_an_attempt_submitted_after_its_grace_period_ends_by_the_time_limit(learner_client, quiz):
    """Read once under its lock, it is submitted as its time-out would have been: timed out,
    without the late request's idempotency key."""
    quiz.time_limit_minutes = 10
    quiz.save()
    data = start(learner_client, quiz, confirm=True)
    Attempt.objects.filter(pk=data["id"]).update(deadline=timezone.now() - timedelta(seconds=61))
    response = learner_client.post(
        f"{API}/attempts/{data['id']}/submit", headers={"Idempotency-Key": "late-1"}
    )
    assert response.status_code == 200
    assert response.json()["status"] == "final" and response.json()["timed_out"] is True
    attempt = Attempt.objects.get(pk=data["id"])
    assert attempt.is_final and attempt.timed_out and attempt.submit_key == ""


@pytest.mark.django_db
def test_no_attempts_left_is_409_with_a_message(learner_client, quiz):
    for _number in range(2):
        attempt = start(learner_client, quiz)
        submit(learner_client, attempt["id"])
    detail = assert_error(learner_client.post(f"{API}/quizzes/{quiz.pk}/attempts"), 409)
    with translation.override(settings.LANGUAGE_CODE):
        assert detail == str(NoAttemptsLeft.default_message)
    assert Attempt.objects.count() == 2

    learner_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    detail = assert_error(learner_client.post(f"{API}/quizzes/{quiz.pk}/attempts"), 409)
    assert detail == "You have used all your attempts for this quiz."


@pytest.mark.django_db
def test_draft_or_unknown_quiz_is_404(learner_client, quiz):
    quiz.is_draft = True
    quiz.save()
    assert_error(learner_client.get(f"{API}/quizzes/{quiz.pk}"), 404)
    assert_error(learner_client.post(f"{API}/quizzes/{quiz.pk}/attempts"), 404)
    assert_error(learner_client.post(f"{API}/quizzes/{quiz.pk + 1}/attempts"), 404)
    assert not Attempt.objects.exists()
