"""An attempt's life: starting (or resuming) it, saving answers, submitting, time-outs.

Exam integrity rules live here and beside it: the paper is drawn and frozen at start
(``papers``) and that snapshot is the only thing marked (``marking``); the deadline is the
server's; correct answers leave only as ``review`` allows.
"""

from datetime import timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..exceptions import (
    AnswerLocked,
    AttemptClosed,
    InvalidAnswer,
    NoAttemptsLeft,
    QuizUnavailable,
    TimeUp,
)
from ..models import Answer, Attempt, Question, Quiz
from ..signals import attempt_starting
from .marking import finalize_attempt, grade
from .papers import draw_paper

MAX_TEXT_LENGTH = 5000


# --- Starting ------------------------------------------------------------------------------


def attempts_left(user, quiz):
    """How many more attempts ``user`` may start (``None`` = unlimited)."""
    if not quiz.max_attempts:
        return None
    return max(quiz.max_attempts - Attempt.objects.filter(quiz=quiz, user=user).count(), 0)


def start_attempt(user, quiz):
    """Start an attempt, or resume the learner's open one. Returns ``(attempt, created)``.

    Raises ``QuizUnavailable`` for a draft quiz, ``NoAttemptsLeft`` when the maximum is used,
    ``NotEnoughQuestions`` when the bank cannot fill the paper, ``StartRefused`` when a receiver
    of ``attempt_starting`` refuses (e.g. a course's lessons are not done yet).
    """
    if quiz.is_draft:
        raise QuizUnavailable
    for _try in range(3):
        current = Attempt.objects.filter(quiz=quiz, user=user, status=Attempt.IN_PROGRESS).first()
        if current is not None and not finalize_if_expired(current):
            return current, False
        attempt_starting.send(sender=Quiz, user=user, quiz=quiz)
        used = Attempt.objects.filter(quiz=quiz, user=user).count()
        if quiz.max_attempts and used >= quiz.max_attempts:
            # A concurrent start may have created the last attempt between the two reads above.
            current = Attempt.objects.filter(
                quiz=quiz, user=user, status=Attempt.IN_PROGRESS
            ).first()
            if current is not None and not finalize_if_expired(current):
                return current, False
            raise NoAttemptsLeft
        paper = draw_paper(quiz)
        now = timezone.now()
        deadline = (
            now + timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None
        )
        try:
            with transaction.atomic():
                attempt = Attempt.objects.create(
                    quiz=quiz,
                    user=user,
                    number=used + 1,
                    questions=paper,
                    started_at=now,
                    deadline=deadline,
                    max_points=sum(Decimal(q["points"]) for q in paper),
                )
            return attempt, True
        except IntegrityError:
            # A concurrent start of the same learner won the number (or the one open slot):
            # loop to resume that attempt, or to find that no attempt is left.
            continue
    raise NoAttemptsLeft


def get_attempt_for_user(user, attempt_id):
    """The learner's own attempt (``Attempt.DoesNotExist`` for anybody else's), finalized first
    if its time ran out."""
    attempt = Attempt.objects.select_related("quiz").get(pk=attempt_id, user=user)
    finalize_if_expired(attempt)
    return attempt


# --- Answering -----------------------------------------------------------------------------


def _clean_payload(entry, choice_ids, text):
    if entry["type"] == Question.ESSAY:
        if choice_ids:
            raise InvalidAnswer(_("This question takes a written answer, not choices."))
        if not isinstance(text, str):
            raise InvalidAnswer(_("Write your answer as text."))
        if "\x00" in text:
            raise InvalidAnswer(_("The text cannot contain NUL characters."))
        if len(text) > MAX_TEXT_LENGTH:
            raise InvalidAnswer(
                _("The answer is too long (at most %(max)d characters).") % {"max": MAX_TEXT_LENGTH}
            )
        return [], text.strip()
    if text:
        raise InvalidAnswer(_("This question takes choices, not text."))
    if not isinstance(choice_ids, list) or not all(
        isinstance(c, int) and not isinstance(c, bool) for c in choice_ids
    ):
        raise InvalidAnswer(_("Choices must be a list of choice ids."))
    valid = {c["id"] for c in entry["choices"]}
    picked = sorted(set(choice_ids))
    if not set(picked) <= valid:
        raise InvalidAnswer(_("A chosen option does not belong to this question."))
    if entry["type"] != Question.MULTIPLE and len(picked) > 1:
        raise InvalidAnswer(_("Choose only one option for this question."))
    return picked, ""


def save_answer(attempt, question_id, choice_ids=None, text=""):
    """Save (or change) the learner's answer to one question of an open attempt."""
    if finalize_if_expired(attempt):
        raise TimeUp
    if attempt.status != Attempt.IN_PROGRESS:
        raise AttemptClosed
    entry = attempt.question(question_id)
    if entry is None:
        raise InvalidAnswer(_("This question is not part of this attempt."))
    picked, text = _clean_payload(entry, choice_ids or [], text or "")
    expired = False
    with transaction.atomic():
        current = Attempt.objects.select_for_update().select_related("quiz").get(pk=attempt.pk)
        if current.status != Attempt.IN_PROGRESS:
            raise AttemptClosed
        if current.deadline and timezone.now() > current.deadline:
            expired = True
        else:
            answer, _created = Answer.objects.get_or_create(
                attempt=current, question_id=question_id
            )
            if answer.locked:
                raise AnswerLocked
            answer.choice_ids, answer.text = picked, text
            if (
                current.quiz.feedback_mode == Quiz.FEEDBACK_IMMEDIATE
                and entry["type"] != Question.ESSAY
            ):
                answer.points, answer.is_correct = grade(entry, picked)
                answer.locked = True
            answer.save()
    if expired:
        finalize_if_expired(attempt)
        raise TimeUp
    return answer


# --- Submitting and time-outs --------------------------------------------------------------


def submit_attempt(attempt, key="", timed_out=False):
    """Submit an open attempt: mark what can be marked automatically, then finalize it, or
    leave it awaiting marking when it has written answers. Idempotent: submitting again (or at
    the same time from another device) returns the same result."""
    with transaction.atomic():
        current = Attempt.objects.select_for_update().select_related("quiz").get(pk=attempt.pk)
        if current.status != Attempt.IN_PROGRESS:
            return current
        answers = {a.question_id: a for a in current.answers.all()}
        pending_essays = False
        for entry in current.questions:
            answer = answers.get(entry["id"])
            if answer is None:
                continue
            if entry["type"] == Question.ESSAY:
                if answer.text:
                    pending_essays = True
                else:
                    answer.points, answer.is_correct = Decimal(0), False
            elif not answer.locked:
                answer.points, answer.is_correct = grade(entry, answer.choice_ids)
        Answer.objects.bulk_update(answers.values(), ["points", "is_correct"])
        current.submitted_at = timezone.now()
        current.submit_key = (key or "")[:100]
        current.timed_out = timed_out
        if pending_essays:
            current.status = Attempt.AWAITING_MARKING
            current.save(update_fields=["status", "submitted_at", "submit_key", "timed_out"])
        else:
            finalize_attempt(current, answers.values())
    return current


def finalize_if_expired(attempt):
    """Submit ``attempt`` with its saved answers if its deadline has passed. True if it did."""
    if attempt.status != Attempt.IN_PROGRESS or not attempt.deadline:
        return False
    if timezone.now() <= attempt.deadline:
        return False
    fresh = submit_attempt(attempt, timed_out=True)
    attempt.refresh_from_db()
    return fresh.status != Attempt.IN_PROGRESS


def expire_due_attempts():
    """Finalize every open attempt whose deadline has passed; returns how many."""
    due = Attempt.objects.filter(status=Attempt.IN_PROGRESS, deadline__lt=timezone.now())
    return sum(1 for attempt in due.select_related("quiz") if finalize_if_expired(attempt))
