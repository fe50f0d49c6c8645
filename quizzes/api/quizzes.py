"""Endpoints under ``/quizzes/``: a quiz's rules with my attempts, and starting (or resuming)
an attempt of it."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from ninja import Router, Status

from .. import services
from ..models import Attempt, Quiz
from .payloads import attempt_payload, quiz_payload
from .schemas import AttemptOut, Error, QuizId, QuizOut

router = Router()


def _available_quiz(quiz_id):
    quiz = Quiz.objects.filter(pk=quiz_id, is_draft=False).first()
    if quiz is None:
        raise Http404(_("This quiz is not available."))
    return quiz


# Operation ids by hand: clients generated from the OpenAPI schema name their methods after them,
# so they must not change with the module an endpoint lives in.
@router.get(
    "/quizzes/{quiz_id}",
    response={200: QuizOut, 404: Error},
    summary="A quiz",
    operation_id="quizzes_api_get_quiz",
)
def get_quiz(request, quiz_id: QuizId):
    """The quiz's rules and my attempts of it."""
    quiz = _available_quiz(quiz_id)
    attempts = list(Attempt.objects.filter(quiz=quiz, user=request.user).order_by("number"))
    open_attempt = next((a for a in attempts if a.is_open), None)
    if open_attempt is not None and services.finalize_if_expired(open_attempt):
        open_attempt = None
    return quiz_payload(request.user, quiz, attempts, open_attempt)


@router.post(
    "/quizzes/{quiz_id}/attempts",
    response={200: AttemptOut, 201: AttemptOut, 404: Error, 409: Error},
    summary="Start an attempt, or resume my open one",
    operation_id="quizzes_api_start",
)
def start(request, quiz_id: QuizId):
    """201 with a new attempt, 200 with my open one; 409 when no attempt is left."""
    quiz = _available_quiz(quiz_id)
    attempt, created = services.start_attempt(request.user, quiz)
    return Status(201 if created else 200, attempt_payload(request.user, attempt))
