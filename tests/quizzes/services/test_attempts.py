"""Attempt rules: snapshot, answers, scoring, limits, time, idempotent submission, marking."""

from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.utils import timezone

from quizzes import services
from quizzes.exceptions import (
    AnswerLocked,
    AttemptClosed,
    InvalidAnswer,
    NoAttemptsLeft,
    NotEnoughQuestions,
    QuizUnavailable,
    TimeUp,
)
from quizzes.models import Attempt, Question, Quiz
from quizzes.signals import attempt_finalized
from tests.factories import choice_ids, make_category, make_question, make_quiz


@pytest.fixture
def bank(db):
    category = make_category()
    return {
        "category": category,
        "single": make_question(category, "single"),
        "multiple": make_question(category, "multiple"),
        "truefalse": make_question(category, "truefalse"),
        "essay": make_question(category, "essay"),
    }


@pytest.fixture
def finalized():
    seen = []

    def receiver(sender, attempt, **kwargs):
        seen.append((attempt.pk, attempt.score, attempt.passed))

    attempt_finalized.connect(receiver)
    yield seen
    attempt_finalized.disconnect(receiver)


def answer_all_correctly(attempt):
    for entry in attempt.questions:
        if entry["type"] == Question.ESSAY:
            services.save_answer(attempt, entry["id"], text="先安抚客户，再按规定处理。")
        else:
            services.save_answer(attempt, entry["id"], choice_ids(attempt, entry["id"]))


@pytest.mark.django_db
def test_snapshot_freezes_text_choices_and_scoring(learner, bank, finalized):
    quiz = make_quiz([bank["single"], bank["truefalse"]])
    attempt, created = services.start_attempt(learner, quiz, confirmed=True)
    assert created and attempt.number == 1 and attempt.max_points == Decimal(2)
    single = bank["single"]
    right = choice_ids(attempt, single.pk)
    # The trainer edits the question afterwards: text and the correct choice change.
    single.stem = "改过的题干"
    for choice in single.choices.all():
        choice.is_correct = not choice.is_correct
        choice.save()
    assert attempt.question(single.pk)["stem"] == "single 题"
    services.save_answer(attempt, single.pk, right)
    services.save_answer(attempt, bank["truefalse"].pk, choice_ids(attempt, bank["truefalse"].pk))
    result = services.submit_attempt(attempt)
    assert (result.status, result.score, result.passed) == (Attempt.FINAL, Decimal("100.00"), True)
    assert finalized == [(attempt.pk, Decimal("100.00"), True)]


@pytest.mark.django_db
def test_public_questions_carry_no_answers(learner, bank):
    quiz = make_quiz([bank["single"], bank["multiple"], bank["truefalse"]])
    attempt, _created = services.start_attempt(learner, quiz, confirmed=True)
    text = repr(services.public_questions(attempt))
    for secret in ("correct", "feedback", "explanation", "的反馈"):
        assert secret not in text
    assert services.review_for(attempt) is None


@pytest.mark.django_db
def test_resume_returns_the_open_attempt(learner, bank):
    quiz = make_quiz([bank["single"]])
    first, created = services.start_attempt(learner, quiz, confirmed=True)
    again, created_again = services.start_attempt(learner, quiz, confirmed=True)
    assert created and not created_again and again.pk == first.pk


@pytest.mark.django_db
def test_max_attempts(learner, bank):
    quiz = make_quiz([bank["single"]], max_attempts=2)
    for _number in range(2):
        attempt, _created = services.start_attempt(learner, quiz, confirmed=True)
        services.submit_attempt(attempt)
    assert services.attempts_left(learner, quiz) == 0
    with pytest.raises(NoAttemptsLeft):
        services.start_attempt(learner, quiz, confirmed=True)


@pytest.mark.django_db
def test_draft_quiz_cannot_be_started(learner, bank):
    with pytest.raises(QuizUnavailable):
        services.start_attempt(learner, make_quiz([bank["single"]], is_draft=True))


@pytest.mark.django_db
def test_random_draw_takes_active_questions_from_category_and_subcategories(learner, db):
    parent = make_category("消保知识")
    child = make_category("消保知识/八项权利")
    other = make_category("反诈")
    ids = {make_question(parent).pk, make_question(child).pk, make_question(child).pk}
    make_question(child, status=Question.RETIRED)
    make_question(child, status=Question.DRAFT)
    make_question(other)
    quiz = make_quiz(draws=[(parent, 3)])
    attempt, _created = services.start_attempt(learner, quiz, confirmed=True)
    assert {q["id"] for q in attempt.questions} == ids
    with pytest.raises(NotEnoughQuestions):
        services.start_attempt(learner, make_quiz(draws=[(parent, 4)]))


@pytest.mark.django_db
def test_multiple_choice_all_or_nothing_and_partial_credit(learner, bank):
    category = bank["category"]
    choices = [("甲", True), ("乙", True), ("丙", False), ("丁", False)]
    strict = make_question(category, "multiple", choices=choices, points=2)
    partial = make_question(category, "multiple", choices=choices, points=2, partial_credit=True)
    quiz = make_quiz([strict, partial], pass_mark=60)
    attempt, _created = services.start_attempt(learner, quiz, confirmed=True)
    first_right = choice_ids(attempt, strict.pk)[:1]
    services.save_answer(attempt, strict.pk, first_right)
    services.save_answer(attempt, partial.pk, choice_ids(attempt, partial.pk)[:1])
    result = services.submit_attempt(attempt)
    assert result.points == Decimal("1.00")  # 0 for the strict one, half of 2 for the partial
    assert result.score == Decimal("25.00") and result.passed is False


@pytest.mark.django_db
def test_partial_credit_subtracts_wrong_choices_but_never_below_zero(learner, bank):
    choices = [("甲", True), ("乙", True), ("丙", False), ("丁", False)]
    question = make_question(bank["category"], "multiple", choices=choices, partial_credit=True)
    attempt, _created = services.start_attempt(learner, make_quiz([question]))
    wrong = choice_ids(attempt, question.pk, correct=False)
    services.save_answer(attempt, question.pk, wrong)
    assert services.submit_attempt(attempt).points == Decimal("0")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "payload,message",
    [
        ({"choice_ids": [999999]}, "不属于"),
        ({"choice_ids": "1"}, "列表"),
        ({"choice_ids": [True]}, "列表"),
        ({"text": "文字"}, "选项"),
    ],
)
def test_tampered_answers_are_refused_and_change_nothing(learner, bank, payload, message):
    attempt, _created = services.start_attempt(learner, make_quiz([bank["single"], bank["essay"]]))
    with pytest.raises(InvalidAnswer) as error:
        services.save_answer(attempt, bank["single"].pk, **payload)
    assert message in str(error.value.message)
    assert not attempt.answers.exists()


@pytest.mark.django_db
def test_choice_from_another_question_is_refused(learner, bank):
    attempt, _created = services.start_attempt(
        learner, make_quiz([bank["single"], bank["multiple"]])
    )
    foreign = choice_ids(attempt, bank["multiple"].pk)
    with pytest.raises(InvalidAnswer):
        services.save_answer(attempt, bank["single"].pk, foreign[:1])
    with pytest.raises(InvalidAnswer):
        services.save_answer(attempt, 424242, foreign[:1])
    with pytest.raises(InvalidAnswer):
        services.save_answer(
            attempt,
            bank["single"].pk,
            choice_ids(attempt, bank["single"].pk) * 2
            + choice_ids(attempt, bank["single"].pk, correct=False),
        )
    assert not attempt.answers.exists()


@pytest.mark.django_db
def test_submit_is_idempotent_and_answers_after_it_are_refused(learner, bank, finalized):
    attempt, _created = services.start_attempt(learner, make_quiz([bank["single"]]))
    first = services.submit_attempt(attempt, key="k1")
    second = services.submit_attempt(attempt, key="k2")
    assert first.pk == second.pk and first.score == second.score == Decimal("0.00")
    assert second.submit_key == "k1" and len(finalized) == 1
    with pytest.raises(AttemptClosed):
        services.save_answer(attempt, bank["single"].pk, choice_ids(attempt, bank["single"].pk))


@pytest.mark.django_db
def test_time_limit_is_enforced_by_the_server(learner, bank, finalized):
    quiz = make_quiz([bank["single"], bank["truefalse"]], time_limit_minutes=15)
    attempt, _created = services.start_attempt(learner, quiz, confirmed=True)
    assert attempt.deadline - attempt.started_at == timedelta(minutes=15)
    services.save_answer(attempt, bank["single"].pk, choice_ids(attempt, bank["single"].pk))
    # Past the deadline and the grace period (60 s by default) after it.
    late = attempt.deadline + timedelta(seconds=61)
    with mock.patch("django.utils.timezone.now", return_value=late), pytest.raises(TimeUp):
        services.save_answer(
            attempt, bank["truefalse"].pk, choice_ids(attempt, bank["truefalse"].pk)
        )
    attempt.refresh_from_db()
    assert attempt.status == Attempt.FINAL and attempt.timed_out
    assert attempt.score == Decimal("50.00")  # what was saved in time counts
    assert attempt.answers.count() == 1


@pytest.mark.django_db
def test_periodic_expiry_finalizes_abandoned_attempts(learner, bank):
    quiz = make_quiz([bank["single"]], time_limit_minutes=5)
    attempt, _created = services.start_attempt(learner, quiz, confirmed=True)
    assert services.expire_due_attempts() == 0
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(hours=1)):
        assert services.expire_due_attempts() == 1
    attempt.refresh_from_db()
    assert attempt.status == Attempt.FINAL and attempt.timed_out


@pytest.mark.django_db
def test_essays_wait_for_marking(learner, bank, finalized, admin_user):
    quiz = make_quiz([bank["single"], bank["essay"]], pass_mark=75)
    attempt, _created = services.start_attempt(learner, quiz, confirmed=True)
    answer_all_correctly(attempt)
    result = services.submit_attempt(attempt)
    assert result.status == Attempt.AWAITING_MARKING and result.score is None
    assert finalized == [] and services.review_for(result) is None
    essay = result.answers.get(question_id=bank["essay"].pk)
    with pytest.raises(InvalidAnswer):
        services.mark_answer(essay, "1.5", "", admin_user)
    services.mark_answer(essay, "0.5", "要点不全", admin_user)
    result.refresh_from_db()
    assert (result.status, result.score, result.passed) == (Attempt.FINAL, Decimal("75.00"), True)
    assert len(finalized) == 1
    with pytest.raises(AttemptClosed):
        services.mark_answer(essay, "1", "", admin_user)


@pytest.mark.django_db
def test_immediate_feedback_locks_the_answer(learner, bank):
    quiz = make_quiz([bank["single"]], feedback_mode=Quiz.FEEDBACK_IMMEDIATE)
    attempt, _created = services.start_attempt(learner, quiz, confirmed=True)
    wrong = choice_ids(attempt, bank["single"].pk, correct=False)[:1]
    answer = services.save_answer(attempt, bank["single"].pk, wrong)
    feedback = services.answer_feedback(attempt, answer)
    assert feedback["correct"] is False
    assert feedback["correct_choice_ids"] == choice_ids(attempt, bank["single"].pk)
    with pytest.raises(AnswerLocked):
        services.save_answer(attempt, bank["single"].pk, feedback["correct_choice_ids"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "policy,passed,visible",
    [
        (Quiz.REVIEW_ALWAYS, False, True),
        (Quiz.REVIEW_AFTER_PASS, False, False),
        (Quiz.REVIEW_AFTER_PASS, True, True),
        (Quiz.REVIEW_NEVER, True, False),
    ],
)
def test_review_policy(learner, bank, policy, passed, visible):
    attempt, _created = services.start_attempt(
        learner, make_quiz([bank["single"]], review_policy=policy)
    )
    if passed:
        answer_all_correctly(attempt)
    result = services.submit_attempt(attempt)
    review = services.review_for(result)
    assert (review is not None) == visible
    if visible:
        assert review[0]["explanation"] == bank["single"].explanation
        assert any(c["correct"] for c in review[0]["choices"])


@pytest.mark.django_db
def test_shuffles_keep_true_false_order(learner, bank):
    quiz = make_quiz(
        [bank["single"], bank["multiple"], bank["truefalse"]],
        shuffle_questions=True,
        shuffle_choices=True,
    )
    attempt, _created = services.start_attempt(learner, quiz, confirmed=True)
    tf = attempt.question(bank["truefalse"].pk)
    assert [c["text"] for c in tf["choices"]] == ["对", "错"]
    assert {q["id"] for q in attempt.questions} == {
        bank["single"].pk,
        bank["multiple"].pk,
        bank["truefalse"].pk,
    }
