"""Starting, answering, submitting and marking attempts.

Exam integrity rules live here: the snapshot frozen at start is the only thing marked; the
deadline is the server's; correct answers leave only through ``review_for`` (after the attempt
is final, as the quiz's review policy allows) or ``answer_feedback`` (practice quizzes with
feedback after each question, where the answer is then locked).
"""

import random
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..exceptions import (
    AnswerLocked,
    AttemptClosed,
    InvalidAnswer,
    NoAttemptsLeft,
    NotEnoughQuestions,
    QuizUnavailable,
    TimeUp,
)
from ..models import Answer, Attempt, Question, Quiz
from ..signals import attempt_finalized

MAX_TEXT_LENGTH = 5000
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


# --- Drawing the paper ----------------------------------------------------------------------


def _snapshot(question, shuffle_choices, rng):
    choices = [
        {"id": c.pk, "text": c.text, "correct": c.is_correct, "feedback": c.feedback}
        for c in question.choices.all()
    ]
    if shuffle_choices and question.type != Question.TRUE_FALSE:
        rng.shuffle(choices)
    return {
        "id": question.pk,
        "type": question.type,
        "stem": question.stem,
        "figure_id": question.figure_id,
        "points": str(question.points),
        "partial_credit": question.partial_credit,
        "explanation": question.explanation,
        "category_id": question.category_id,
        "category": question.category.full_name,
        "difficulty": question.difficulty,
        "choices": choices,
    }


def draw_paper(quiz, rng=None):
    """The questions of a new attempt as snapshot entries. Queries: one per draw rule plus a
    constant few, whatever the size of the bank."""
    rng = rng or random.SystemRandom()
    fixed_ids = list(
        quiz.fixed_questions.filter(question__status=Question.ACTIVE)
        .order_by("sort_order")
        .values_list("question_id", flat=True)
    )
    chosen = set(fixed_ids)
    drawn_ids = []
    for rule in quiz.draw_rules.select_related("category").order_by("sort_order"):
        categories = (
            rule.category.descendant_ids() if rule.include_subcategories else [rule.category_id]
        )
        pool = Question.objects.filter(status=Question.ACTIVE, category_id__in=categories).exclude(
            pk__in=chosen
        )
        if rule.difficulty:
            pool = pool.filter(difficulty=rule.difficulty)
        ids = list(pool.values_list("pk", flat=True))
        if len(ids) < rule.count:
            raise NotEnoughQuestions
        picked = rng.sample(ids, rule.count)
        chosen.update(picked)
        drawn_ids.extend(picked)
    order = fixed_ids + drawn_ids
    by_id = Question.objects.select_related("category").prefetch_related("choices").in_bulk(order)
    questions = [by_id[pk] for pk in order if pk in by_id]
    if quiz.shuffle_questions:
        rng.shuffle(questions)
    if quiz.max_questions:
        questions = questions[: quiz.max_questions]
    if not questions:
        raise NotEnoughQuestions
    return [_snapshot(q, quiz.shuffle_choices, rng) for q in questions]


# --- Starting ------------------------------------------------------------------------------


def attempts_left(user, quiz):
    """How many more attempts ``user`` may start (``None`` = unlimited)."""
    if not quiz.max_attempts:
        return None
    return max(quiz.max_attempts - Attempt.objects.filter(quiz=quiz, user=user).count(), 0)


def start_attempt(user, quiz):
    """Start an attempt, or resume the learner's open one. Returns ``(attempt, created)``.

    Raises ``QuizUnavailable`` for a draft quiz, ``NoAttemptsLeft`` when the maximum is used,
    ``NotEnoughQuestions`` when the bank cannot fill the paper.
    """
    if quiz.is_draft:
        raise QuizUnavailable
    for _try in range(3):
        current = Attempt.objects.filter(quiz=quiz, user=user, status=Attempt.IN_PROGRESS).first()
        if current is not None and not finalize_if_expired(current):
            return current, False
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


def grade(entry, picked):
    """Points and correctness of a choice answer, from the snapshot entry."""
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


# --- Submitting, time-outs, marking ---------------------------------------------------------


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
            _finalize(current, answers.values())
    return current


def _finalize(attempt, answers):
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
    attempt_finalized.send(sender=Attempt, attempt=attempt)


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


def mark_answer(answer, points, comment, marker):
    """A trainer's mark for a written answer. The attempt becomes final with its last mark."""
    with transaction.atomic():
        attempt = (
            Attempt.objects.select_for_update().select_related("quiz").get(pk=answer.attempt_id)
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
            _finalize(attempt, answers)
    return answer


# --- What the learner may see --------------------------------------------------------------


def public_questions(attempt):
    """The paper as the learner sees it while answering: ids and texts only."""
    return [
        {
            "id": entry["id"],
            "type": entry["type"],
            "stem": entry["stem"],
            "figure_id": entry["figure_id"],
            "points": entry["points"],
            "choices": [{"id": c["id"], "text": c["text"]} for c in entry["choices"]],
        }
        for entry in attempt.questions
    ]


def answer_feedback(attempt, answer):
    """Feedback on one locked answer of a practice quiz (feedback after each question)."""
    if not answer.locked or attempt.quiz.feedback_mode != Quiz.FEEDBACK_IMMEDIATE:
        return None
    entry = attempt.question(answer.question_id)
    return {
        "correct": answer.is_correct,
        "correct_choice_ids": [c["id"] for c in entry["choices"] if c["correct"]],
        "feedback": [
            c["feedback"]
            for c in entry["choices"]
            if c["id"] in answer.choice_ids and c["feedback"]
        ],
        "explanation": entry["explanation"],
    }


def review_for(attempt):
    """The review of a final attempt as the quiz's review policy allows, else ``None``."""
    if attempt.status != Attempt.FINAL:
        return None
    policy = attempt.quiz.review_policy
    if policy == Quiz.REVIEW_NEVER or (policy == Quiz.REVIEW_AFTER_PASS and not attempt.passed):
        return None
    answers = {a.question_id: a for a in attempt.answers.all()}
    review = []
    for entry in attempt.questions:
        answer = answers.get(entry["id"])
        review.append(
            {
                "id": entry["id"],
                "type": entry["type"],
                "stem": entry["stem"],
                "figure_id": entry["figure_id"],
                "points": entry["points"],
                "earned": str(answer.points) if answer and answer.points is not None else "0",
                "correct": bool(answer and answer.is_correct),
                "chosen": answer.choice_ids if answer else [],
                "text": answer.text if answer else "",
                "marker_comment": answer.marker_comment if answer else "",
                "explanation": entry["explanation"],
                "choices": entry["choices"],
            }
        )
    return review
