"""Endpoints under ``/attempts/``: one of my attempts, saving an answer, submitting, reporting
that I left the page. Only the
learner's own attempts are reachable; anybody else's is a 404."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from ninja import Header, P, Router

import quizzes.converters  # noqa: F401  (registers the <dbid:…> path converter)

from .. import services
from ..models import Attempt
from .payloads import attempt_payload, saved_answer
from .schemas import (
    AnswerIn,
    AnswerOut,
    AttemptId,
    AttemptOut,
    Error,
    EventIn,
    EventOut,
    QuestionId,
)

router = Router()


def _own_attempt(user, attempt_id):
    try:
        return services.get_attempt_for_user(user, attempt_id)
    except Attempt.DoesNotExist as error:
        raise Http404(_("No such attempt.")) from error


# Operation ids by hand: clients generated from the OpenAPI schema name their methods after them,
# so they must not change with the module an endpoint lives in.
@router.get(
    "/attempts/{dbid:attempt_id}",
    response={200: AttemptOut, 404: Error},
    summary="One of my attempts",
    operation_id="quizzes_api_get_attempt",
)
def get_attempt(request, attempt_id: AttemptId):
    """The attempt's state (finalized first if its time ran out) and, once final, the review
    the quiz's policy allows."""
    return attempt_payload(request.user, _own_attempt(request.user, attempt_id))


@router.put(
    "/attempts/{dbid:attempt_id}/answers/{dbid:question_id}",
    response={200: AnswerOut, 400: Error, 404: Error, 409: Error},
    summary="Save my answer to one question",
    operation_id="quizzes_api_save_answer",
)
def save_answer(request, attempt_id: AttemptId, question_id: QuestionId, payload: AnswerIn):
    attempt = _own_attempt(request.user, attempt_id)
    answer = services.save_answer(
        attempt, question_id, choice_ids=payload.choices, text=payload.text
    )
    return {
        "saved": True,
        "question_id": question_id,
        "answer": saved_answer(answer),
        "feedback": services.answer_feedback(attempt, answer),
    }


@router.post(
    "/attempts/{dbid:attempt_id}/submit",
    response={200: AttemptOut, 404: Error},
    summary="Submit my attempt",
    operation_id="quizzes_api_submit",
)
def submit(
    request,
    attempt_id: AttemptId,
    idempotency_key: Header[
        str | None,
        P(
            alias="Idempotency-Key",
            max_length=100,
            pattern=r"^[\x21-\x7e]+$",
            description="Optional: any printable ASCII key, stored with the submission.",
        ),
    ] = None,
):
    """Submit (marking what can be marked). After the deadline (during the grace period) it
    counts as ended by the time limit. Idempotent: repeating it, or submitting from a
    second device, returns the same result."""
    try:
        # Read once, under its lock (not read, then read again locked).
        attempt = services.submit_own_attempt(request.user, attempt_id, key=idempotency_key or "")
    except Attempt.DoesNotExist as error:
        raise Http404(_("No such attempt.")) from error
    return attempt_payload(request.user, attempt)


@router.post(
    "/attempts/{dbid:attempt_id}/events",
    response={200: EventOut, 400: Error, 404: Error, 409: Error, 422: Error},
    summary="Report that I left the attempt's page",
    operation_id="quizzes_api_attempt_event",
)
def event(request, attempt_id: AttemptId, payload: EventIn):
    """Counted and logged on the attempt (markers and the reports see it), never blocking. If
    the quiz sets a limit (``focus_loss_limit``), the attempt is submitted when the count
    reaches it: ``status`` then says so. 409 once the attempt is no longer open."""
    attempt = _own_attempt(request.user, attempt_id)
    attempt = services.record_focus_loss(attempt, payload.kind)
    return {
        "focus_losses": attempt.focus_losses,
        "status": attempt.status,
        "focus_submitted": attempt.focus_submitted,
    }
