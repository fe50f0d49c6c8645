"""The exam room's start rules: confirming a one-attempt or timed quiz, the window (opens /
closes), and per-person overrides (extra attempt, later closing time, longer time limit,
exemption) kept as evidence."""

from datetime import timedelta

import pytest
from django.utils import timezone

from quizzes import services
from quizzes.exceptions import ConfirmationRequired, NoAttemptsLeft, QuizClosed, QuizError
from quizzes.models import Attempt, QuizOverride
from quizzes.signals import override_granted, override_revoked
from tests.factories import UserFactory, make_category, make_question, make_quiz


@pytest.fixture
def question(db):
    return make_question(make_category())


@pytest.fixture
def granter(db):
    return UserFactory(username="trainer1")


@pytest.mark.django_db
def test_a_timed_quiz_starts_only_once_its_rules_are_confirmed(learner, question):
    quiz = make_quiz([question], time_limit_minutes=20, max_attempts=3, pass_mark=80)
    with pytest.raises(ConfirmationRequired) as refused:
        services.start_attempt(learner, quiz)
    message = str(refused.value.message)
    assert "80%" in message and "20" in message and "3" in message
    assert not Attempt.objects.exists()
    attempt, created = services.start_attempt(learner, quiz, confirmed=True)
    assert created and attempt.deadline - attempt.started_at == timedelta(minutes=20)
    # Resuming the open attempt needs no confirmation.
    assert services.start_attempt(learner, quiz) == (attempt, False)


@pytest.mark.django_db
def test_a_one_attempt_quiz_needs_confirmation_and_others_do_not(learner, question):
    once = make_quiz([question], max_attempts=1)
    with pytest.raises(ConfirmationRequired):
        services.start_attempt(learner, once)
    relaxed = make_quiz([question], max_attempts=2)
    _attempt, created = services.start_attempt(learner, relaxed)
    assert created


@pytest.mark.django_db
def test_refusals_come_before_the_confirmation(learner, question):
    quiz = make_quiz([question], max_attempts=1)
    attempt, _created = services.start_attempt(learner, quiz, confirmed=True)
    services.submit_attempt(attempt)
    with pytest.raises(NoAttemptsLeft):
        services.start_attempt(learner, quiz)


@pytest.mark.django_db
def test_starting_outside_the_window_is_refused_with_the_window(learner, question):
    now = timezone.now()
    later = make_quiz([question], opens_at=now + timedelta(days=1))
    with pytest.raises(QuizClosed) as refused:
        services.start_attempt(learner, later)
    assert services.window_text(services.rules_for(learner, later)) in str(refused.value.message)
    closed = make_quiz(
        [question], opens_at=now - timedelta(days=2), closes_at=now - timedelta(days=1)
    )
    with pytest.raises(QuizClosed) as refused:
        services.start_attempt(learner, closed)
    assert refused.value.status == 409
    assert timezone.localtime(closed.closes_at).strftime("%Y-%m-%d") in str(refused.value.message)
    assert not Attempt.objects.exists()


@pytest.mark.django_db
def test_an_attempt_ends_when_the_window_closes(learner, question):
    closes = timezone.now() + timedelta(minutes=10)
    quiz = make_quiz([question], time_limit_minutes=30, closes_at=closes)
    attempt, _created = services.start_attempt(learner, quiz, confirmed=True)
    assert attempt.deadline == closes


@pytest.mark.django_db
def test_overrides_apply_to_their_person_only(learner, question, granter):
    now = timezone.now()
    quiz = make_quiz(
        [question], max_attempts=1, time_limit_minutes=10, closes_at=now - timedelta(hours=1)
    )
    other = UserFactory(username="200002")
    services.grant_override(
        quiz, learner, granted_by=granter, reason="出差补考", closes_at=now + timedelta(days=1)
    )
    services.grant_override(
        quiz, learner, granted_by=granter, reason="视障延时", time_limit_minutes=25
    )
    services.grant_override(quiz, learner, granted_by=granter, reason="系统故障", extra_attempts=1)
    rules = services.rules_for(learner, quiz)
    assert (rules.max_attempts, rules.time_limit_minutes) == (2, 25)
    first, _created = services.start_attempt(learner, quiz, confirmed=True)
    assert first.deadline - first.started_at == timedelta(minutes=25)
    services.submit_attempt(first)
    second, created = services.start_attempt(learner, quiz, confirmed=True)
    assert created and second.number == 2
    with pytest.raises(QuizClosed):
        services.start_attempt(other, quiz, confirmed=True)


@pytest.mark.django_db
def test_an_exemption_is_visible_by_query_and_signal(learner, question, granter):
    quiz = make_quiz([question])
    seen = []

    def receiver(sender, override, **kwargs):
        seen.append((override.user_id, override.exempt, override.reason))

    override_granted.connect(receiver)
    try:
        override = services.grant_override(
            quiz, learner, granted_by=granter, reason="已取得同等资格证书", exempt=True
        )
    finally:
        override_granted.disconnect(receiver)
    assert seen == [(learner.pk, True, "已取得同等资格证书")]
    assert services.exempt_user_ids(quiz) == {learner.pk}
    assert services.is_exempt(learner, quiz)
    assert override.granted_by == granter and override.granted_at is not None


@pytest.mark.django_db
def test_revoking_keeps_the_grant_with_who_and_why(learner, question, granter):
    quiz = make_quiz([question])
    override = services.grant_override(
        quiz, learner, granted_by=granter, reason="误操作", exempt=True
    )
    revoked = []

    def receiver(sender, override, **kwargs):
        revoked.append(override.pk)

    override_revoked.connect(receiver)
    try:
        with pytest.raises(QuizError):
            services.revoke_override(override, revoked_by=granter, reason=" ")
        services.revoke_override(override, revoked_by=granter, reason="授予对象错误")
    finally:
        override_revoked.disconnect(receiver)
    assert revoked == [override.pk]
    override.refresh_from_db()
    assert override.revoked_by == granter and override.revoke_reason == "授予对象错误"
    assert override.reason == "误操作" and override.exempt  # the grant itself is unchanged
    assert not services.is_exempt(learner, quiz)
    assert QuizOverride.objects.count() == 1
    with pytest.raises(QuizError):
        services.revoke_override(override, revoked_by=granter, reason="再次撤销")


@pytest.mark.django_db
def test_an_empty_or_unexplained_grant_is_refused(learner, question, granter):
    quiz = make_quiz([question])
    with pytest.raises(QuizError):
        services.grant_override(quiz, learner, granted_by=granter, reason="没有内容")
    with pytest.raises(QuizError):
        services.grant_override(quiz, learner, granted_by=granter, reason="", extra_attempts=1)
    assert not QuizOverride.objects.exists()
