"""Exam integrity under concurrency, with real threads and connections (SQLite WAL and
PostgreSQL): simultaneous starts never exceed max attempts; simultaneous submits give one
result and one signal."""

import threading

import pytest

from quizzes import services
from quizzes.exceptions import NoAttemptsLeft
from quizzes.models import Attempt
from quizzes.signals import attempt_finalized
from tests.concurrency import run_concurrently
from tests.factories import UserFactory, choice_ids, make_category, make_question, make_quiz

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def quiz():
    category = make_category()
    return make_quiz(
        [make_question(category), make_question(category, "truefalse")], max_attempts=1
    )


def test_simultaneous_starts_make_one_attempt_when_one_is_left(quiz):
    learner = UserFactory(username="400001")
    results, errors = run_concurrently(
        lambda: services.start_attempt(learner, quiz, confirmed=True)
    )
    assert errors == []
    assert {attempt.pk for attempt, _created in results} == {Attempt.objects.get().pk}
    assert sum(1 for _attempt, created in results if created) == 1


def test_simultaneous_starts_after_the_last_attempt_are_all_refused(quiz):
    learner = UserFactory(username="400002")
    attempt, _created = services.start_attempt(learner, quiz, confirmed=True)
    services.submit_attempt(attempt)
    results, errors = run_concurrently(
        lambda: services.start_attempt(learner, quiz, confirmed=True)
    )
    assert results == [] and len(errors) == 6
    assert all(isinstance(error, NoAttemptsLeft) for error in errors)
    assert Attempt.objects.filter(user=learner).count() == 1


def test_simultaneous_submits_give_one_result_and_one_signal(quiz):
    learner = UserFactory(username="400003")
    attempt, _created = services.start_attempt(learner, quiz, confirmed=True)
    for entry in attempt.questions:
        services.save_answer(attempt, entry["id"], choice_ids(attempt, entry["id"]))
    seen = []
    lock = threading.Lock()

    def receiver(sender, attempt, **kwargs):
        with lock:
            seen.append(attempt.pk)

    attempt_finalized.connect(receiver)
    try:
        results, errors = run_concurrently(lambda: services.submit_attempt(attempt, key="same"))
    finally:
        attempt_finalized.disconnect(receiver)
    assert errors == []
    assert {(r.status, str(r.score), r.passed) for r in results} == {("final", "100.00", True)}
    assert seen == [attempt.pk]
