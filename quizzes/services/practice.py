"""Practice from the mistake book: the learner's revealed mistakes (all, or one category's)
drawn as an untimed round, marked on submission, with the correct answers shown afterwards.

A ``PracticeRound`` is not an ``Attempt``: it belongs to no quiz, sends no signal and is read by
no report, so a passed practice round can never count as a quiz passed or complete a course.
Its answers only move a question out of the mistake book once answered right."""

import random

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..exceptions import InvalidAnswer, NothingToPractise
from ..models import PracticeRound
from .attempts import clean_payload
from .marking import grade
from .mistakes import mistake_book

PRACTICE_SIZE = 20


def start_practice(user, category="", rng=None):
    """A new practice round of up to ``PRACTICE_SIZE`` of ``user``'s revealed mistakes (of
    ``category`` and its sub-categories, or all), in random order."""
    book = mistake_book(user, category)
    entries = [item.entry for item in book.items]
    if not entries:
        raise NothingToPractise
    rng = rng or random.SystemRandom()
    picked = rng.sample(entries, min(len(entries), PRACTICE_SIZE))
    return PracticeRound.objects.create(user=user, category=category, questions=picked)


def practice_questions(practice):
    """The round's questions as the learner sees them before submitting: no answers."""
    return [
        {
            "id": entry["id"],
            "type": entry["type"],
            "stem": entry["stem"],
            "category": entry["category"],
            "figure_id": entry.get("figure_id"),
            "choices": [{"id": c["id"], "text": c["text"]} for c in entry["choices"]],
        }
        for entry in practice.questions
    ]


def submit_practice(practice, answers):
    """Mark a round: ``answers`` maps question ids to lists of choice ids (unanswered ones are
    wrong). Idempotent: a finished round is returned as it is."""
    entries = {entry["id"]: entry for entry in practice.questions}
    if not isinstance(answers, dict):
        raise InvalidAnswer
    cleaned = {}
    for question_id, choice_ids in answers.items():
        entry = entries.get(question_id)
        if entry is None:
            raise InvalidAnswer(_("This question is not part of this practice round."))
        cleaned[question_id], _text = clean_payload(entry, choice_ids or [], "")
    with transaction.atomic():
        current = PracticeRound.objects.select_for_update().get(pk=practice.pk)
        if current.is_finished:
            return current
        marked = {}
        for question_id, entry in entries.items():
            picked = cleaned.get(question_id, [])
            _points, correct = grade(entry, picked)
            marked[str(question_id)] = {"choices": picked, "correct": correct}
        current.answers = marked
        current.correct = sum(1 for given in marked.values() if given["correct"])
        current.finished_at = timezone.now()
        current.save(update_fields=["answers", "correct", "finished_at"])
    return current


def practice_review(practice):
    """Each question of a finished round with my answer, the correct one and the explanation
    (only mistakes whose review was allowed are ever drawn); ``None`` before it is finished."""
    if not practice.is_finished:
        return None
    review = []
    for entry in practice.questions:
        given = practice.answers.get(str(entry["id"]), {"choices": [], "correct": False})
        review.append(
            {
                "id": entry["id"],
                "type": entry["type"],
                "stem": entry["stem"],
                "category": entry["category"],
                "figure_id": entry.get("figure_id"),
                "chosen": given["choices"],
                "correct": given["correct"],
                "explanation": entry["explanation"],
                "choices": entry["choices"],
            }
        )
    return review
