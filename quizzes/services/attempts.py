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

from ..conf import app_settings
from ..exceptions import (
    AnswerLocked,
    AttemptClosed,
    ConfirmationRequired,
    InvalidAnswer,
    NoAttemptsLeft,
    QuizUnavailable,
    TimeUp,
)
from ..models import Answer, Attempt, Question, Quiz
from ..signals import attempt_starting
from .classify import clean_picks
from .marking import finalize_attempt, grade
from .overrides import check_window, rules_for, when
from .papers import draw_paper, seen_question_ids

MAX_TEXT_LENGTH = 5000


# --- Starting ------------------------------------------------------------------------------


def attempts_left(user, quiz, rules=None):
    """How many more attempts ``user`` may start (``None`` = unlimited), overrides included."""
    if not quiz.max_attempts:
        return None  # no override limits an unlimited quiz (extra attempts add to a limit)
    rules = rules or rules_for(user, quiz)
    if not rules.max_attempts:
        return None
    return max(rules.max_attempts - Attempt.objects.filter(quiz=quiz, user=user).count(), 0)


def needs_confirmation(quiz, rules):
    """A one-attempt or timed quiz (for this person) asks the learner to confirm its rules."""
    return quiz.max_attempts == 1 or bool(rules.time_limit_minutes)


def rules_text(quiz, rules, left):
    """The rules a learner confirms, in one paragraph (the API's 409 says them too)."""
    parts = [_("Pass mark: %(mark)d%%.") % {"mark": quiz.pass_mark}]
    if rules.time_limit_minutes:
        parts.append(
            _("Time limit: %(minutes)d minutes, counted from the start; it does not stop.")
            % {"minutes": rules.time_limit_minutes}
        )
    if left is not None:
        parts.append(_("Attempts left: %(left)d.") % {"left": left})
    if rules.closes_at:
        parts.append(_("Closes at %(closes)s.") % {"closes": when(rules.closes_at)})
    return " ".join(str(part) for part in parts)


def _deadline(rules, now):
    ends = [now + timedelta(minutes=rules.time_limit_minutes)] if rules.time_limit_minutes else []
    if rules.closes_at:
        ends.append(rules.closes_at)
    return min(ends, default=None)


def _open_attempt(user, quiz):
    current = Attempt.objects.filter(quiz=quiz, user=user, status=Attempt.IN_PROGRESS).first()
    if current is not None and not finalize_if_expired(current):
        return current
    return None


def start_attempt(user, quiz, *, confirmed=False):
    """Start an attempt, or resume the learner's open one. Returns ``(attempt, created)``.

    Raises ``QuizUnavailable`` for a draft or unpublished quiz, ``QuizClosed`` outside the
    person's window, ``StartRefused`` when a receiver of ``attempt_starting`` refuses (e.g. a
    course's lessons are not done yet), ``NoAttemptsLeft`` when the maximum is used,
    ``ConfirmationRequired`` for a one-attempt or timed quiz unless ``confirmed`` (the learner
    has seen its rules), ``NotEnoughQuestions`` when the bank cannot fill the paper. Resuming
    an open attempt needs none of that.
    """
    if not quiz.is_available:
        raise QuizUnavailable
    for _try in range(3):
        current = _open_attempt(user, quiz)
        if current is not None:
            return current, False
        rules = rules_for(user, quiz)
        check_window(rules)
        attempt_starting.send(sender=Quiz, user=user, quiz=quiz)
        used = Attempt.objects.filter(quiz=quiz, user=user).count()
        if rules.max_attempts and used >= rules.max_attempts:
            # A concurrent start may have created the last attempt between the two reads above.
            current = _open_attempt(user, quiz)
            if current is not None:
                return current, False
            raise NoAttemptsLeft
        if needs_confirmation(quiz, rules) and not confirmed:
            left = rules.max_attempts - used if rules.max_attempts else None
            raise ConfirmationRequired(
                _("Confirm the rules before starting. %(rules)s")
                % {"rules": rules_text(quiz, rules, left)}
            )
        paper = draw_paper(quiz, seen=seen_question_ids(user, quiz))
        now = timezone.now()
        try:
            with transaction.atomic():
                attempt = Attempt.objects.create(
                    quiz=quiz,
                    user=user,
                    number=used + 1,
                    questions=paper,
                    started_at=now,
                    deadline=_deadline(rules, now),
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


def broken_character_message():
    return _(
        "The text contains a broken character (half of an emoji or symbol) that cannot be "
        "saved. Delete it and type it again."
    )


def storable(text):
    """False for text with a lone UTF-16 surrogate (``"\\ud800"``, from a JSON escape), which
    no database can store as UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def clean_payload(entry, choice_ids, text):
    """The answer to the snapshot ``entry`` as stored: ``(sorted choice ids, text)``;
    ``InvalidAnswer`` when it does not fit the question."""
    if entry["type"] == Question.ESSAY:
        if choice_ids:
            raise InvalidAnswer(_("This question takes a written answer, not choices."))
        if not isinstance(text, str):
            raise InvalidAnswer(_("Write your answer as text."))
        if "\x00" in text:
            raise InvalidAnswer(_("The text cannot contain NUL characters."))
        if not storable(text):
            raise InvalidAnswer(broken_character_message())
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
    if entry["type"] == Question.CLASSIFY:
        return clean_picks(entry, choice_ids), ""
    valid = {c["id"] for c in entry["choices"]}
    picked = sorted(set(choice_ids))
    if not set(picked) <= valid:
        raise InvalidAnswer(_("A chosen option does not belong to this question."))
    if entry["type"] != Question.MULTIPLE and len(picked) > 1:
        raise InvalidAnswer(_("Choose only one option for this question."))
    return picked, ""


def grace():
    """How long after its deadline an attempt still accepts answers (a retried save)."""
    return timedelta(seconds=app_settings.LMS_QUIZ_ANSWER_GRACE_SECONDS)


def past_deadline(attempt, now=None):
    """True once the deadline has passed (answers are still taken during the grace period)."""
    return bool(attempt.deadline) and (now or timezone.now()) > attempt.deadline


def save_answer(attempt, question_id, choice_ids=None, text=""):
    """Save (or change) the learner's answer to one question of an open attempt, up to the
    grace period after its deadline (``LMS_QUIZ_ANSWER_GRACE_SECONDS``): a phone on a flaky
    network retries an answer it could not save in time. Refused after that."""
    if finalize_if_expired(attempt):
        raise TimeUp
    if attempt.status != Attempt.IN_PROGRESS:
        raise AttemptClosed
    entry = attempt.question(question_id)
    if entry is None:
        raise InvalidAnswer(_("This question is not part of this attempt."))
    picked, text = clean_payload(entry, choice_ids or [], text or "")
    expired = False
    with transaction.atomic():
        current = (
            Attempt.objects.select_for_update(of=("self",))
            .select_related("quiz")
            .get(pk=attempt.pk)
        )
        if current.status != Attempt.IN_PROGRESS:
            raise AttemptClosed
        if current.deadline and timezone.now() > current.deadline + grace():
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


def answered_count(attempt):
    """How many questions of the attempt have an answer (a choice or some text)."""
    answers = Answer.objects.filter(attempt=attempt).values_list("choice_ids", "text")
    return sum(1 for choice_ids, text in answers if choice_ids or text)


# --- Submitting and time-outs --------------------------------------------------------------


def submit_attempt(attempt, key="", timed_out=False, focus_submitted=False):
    """Submit an open attempt: mark what can be marked automatically, then finalize it, or
    leave it awaiting marking when it has written answers. Idempotent: submitting again (or at
    the same time from another device) returns the same result. Submitted after its deadline
    (during the grace period), it counts as ended by the time limit."""
    with transaction.atomic():
        return _submit_locked(
            _locked_attempt(Attempt.objects.all(), attempt.pk), key, timed_out, focus_submitted
        )


def submit_own_attempt(user, attempt_id, key=""):
    """``submit_attempt`` of ``user``'s own attempt ``attempt_id`` (``Attempt.DoesNotExist``
    for anybody else's), read once: under its lock. One whose deadline and grace period have
    passed is submitted as ``get_attempt_for_user`` then ``submit_attempt`` would: ended by the
    time limit, without ``key``."""
    with transaction.atomic():
        current = _locked_attempt(Attempt.objects.filter(user=user), attempt_id)
        if (
            current.status == Attempt.IN_PROGRESS
            and current.deadline
            and timezone.now() > current.deadline + grace()
        ):
            return _submit_locked(current, timed_out=True)
        return _submit_locked(current, key)


def _locked_attempt(attempts, attempt_id):
    # Only the attempt's row is locked (not its quiz, which every learner shares). The answers
    # stay prefetched, marked in place: the result and its review read them.
    return (
        attempts.select_for_update(of=("self",))
        .select_related("quiz", "user")
        .prefetch_related("answers")
        .get(pk=attempt_id)
    )


def _submit_locked(current, key="", timed_out=False, focus_submitted=False):
    """``submit_attempt`` of the attempt ``current``, read under its lock in this transaction."""
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
    current.timed_out = timed_out or past_deadline(current, current.submitted_at)
    current.focus_submitted = focus_submitted
    if pending_essays:
        current.status = Attempt.AWAITING_MARKING
        current.save(
            update_fields=[
                "status",
                "submitted_at",
                "submit_key",
                "timed_out",
                "focus_submitted",
            ]
        )
    else:
        finalize_attempt(current, answers.values())
    return current


def finalize_if_expired(attempt):
    """Submit ``attempt`` with its saved answers once its deadline and the grace period after
    it have passed. True if it did."""
    if attempt.status != Attempt.IN_PROGRESS or not attempt.deadline:
        return False
    if timezone.now() <= attempt.deadline + grace():
        return False
    fresh = submit_attempt(attempt, timed_out=True)
    attempt.refresh_from_db()
    return fresh.status != Attempt.IN_PROGRESS


def expire_due_attempts():
    """Finalize every open attempt whose deadline has passed; returns how many."""
    due = Attempt.objects.filter(status=Attempt.IN_PROGRESS, deadline__lt=timezone.now() - grace())
    return sum(1 for attempt in due.select_related("quiz") if finalize_if_expired(attempt))
