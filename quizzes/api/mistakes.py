"""The mistake book (错题本) and its practice rounds: ``GET /me/mistakes``, ``POST
/me/mistakes/practice``, ``GET /practice/{id}``, ``POST /practice/{id}/submit``. Practice is
untimed and unrecorded: it writes no attempt, sends no signal and completes nothing."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Status

import quizzes.converters  # noqa: F401  (registers the <dbid:…> path converter)

from .. import services
from ..models import PracticeRound
from .schemas import (
    Error,
    MistakeBookOut,
    PracticeId,
    PracticeIn,
    PracticeOut,
    PracticeSubmitIn,
)

router = Router()


def _iso(value):
    return value.isoformat() if value else None


def _choices(choices):
    return [{"id": c["id"], "text": c["text"], "correct": c["correct"]} for c in choices]


def book_payload(book):
    """``MistakeBookOut``: only revealed mistakes carry answers (the others are counted)."""
    return {
        "category": book.category,
        "count": len(book.items),
        "held_back": book.held_back,
        "categories": [
            {
                "category": name,
                "count": len(items),
                "mistakes": [
                    {
                        "question_id": item.question_id,
                        "type": item.entry["type"],
                        "stem": item.entry["stem"],
                        "category": item.category,
                        "quiz": item.quiz,
                        "answered_at": _iso(item.at),
                        "chosen": item.chosen,
                        "choices": _choices(item.entry["choices"]),
                        "explanation": item.entry["explanation"],
                    }
                    for item in items
                ],
            }
            for name, items in book.categories
        ],
    }


def practice_payload(practice):
    """``PracticeOut``: questions without answers; the review once submitted."""
    review = services.practice_review(practice)
    return {
        "id": practice.pk,
        "category": practice.category,
        "finished": practice.is_finished,
        "question_count": len(practice.questions),
        "correct_count": practice.correct if practice.is_finished else None,
        "questions": [
            {**{k: q[k] for k in ("id", "type", "stem", "category", "choices")}, "number": n}
            for n, q in enumerate(services.practice_questions(practice), start=1)
        ],
        "review": None
        if review is None
        else [
            {**item, "number": n, "choices": _choices(item["choices"])}
            for n, item in enumerate(review, start=1)
        ],
    }


def _own_round(user, practice_id):
    practice = PracticeRound.objects.filter(pk=practice_id, user=user).first()
    if practice is None:
        raise Http404(_("No such practice round."))
    return practice


@router.get(
    "/me/mistakes",
    response={200: MistakeBookOut},
    summary="My mistake book",
    operation_id="quizzes_api_mistakes",
)
def mistakes(request, category: Query[str] = ""):
    """The choice questions I got wrong (my latest answer to each, in a final attempt or a
    practice round since), by category, with the correct answer and the explanation once a
    review of one of my attempts with the question may be shown; the rest are only counted
    (``held_back``). ``category`` keeps one category and its sub-categories."""
    return book_payload(services.mistake_book(request.user, category[:255]))


@router.post(
    "/me/mistakes/practice",
    response={201: PracticeOut, 409: Error, 422: Error},
    summary="Practise my mistakes",
    operation_id="quizzes_api_practice_start",
)
def practice_start(request, payload: PracticeIn):
    """A new untimed practice round of up to 20 of my shown mistakes (of ``category``, or
    all). It is not an attempt: nothing is recorded or completed. 409 when there is nothing to
    practise."""
    practice = services.start_practice(request.user, payload.category)
    return Status(201, practice_payload(practice))


@router.get(
    "/practice/{dbid:practice_id}",
    response={200: PracticeOut, 404: Error},
    summary="One of my practice rounds",
    operation_id="quizzes_api_practice_get",
)
def practice_get(request, practice_id: PracticeId):
    return practice_payload(_own_round(request.user, practice_id))


@router.post(
    "/practice/{dbid:practice_id}/submit",
    response={200: PracticeOut, 400: Error, 404: Error, 422: Error},
    summary="Submit a practice round",
    operation_id="quizzes_api_practice_submit",
)
def practice_submit(request, practice_id: PracticeId, payload: PracticeSubmitIn):
    """Marks the round (unanswered questions are wrong) and returns it with its review.
    Idempotent: a finished round is returned as it was."""
    practice = _own_round(request.user, practice_id)
    answers = {item.question_id: item.choices for item in payload.answers}
    return practice_payload(services.submit_practice(practice, answers))
