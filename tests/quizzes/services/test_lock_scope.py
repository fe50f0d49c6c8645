"""Learners of the same quiz do not wait for each other's locks (issue 13), on PostgreSQL with
real connections: a learner's open transaction holding its attempt's lock (as answering and
submitting take it) neither holds up another learner's answer nor their submit, and many
learners passing at once leave one record per attempt in an intact chain."""

import threading

import pytest
from django.db import connection, transaction

from lms.models import CompletionRecord
from lms.services import verify_chain
from quizzes import services
from quizzes.models import Attempt
from tests.concurrency import run_concurrently
from tests.factories import (
    UserFactory,
    choice_ids,
    make_category,
    make_item,
    make_org,
    make_plan,
    make_question,
    make_quiz,
    make_staff,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def quiz():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite locks the whole database")
    category = make_category()
    quiz = make_quiz([make_question(category), make_question(category, "truefalse")])
    make_item(make_plan(), "年度测试", quiz=quiz, everyone=True)
    return quiz


def learner(number, unit=None):
    user = UserFactory(username=f"4100{number:02d}")
    if unit is not None:
        make_staff(f"4100{number:02d}", unit, user=user)
    return user


def answered(user, quiz):
    attempt, _created = services.start_attempt(user, quiz)
    for entry in attempt.questions:
        services.save_answer(attempt, entry["id"], choice_ids(attempt, entry["id"]))
    return attempt


def test_an_open_transaction_on_one_attempt_does_not_hold_up_another_learner(quiz):
    first, second = answered(learner(1), quiz), answered(learner(2), quiz)
    locked, release, failures = threading.Event(), threading.Event(), []

    def hold_first_attempt():
        try:
            with transaction.atomic():
                # The lock an answer or a submit takes, kept until the other learner is done.
                Attempt.objects.select_for_update(of=("self",)).select_related("quiz").get(
                    pk=first.pk
                )
                services.save_answer(first, first.questions[0]["id"], [])
                locked.set()
                release.wait(timeout=30)
        except Exception as error:  # noqa: BLE001 - reported by the test
            failures.append(error)
            locked.set()
        finally:
            connection.close()

    holder = threading.Thread(target=hold_first_attempt)
    holder.start()
    try:
        assert locked.wait(timeout=10) and failures == []
        with connection.cursor() as cursor:
            # Waiting at all would be the bug: fail fast instead of queueing.
            cursor.execute("SET lock_timeout = '2s'")
        entry = second.questions[0]
        services.save_answer(second, entry["id"], choice_ids(second, entry["id"]))
        result = services.submit_attempt(second)
    finally:
        release.set()
        holder.join(timeout=30)
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")
    assert failures == []
    assert result.status == Attempt.FINAL and result.passed
    assert Attempt.objects.get(pk=first.pk).status == Attempt.IN_PROGRESS


def test_many_learners_passing_at_once_keep_one_record_each_and_the_chain_intact(quiz):
    unit = make_org()["LZ0101"]
    attempts = [answered(learner(10 + n, unit), quiz) for n in range(6)]
    queue = list(attempts)
    lock = threading.Lock()

    def submit_next():
        with lock:
            attempt = queue.pop()
        return services.submit_attempt(attempt).passed

    results, errors = run_concurrently(submit_next, count=len(attempts))
    assert errors == [] and results == [True] * len(attempts)
    per_attempt = CompletionRecord.objects.values_list("attempt_id", flat=True)
    assert sorted(per_attempt) == sorted(attempt.pk for attempt in attempts)
    report = verify_chain()
    assert report.ok, report.problems
    assert report.checked == len(attempts)
