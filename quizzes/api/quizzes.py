"""Endpoints under ``/quizzes/``: a quiz's rules with my attempts, and starting (or resuming)
an attempt of it."""

import json

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from ninja import Router, Status
from ninja.errors import ValidationError
from pydantic import ValidationError as SchemaError

import quizzes.converters  # noqa: F401  (registers the <dbid:…> path converter)

from .. import services
from ..exceptions import InvalidAnswer
from ..models import Attempt, Quiz
from .payloads import attempt_payload, quiz_payload
from .schemas import AttemptOut, Error, QuizId, QuizOut, StartIn

router = Router()


def _available_quiz(quiz_id):
    quiz = Quiz.objects.available().filter(pk=quiz_id).first()
    if quiz is None:
        raise Http404(_("This quiz is not available."))
    return quiz


def _start_body(request):
    """The optional ``StartIn`` body: clients that start quizzes needing no confirmation send
    none, or no JSON (django-ninja's own body parameter would refuse that)."""
    if request.content_type != "application/json" or not request.body.strip():
        return StartIn()
    try:
        data = json.loads(request.body)
    except ValueError as error:
        raise InvalidAnswer(_("The request body is not valid JSON.")) from error
    try:
        return StartIn.model_validate(data)
    except SchemaError as error:
        raise ValidationError(error.errors(include_url=False, include_context=False)) from error


START_BODY = {
    "requestBody": {
        "required": False,
        "content": {"application/json": {"schema": StartIn.model_json_schema()}},
    }
}


# Operation ids by hand: clients generated from the OpenAPI schema name their methods after them,
# so they must not change with the module an endpoint lives in.
@router.get(
    "/quizzes/{dbid:quiz_id}",
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
    "/quizzes/{dbid:quiz_id}/attempts",
    response={200: AttemptOut, 201: AttemptOut, 400: Error, 404: Error, 409: Error, 422: Error},
    summary="Start an attempt, or resume my open one",
    operation_id="quizzes_api_start",
    openapi_extra=START_BODY,
)
def start(request, quiz_id: QuizId):
    """201 with a new attempt, 200 with my open one (resuming needs no body).

    A one-attempt or timed quiz (``confirmation_required`` in ``GET /quizzes/{id}``) starts
    only with the body ``{"confirm": true}``, sent once the learner has seen its rules; without
    it the answer is 409 with the rules (pass mark, time limit, attempts left, closing time) in
    ``detail``, and nothing is written. Other quizzes need no body, as before.

    409 also when no attempt is left, when the quiz is outside its window (opens / closes,
    for me: overrides included; ``detail`` gives the window) or when the course it belongs to
    does not let it start yet."""
    quiz = _available_quiz(quiz_id)
    confirmed = _start_body(request).confirm
    attempt, created = services.start_attempt(request.user, quiz, confirmed=confirmed)
    return Status(201 if created else 200, attempt_payload(request.user, attempt))
