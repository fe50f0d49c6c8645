"""Marking: a choice answer marked automatically from the snapshot, a written answer by a
trainer, and the attempt's final score once nothing is left to mark.

``finalize_attempt`` is the one place an attempt becomes final, so ``attempt_finalized`` is
sent exactly once per attempt whichever way it got there (submission, time-out, last mark).
"""

from contextlib import ExitStack
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail import hooks

from ..exceptions import AnswerLocked, AttemptClosed, InvalidAnswer
from ..models import Answer, Attempt, Question
from ..signals import attempt_finalized
from .classify import grade_classify

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def grade(entry, picked):
    """Points and correctness of a choice answer, from the snapshot entry."""
    if entry["type"] == Question.CLASSIFY:
        return grade_classify(entry, picked)
    points = Decimal(entry["points"])
    correct = {c["id"] for c in entry["choices"] if c["correct"]}
    chosen = set(picked)
    if entry["type"] == Question.MULTIPLE and entry.get("partial_credit"):
        right, wrong = len(chosen & correct), len(chosen - correct)
        share = max(Decimal(right - wrong) / Decimal(len(correct) or 1), Decimal(0))
        earned = (points * share).quantize(CENT, rounding=ROUND_HALF_UP)
        return earned, chosen == correct
    is_correct = bool(chosen) and chosen == correct
    return (points if is_correct else Decimal(0)), is_correct


def finalize_attempt(attempt, answers):
    """Score ``attempt`` from its marked ``answers``, make it final and send
    ``attempt_finalized``. Callers hold the attempt's row lock inside their transaction, so
    the signal's receivers write in that same transaction. Each ``finalizing_attempt`` hook
    returns a context manager the receivers run inside (all of them, whichever app connected
    them): e.g. lms chains the records they write last, in one go."""
    points = sum((a.points or Decimal(0) for a in answers), Decimal(0))
    if attempt.max_points:
        score = (points * HUNDRED / attempt.max_points).quantize(CENT, rounding=ROUND_HALF_UP)
    else:
        score = HUNDRED
    attempt.points, attempt.score = points, score
    attempt.passed = score >= attempt.quiz.pass_mark
    attempt.status = Attempt.FINAL
    attempt.finalized_at = timezone.now()
    attempt.save()
    with ExitStack() as around:
        for fn in hooks.get_hooks("finalizing_attempt"):
            around.enter_context(fn(attempt))
        attempt_finalized.send(sender=Attempt, attempt=attempt)


def mark_answer(answer, points, comment, marker):
    """A trainer's mark for a written answer. The attempt becomes final with its last mark."""
    with transaction.atomic():
        attempt = (
            Attempt.objects.select_for_update(of=("self",))
            .select_related("quiz")
            .get(pk=answer.attempt_id)
        )
        if attempt.status != Attempt.AWAITING_MARKING:
            raise AttemptClosed(_("This attempt is not awaiting marking."))
        answer = Answer.objects.select_for_update().get(pk=answer.pk)
        if answer.marked_at is not None:
            raise AnswerLocked(_("This answer has already been marked."))
        entry = attempt.question(answer.question_id)
        maximum = Decimal(entry["points"])
        try:
            points = Decimal(str(points)).quantize(CENT, rounding=ROUND_HALF_UP)
        except ArithmeticError as error:
            raise InvalidAnswer(_("Enter the points as a number.")) from error
        if not Decimal(0) <= points <= maximum:
            raise InvalidAnswer(
                _("Points must be between 0 and %(max)s.") % {"max": entry["points"]}
            )
        answer.points, answer.is_correct = points, points == maximum
        answer.marker_comment = (comment or "").strip()
        answer.marked_by, answer.marked_at = marker, timezone.now()
        answer.save()
        answers = list(attempt.answers.all())
        essay_ids = {q["id"] for q in attempt.questions if q["type"] == Question.ESSAY}
        if not any(a.question_id in essay_ids and a.text and a.marked_at is None for a in answers):
            finalize_attempt(attempt, answers)
    return answer
