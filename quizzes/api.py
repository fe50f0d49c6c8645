"""The learner JSON API of the quizzes app (a django-ninja router; a host mounts it, CP-LMS
under ``/api/v1/``): start or resume an attempt, save answers, submit, read the result.

Thin: every rule is in ``quizzes.services``, the same functions the learner pages use; the
services raise ``QuizError`` subclasses, which the host API answers with their status and
message. Before an attempt is final its JSON holds no correct answers, correct flags,
explanations or feedback — except the feedback of a locked answer in a practice quiz with
feedback after each question; afterwards only the review the quiz's policy allows.
"""

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Header, P, Path, Router, Schema, Status
from pydantic import ConfigDict, field_validator, model_serializer
from wagtail.images import get_image_model
from wagtail.images.models import SourceImageIOError

from . import services
from .models import Attempt, Quiz

#: Ids are 64-bit integers in the database; larger ones are refused before any query.
MAX_ID = 2**63 - 1
QuizId = Path[int, P(ge=1, le=MAX_ID, description="A quiz id.")]
AttemptId = Path[int, P(ge=1, le=MAX_ID, description="An attempt id (one of mine).")]
QuestionId = Path[int, P(ge=1, le=MAX_ID, description="A question id of the attempt.")]
FIGURE_FILTER = "width-720|format-webp"

router = Router(tags=["quizzes"])


# --- Schemas -------------------------------------------------------------------------------


class Error(Schema):
    detail: str = Field(description="What went wrong, in the learner's language.")


class ChoiceOut(Schema):
    id: int
    text: str


class SavedAnswer(Schema):
    choices: list[int]
    text: str
    locked: bool = Field(description="Checked already (practice feedback): it cannot change.")


class AnswerFeedback(Schema):
    correct: bool
    correct_choice_ids: list[int]
    feedback: list[str]
    explanation: str


def _without_empty_feedback(data):
    if data.get("feedback") is None:
        data.pop("feedback", None)
    return data


class QuestionOut(Schema):
    id: int
    number: int
    type: str = Field(description="single | multiple | truefalse | essay")
    stem: str
    points: float
    figure_url: str | None
    choices: list[ChoiceOut]
    answer: SavedAnswer | None
    feedback: AnswerFeedback | None = Field(
        None,
        description="Only in a practice quiz with feedback after each question, once the "
        "answer is locked; absent otherwise.",
    )

    @model_serializer(mode="wrap")
    def _serialize(self, handler):
        return _without_empty_feedback(handler(self))


class ReviewChoice(Schema):
    id: int
    text: str
    correct: bool
    feedback: str


class ReviewItem(Schema):
    id: int
    number: int
    type: str
    stem: str
    figure_url: str | None
    points: float
    earned: float
    correct: bool
    chosen: list[int]
    text: str
    marker_comment: str
    explanation: str
    choices: list[ReviewChoice]


class AttemptOut(Schema):
    id: int
    quiz_id: int
    quiz_title: str
    number: int
    status: str = Field(description="in_progress | awaiting_marking | final")
    started_at: str
    deadline: str | None = Field(description="The server's deadline (ISO 8601), if timed.")
    seconds_left: int | None
    submitted_at: str | None
    timed_out: bool
    question_count: int
    answered_count: int
    questions: list[QuestionOut] = Field(description="Ids and texts only, with my answers.")
    points: float | None
    max_points: float
    score: float | None = Field(description="Percent, once final.")
    passed: bool | None
    result_text: str = Field(description="The quiz's text for a pass or a fail, once final.")
    review: list[ReviewItem] | None = Field(
        description="Once final, as the quiz's review policy allows; else null."
    )
    attempts_left: int | None = Field(description="null: unlimited.")


class AttemptBrief(Schema):
    id: int
    number: int
    status: str
    started_at: str
    score: float | None
    passed: bool | None


class QuizOut(Schema):
    id: int
    title: str
    description: str
    pass_mark: int
    max_attempts: int | None = Field(description="null: unlimited.")
    time_limit_minutes: int | None
    feedback_mode: str = Field(description="immediate | after_submission | never")
    review_policy: str = Field(description="always | after_pass | never")
    one_per_screen: bool
    attempts_left: int | None
    open_attempt_id: int | None
    attempts: list[AttemptBrief]


class AnswerIn(Schema):
    """``{"choices": [ids]}`` for a choice question, ``{"text": "…"}`` for a written one."""

    model_config = ConfigDict(extra="forbid")

    choices: list[int] = Field(default_factory=list, max_length=100)
    text: str = ""

    @field_validator("text")
    @classmethod
    def _no_nul(cls, value):
        # PostgreSQL cannot store NUL characters in text.
        if "\x00" in value:
            raise ValueError(str(_("The text cannot contain NUL characters.")))
        return value


class AnswerOut(Schema):
    saved: bool
    question_id: int
    answer: SavedAnswer
    feedback: AnswerFeedback | None = Field(
        None, description="As for a question of the attempt: only for a locked practice answer."
    )

    @model_serializer(mode="wrap")
    def _serialize(self, handler):
        return _without_empty_feedback(handler(self))


# --- Building the JSON ---------------------------------------------------------------------


def _iso(value):
    return value.isoformat() if value else None


def _number(value):
    return float(value) if value is not None else None


def _figure_urls(entries):
    ids = {entry["figure_id"] for entry in entries if entry.get("figure_id")}
    if not ids:
        return {}
    urls = {}
    for pk, image in get_image_model().objects.in_bulk(ids).items():
        try:
            urls[pk] = image.get_rendition(FIGURE_FILTER).url
        except SourceImageIOError:
            urls[pk] = None
    return urls


def _saved(answer):
    if answer is None:
        return None
    return {"choices": answer.choice_ids, "text": answer.text, "locked": answer.locked}


def _questions(attempt, answers, figures):
    questions = []
    for number, entry in enumerate(services.public_questions(attempt), start=1):
        answer = answers.get(entry["id"])
        questions.append(
            {
                "id": entry["id"],
                "number": number,
                "type": entry["type"],
                "stem": entry["stem"],
                "points": float(entry["points"]),
                "figure_url": figures.get(entry["figure_id"]),
                "choices": entry["choices"],
                "answer": _saved(answer),
                "feedback": services.answer_feedback(attempt, answer) if answer else None,
            }
        )
    return questions


def _review(attempt, figures):
    review = services.review_for(attempt)
    if review is None:
        return None
    return [
        {
            **item,
            "number": number,
            "figure_url": figures.get(item["figure_id"]),
            "points": float(item["points"]),
            "earned": float(item["earned"]),
            "choices": [
                {
                    "id": c["id"],
                    "text": c["text"],
                    "correct": c["correct"],
                    "feedback": c.get("feedback") or "",
                }
                for c in item["choices"]
            ],
        }
        for number, item in enumerate(review, start=1)
    ]


def _attempt(user, attempt):
    quiz = attempt.quiz
    answers = {a.question_id: a for a in attempt.answers.all()}
    figures = _figure_urls(attempt.questions)
    seconds_left = None
    if attempt.is_open and attempt.deadline:
        seconds_left = max(int((attempt.deadline - timezone.now()).total_seconds()), 0)
    result_text = ""
    if attempt.is_final:
        result_text = quiz.success_text if attempt.passed else quiz.fail_text
    return {
        "id": attempt.pk,
        "quiz_id": quiz.pk,
        "quiz_title": quiz.title,
        "number": attempt.number,
        "status": attempt.status,
        "started_at": _iso(attempt.started_at),
        "deadline": _iso(attempt.deadline),
        "seconds_left": seconds_left,
        "submitted_at": _iso(attempt.submitted_at),
        "timed_out": attempt.timed_out,
        "question_count": len(attempt.questions),
        "answered_count": sum(1 for a in answers.values() if a.choice_ids or a.text),
        "questions": _questions(attempt, answers, figures),
        "points": _number(attempt.points) if attempt.is_final else None,
        "max_points": float(attempt.max_points),
        "score": _number(attempt.score) if attempt.is_final else None,
        "passed": attempt.passed if attempt.is_final else None,
        "result_text": result_text,
        "review": _review(attempt, figures),
        "attempts_left": services.attempts_left(user, quiz),
    }


def _available_quiz(quiz_id):
    quiz = Quiz.objects.filter(pk=quiz_id, is_draft=False).first()
    if quiz is None:
        raise Http404(_("This quiz is not available."))
    return quiz


def _own_attempt(user, attempt_id):
    try:
        return services.get_attempt_for_user(user, attempt_id)
    except Attempt.DoesNotExist as error:
        raise Http404(_("No such attempt.")) from error


# --- Endpoints -----------------------------------------------------------------------------


@router.get("/quizzes/{quiz_id}", response={200: QuizOut, 404: Error}, summary="A quiz")
def get_quiz(request, quiz_id: QuizId):
    """The quiz's rules and my attempts of it."""
    quiz = _available_quiz(quiz_id)
    attempts = list(Attempt.objects.filter(quiz=quiz, user=request.user).order_by("number"))
    open_attempt = next((a for a in attempts if a.is_open), None)
    if open_attempt is not None and services.finalize_if_expired(open_attempt):
        open_attempt = None
    return {
        "id": quiz.pk,
        "title": quiz.title,
        "description": quiz.description,
        "pass_mark": quiz.pass_mark,
        "max_attempts": quiz.max_attempts or None,
        "time_limit_minutes": quiz.time_limit_minutes,
        "feedback_mode": quiz.feedback_mode,
        "review_policy": quiz.review_policy,
        "one_per_screen": quiz.one_per_screen,
        "attempts_left": services.attempts_left(request.user, quiz),
        "open_attempt_id": open_attempt.pk if open_attempt else None,
        "attempts": [
            {
                "id": a.pk,
                "number": a.number,
                "status": a.status,
                "started_at": _iso(a.started_at),
                "score": _number(a.score) if a.is_final else None,
                "passed": a.passed if a.is_final else None,
            }
            for a in attempts
        ],
    }


@router.post(
    "/quizzes/{quiz_id}/attempts",
    response={200: AttemptOut, 201: AttemptOut, 404: Error, 409: Error},
    summary="Start an attempt, or resume my open one",
)
def start(request, quiz_id: QuizId):
    """201 with a new attempt, 200 with my open one; 409 when no attempt is left."""
    quiz = _available_quiz(quiz_id)
    attempt, created = services.start_attempt(request.user, quiz)
    return Status(201 if created else 200, _attempt(request.user, attempt))


@router.get(
    "/attempts/{attempt_id}",
    response={200: AttemptOut, 404: Error},
    summary="One of my attempts",
)
def get_attempt(request, attempt_id: AttemptId):
    """The attempt's state (finalized first if its time ran out) and, once final, the review
    the quiz's policy allows."""
    return _attempt(request.user, _own_attempt(request.user, attempt_id))


@router.put(
    "/attempts/{attempt_id}/answers/{question_id}",
    response={200: AnswerOut, 400: Error, 404: Error, 409: Error},
    summary="Save my answer to one question",
)
def save_answer(request, attempt_id: AttemptId, question_id: QuestionId, payload: AnswerIn):
    attempt = _own_attempt(request.user, attempt_id)
    answer = services.save_answer(
        attempt, question_id, choice_ids=payload.choices, text=payload.text
    )
    return {
        "saved": True,
        "question_id": question_id,
        "answer": _saved(answer),
        "feedback": services.answer_feedback(attempt, answer),
    }


@router.post(
    "/attempts/{attempt_id}/submit",
    response={200: AttemptOut, 404: Error},
    summary="Submit my attempt",
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
    """Submit (marking what can be marked). Idempotent: repeating it, or submitting from a
    second device, returns the same result."""
    attempt = _own_attempt(request.user, attempt_id)
    attempt = services.submit_attempt(attempt, key=idempotency_key or "")
    return _attempt(request.user, attempt)
