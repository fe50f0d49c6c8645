"""The exam room in the API: confirming a one-attempt or timed quiz, the window, the rules for
me, the focus-loss events, the grace period, and the mistake book with its practice rounds."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from quizzes import services
from quizzes.models import Attempt, AttemptEvent, PracticeRound, Quiz
from tests.api_support import API, answer_url, assert_error, assert_no_secrets, put_json, start
from tests.factories import UserFactory, choice_ids


def post_json(client, url, payload):
    return client.post(url, json.dumps(payload), content_type="application/json")


@pytest.mark.django_db
def test_a_timed_quiz_needs_confirm_true(learner_client, quiz):
    quiz.time_limit_minutes = 15
    quiz.save()
    info = learner_client.get(f"{API}/quizzes/{quiz.pk}").json()
    assert info["confirmation_required"] is True and info["time_limit_minutes"] == 15
    url = f"{API}/quizzes/{quiz.pk}/attempts"
    detail = assert_error(learner_client.post(url), 409)
    assert "15" in detail and "60%" in detail
    assert_error(post_json(learner_client, url, {"confirm": False}), 409)
    assert_error(post_json(learner_client, url, {"confirm": "yes please"}), 422)
    assert_error(post_json(learner_client, url, {"confirm": True, "other": 1}), 422)
    assert_error(learner_client.post(url, "{", content_type="application/json"), 400)
    assert not Attempt.objects.exists()
    created = post_json(learner_client, url, {"confirm": True})
    assert created.status_code == 201
    assert created.json()["accepts_answers_until"] is not None
    assert learner_client.post(url).status_code == 200  # resuming needs no confirmation


@pytest.mark.django_db
def test_a_quiz_needing_no_confirmation_starts_as_before(learner_client, quiz):
    assert learner_client.get(f"{API}/quizzes/{quiz.pk}").json()["confirmation_required"] is False
    assert start(learner_client, quiz)["status"] == "in_progress"


@pytest.mark.django_db
def test_the_openapi_description_documents_the_confirmation(client):
    schema = client.get(f"{API}/openapi.json").json()
    operation = schema["paths"]["/api/v1/quizzes/{quiz_id}/attempts"]["post"]
    assert '{"confirm": true}' in operation["description"]
    assert "confirm" in json.dumps(operation["requestBody"])


@pytest.mark.django_db
def test_starting_outside_the_window_is_409_with_the_window(learner_client, quiz):
    quiz.closes_at = timezone.now() - timedelta(hours=1)
    quiz.save()
    info = learner_client.get(f"{API}/quizzes/{quiz.pk}").json()
    assert info["open_now"] is False and info["closes_at"]
    detail = assert_error(learner_client.post(f"{API}/quizzes/{quiz.pk}/attempts"), 409)
    assert timezone.localtime(quiz.closes_at).strftime("%H:%M") in detail


@pytest.mark.django_db
def test_my_overrides_show_in_the_quiz(learner_client, learner, quiz):
    granter = UserFactory(username="trainer9")
    services.grant_override(quiz, learner, granted_by=granter, reason="补考", extra_attempts=1)
    services.grant_override(quiz, learner, granted_by=granter, reason="已持证", exempt=True)
    info = learner_client.get(f"{API}/quizzes/{quiz.pk}").json()
    assert info["max_attempts"] == 3 and info["attempts_left"] == 3
    assert info["exempt"] is True and info["exemption_reason"] == "已持证"


@pytest.mark.django_db
def test_leaving_the_page_is_posted_as_events(learner_client, quiz):
    quiz.focus_loss_limit = 2
    quiz.save()
    attempt = start(learner_client, quiz)
    url = f"{API}/attempts/{attempt['id']}/events"
    body = post_json(learner_client, url, {"kind": "hidden"}).json()
    assert body == {"focus_losses": 1, "status": "in_progress", "focus_submitted": False}
    assert_error(post_json(learner_client, url, {"kind": "copy"}), 422)
    body = post_json(learner_client, url, {"kind": "blur"}).json()
    assert body["status"] == "final" and body["focus_submitted"] is True
    assert_error(post_json(learner_client, url, {"kind": "hidden"}), 409)
    assert AttemptEvent.objects.count() == 2
    got = learner_client.get(f"{API}/attempts/{attempt['id']}").json()
    assert got["focus_losses"] == 2 and got["focus_submitted"] is True
    other = UserFactory(username="800008")
    learner_client.force_login(other)
    assert_error(post_json(learner_client, url, {"kind": "hidden"}), 404)


@pytest.mark.django_db
def test_an_answer_retried_within_the_grace_period_is_saved(learner_client, quiz):
    quiz.time_limit_minutes = 5
    quiz.save()
    data = start(learner_client, quiz, confirm=True)
    Attempt.objects.filter(pk=data["id"]).update(deadline=timezone.now() - timedelta(seconds=20))
    attempt = Attempt.objects.get(pk=data["id"])
    entry = attempt.questions[0]
    saved = put_json(
        learner_client,
        answer_url(attempt.pk, entry["id"]),
        {"choices": choice_ids(attempt, entry["id"])},
    )
    assert saved.status_code == 200
    got = learner_client.get(f"{API}/attempts/{attempt.pk}").json()
    assert got["status"] == "in_progress" and got["seconds_left"] == 0
    assert_no_secrets(learner_client.get(f"{API}/attempts/{attempt.pk}"))


def _fail_last_attempt(client, quiz):
    Quiz.objects.filter(pk=quiz.pk).update(max_attempts=1)
    quiz.refresh_from_db()
    attempt = start(client, quiz, confirm=True)
    client.post(f"{API}/attempts/{attempt['id']}/submit")
    return Attempt.objects.get(pk=attempt["id"])


@pytest.mark.django_db
def test_the_mistake_book_and_a_practice_round(learner_client, quiz):
    attempt = _fail_last_attempt(learner_client, quiz)
    book = learner_client.get(f"{API}/me/mistakes").json()
    assert book["count"] == 3 and book["held_back"] == 0
    item = book["categories"][0]["mistakes"][0]
    assert item["explanation"] and any(c["correct"] for c in item["choices"])
    assert learner_client.get(f"{API}/me/mistakes", {"category": "别的"}).json()["count"] == 0

    created = post_json(learner_client, f"{API}/me/mistakes/practice", {})
    assert created.status_code == 201
    practice = created.json()
    assert practice["review"] is None
    assert_no_secrets(created)
    answers = [
        {"question_id": q["id"], "choices": choice_ids(attempt, q["id"])}
        for q in practice["questions"]
    ]
    url = f"{API}/practice/{practice['id']}/submit"
    done = post_json(learner_client, url, {"answers": answers}).json()
    assert done["finished"] and done["correct_count"] == 3 and len(done["review"]) == 3
    assert learner_client.get(f"{API}/me/mistakes").json()["count"] == 0
    assert_error(post_json(learner_client, f"{API}/me/mistakes/practice", {}), 409)
    assert Attempt.objects.count() == 1 and PracticeRound.objects.count() == 1


@pytest.mark.django_db
def test_practice_input_is_checked(learner_client, quiz):
    _fail_last_attempt(learner_client, quiz)
    practice = post_json(learner_client, f"{API}/me/mistakes/practice", {}).json()
    url = f"{API}/practice/{practice['id']}/submit"
    assert_error(post_json(learner_client, url, {"answers": [{"question_id": 10**9}]}), 400)
    assert_error(post_json(learner_client, url, {"answers": "all"}), 422)
    question = practice["questions"][0]["id"]
    body = {"answers": [{"question_id": question, "choices": [10**9]}]}
    assert_error(post_json(learner_client, url, body), 400)
    assert_error(learner_client.get(f"{API}/practice/{10**9}"), 404)
    learner_client.force_login(UserFactory(username="900009"))
    assert_error(learner_client.get(f"{API}/practice/{practice['id']}"), 404)


@pytest.mark.django_db
def test_held_back_mistakes_carry_no_answers(learner_client, quiz):
    attempt = start(learner_client, quiz)  # two attempts, "when done": one left after a fail
    learner_client.post(f"{API}/attempts/{attempt['id']}/submit")
    response = learner_client.get(f"{API}/me/mistakes")
    assert response.json()["held_back"] == 3 and response.json()["categories"] == []
    assert_no_secrets(response)
