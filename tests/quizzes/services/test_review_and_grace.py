"""The "when done" review policy (the default) and the grace period for answers after the
deadline."""

from datetime import timedelta
from unittest import mock

import pytest
from django.test import override_settings

from quizzes import services
from quizzes.exceptions import TimeUp
from quizzes.models import Attempt, Quiz
from tests.factories import UserFactory, choice_ids, make_category, make_question, make_quiz


@pytest.fixture
def questions(db):
    category = make_category()
    return [make_question(category, "single"), make_question(category, "truefalse")]


def _fail(learner, quiz):
    attempt, _created = services.start_attempt(learner, quiz, confirmed=True)
    return services.submit_attempt(attempt)


@pytest.mark.django_db
def test_new_quizzes_review_when_done(questions):
    assert Quiz().review_policy == Quiz.REVIEW_WHEN_DONE
    assert make_quiz(questions).review_policy == Quiz.REVIEW_WHEN_DONE


@pytest.mark.django_db
def test_no_review_after_a_fail_with_attempts_left_but_after_the_last(learner, questions):
    quiz = make_quiz(questions, max_attempts=2)
    first = _fail(learner, quiz)
    assert first.passed is False and services.review_for(first) is None
    second = _fail(learner, quiz)
    assert services.review_for(second) is not None
    first.refresh_from_db()
    assert services.review_for(first) is not None  # no attempt left: every review opens


@pytest.mark.django_db
def test_a_pass_opens_the_review(learner, questions):
    quiz = make_quiz(questions, max_attempts=0)
    attempt, _created = services.start_attempt(learner, quiz)
    for entry in attempt.questions:
        services.save_answer(attempt, entry["id"], choice_ids(attempt, entry["id"]))
    attempt = services.submit_attempt(attempt)
    assert attempt.passed and services.review_for(attempt) is not None
    # Unlimited attempts and a fail: never shown.
    other = UserFactory(username="600006")
    assert services.review_for(_fail(other, quiz)) is None


@pytest.mark.django_db
def test_an_extra_attempt_closes_the_review_again(learner, questions):
    quiz = make_quiz(questions, max_attempts=1)
    attempt = _fail(learner, quiz)
    assert services.review_for(attempt) is not None
    services.grant_override(
        quiz, learner, granted_by=UserFactory(username="t1"), reason="补考", extra_attempts=1
    )
    assert services.review_for(attempt) is None


@pytest.mark.django_db
def test_existing_policies_keep_their_meaning(learner, questions):
    always = make_quiz(questions, max_attempts=3, review_policy=Quiz.REVIEW_ALWAYS)
    assert services.review_for(_fail(learner, always)) is not None
    never = make_quiz(questions, max_attempts=1, review_policy=Quiz.REVIEW_NEVER)
    assert services.review_for(_fail(learner, never)) is None


@pytest.mark.django_db
def test_an_answer_is_accepted_during_the_grace_period_and_refused_after(learner, questions):
    quiz = make_quiz(questions, time_limit_minutes=5)
    attempt, _created = services.start_attempt(learner, quiz, confirmed=True)
    first, second = attempt.questions
    late = attempt.deadline + timedelta(seconds=30)
    with mock.patch("django.utils.timezone.now", return_value=late):
        services.save_answer(attempt, first["id"], choice_ids(attempt, first["id"]))
        # Viewing the attempt meanwhile does not close it.
        assert not services.finalize_if_expired(attempt)
    too_late = attempt.deadline + timedelta(seconds=61)
    with mock.patch("django.utils.timezone.now", return_value=too_late), pytest.raises(TimeUp):
        services.save_answer(attempt, second["id"], choice_ids(attempt, second["id"]))
    attempt.refresh_from_db()
    assert attempt.status == Attempt.FINAL and attempt.timed_out
    assert attempt.answers.count() == 1 and attempt.score == 50


@pytest.mark.django_db
def test_submitting_during_the_grace_period_counts_as_timed_out(learner, questions):
    quiz = make_quiz(questions, time_limit_minutes=5)
    attempt, _created = services.start_attempt(learner, quiz, confirmed=True)
    with mock.patch(
        "django.utils.timezone.now", return_value=attempt.deadline + timedelta(seconds=10)
    ):
        attempt = services.submit_attempt(attempt)
    assert attempt.status == Attempt.FINAL and attempt.timed_out


@pytest.mark.django_db
@override_settings(LMS_QUIZ_ANSWER_GRACE_SECONDS=0)
def test_the_grace_period_is_a_setting(learner, questions):
    quiz = make_quiz(questions, time_limit_minutes=5)
    attempt, _created = services.start_attempt(learner, quiz, confirmed=True)
    entry = attempt.questions[0]
    with (
        mock.patch(
            "django.utils.timezone.now", return_value=attempt.deadline + timedelta(seconds=1)
        ),
        pytest.raises(TimeUp),
    ):
        services.save_answer(attempt, entry["id"], choice_ids(attempt, entry["id"]))
