"""The JSON shapes of the quizzes API (django-ninja schemas) and its path parameters. What a
schema leaves out never reaches the learner: before an attempt is final a question carries no
correct flags, explanations or feedback (but for a locked practice answer's ``feedback``)."""

from typing import Literal

from django.utils.translation import gettext_lazy as _
from ninja import Field, P, Path, Schema
from pydantic import ConfigDict, field_validator, model_serializer

#: Ids are 64-bit integers in the database; larger ones are refused before any query.
MAX_ID = 2**63 - 1
QuizId = Path[int, P(ge=1, le=MAX_ID, description="A quiz id.")]
AttemptId = Path[int, P(ge=1, le=MAX_ID, description="An attempt id (one of mine).")]
QuestionId = Path[int, P(ge=1, le=MAX_ID, description="A question id of the attempt.")]


class Error(Schema):
    detail: str = Field(description="What went wrong, in the learner's language.")


def _without_none(data, names):
    for name in names:
        if data.get(name) is None:
            data.pop(name, None)
    return data


CODE_FIELDS = ("dimension", "code", "depth")


class ChoiceOut(Schema):
    """A choice; of a classification question, a code: its ``dimension`` (A, B or C), ``code``
    and ``depth`` in the tree (absent for the other types)."""

    id: int
    text: str
    dimension: str | None = None
    code: str | None = None
    depth: int | None = None

    @model_serializer(mode="wrap")
    def _serialize(self, handler):
        return _without_none(handler(self), CODE_FIELDS)


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
    type: str = Field(description="single | multiple | truefalse | essay | classify")
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
    dimension: str | None = None
    code: str | None = None
    depth: int | None = None

    @model_serializer(mode="wrap")
    def _serialize(self, handler):
        return _without_none(handler(self), CODE_FIELDS)


class DimensionResult(Schema):
    """One dimension of a classification question after final: my code and the key's."""

    dimension: str = Field(description="A (channel), B (business category), C (reason).")
    chosen: int | None = Field(description="The code I picked (its choice id), or null.")
    correct_choice: int | None = Field(description="The key's code (its choice id).")
    correct_code: str | None
    right: bool


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
    dimensions: list[DimensionResult] | None = Field(
        None, description="A classification question's result per dimension; absent otherwise."
    )

    @model_serializer(mode="wrap")
    def _serialize(self, handler):
        return _without_none(handler(self), ("dimensions",))


class ResultNoteOut(Schema):
    text: str
    url: str = Field(description="Where to go on (a site path), or empty.")
    done: bool


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
    accepts_answers_until: str | None = Field(
        None,
        description="Timed attempts: answers are still accepted until then (the deadline plus "
        "a grace period for saves retried on a flaky network).",
    )
    focus_losses: int = Field(0, description="How often I left the attempt's page.")
    focus_submitted: bool = Field(
        False, description="Submitted because the page was left too often."
    )
    notes: list[ResultNoteOut] = Field(
        [],
        description="Once final: what the attempt did elsewhere, e.g. whether the course the "
        "quiz is a step of is now complete or which lessons are left.",
    )


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
    review_policy: str = Field(
        description="when_done (after passing or when no attempt is left) | always | "
        "after_pass | never"
    )
    one_per_screen: bool
    attempts_left: int | None
    open_attempt_id: int | None
    confirmation_required: bool = Field(
        description='Starting needs {"confirm": true}: a one-attempt or timed quiz.'
    )
    opens_at: str | None = Field(description="The window, for me (overrides included).")
    closes_at: str | None
    open_now: bool = Field(description="Within the window now.")
    focus_loss_limit: int | None = Field(
        description="Submitted automatically after leaving the page this many times; null: "
        "only counted."
    )
    exempt: bool = Field(description="I am exempt from this quiz.")
    exemption_reason: str
    attempts: list[AttemptBrief]


class StartIn(Schema):
    """The learner has seen the rules of a one-attempt or timed quiz and starts it."""

    model_config = ConfigDict(extra="forbid")

    confirm: bool = Field(False, description="true: I have read the rules; start.")


class EventIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["hidden", "blur"] = Field(
        description="hidden: the page was hidden (visibilitychange); blur: it lost focus."
    )


class EventOut(Schema):
    focus_losses: int
    status: str = Field(description="The attempt's status now (submitted at the limit).")
    focus_submitted: bool


class AnswerIn(Schema):
    """``{"choices": [ids]}`` for a choice question (for a classification question the ids of
    the picked codes, at most one per dimension), ``{"text": "…"}`` for a written one."""

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


PracticeId = Path[int, P(ge=1, le=MAX_ID, description="A practice round id (one of mine).")]


class MistakeChoice(Schema):
    id: int
    text: str
    correct: bool


class MistakeOut(Schema):
    question_id: int
    type: str
    stem: str
    category: str
    quiz: str = Field(description="The quiz of the paper it was last answered wrong in.")
    answered_at: str | None
    chosen: list[int] = Field(description="My latest answer.")
    choices: list[MistakeChoice]
    explanation: str


class MistakeCategory(Schema):
    category: str
    count: int
    mistakes: list[MistakeOut]


class MistakeBookOut(Schema):
    category: str = Field(description="The category asked for (sub-categories included), or ''.")
    count: int
    held_back: int = Field(
        description="Wrong answers not shown yet: their quiz's review opens once I have passed it "
        "or have no attempts left."
    )
    categories: list[MistakeCategory]


class PracticeIn(Schema):
    model_config = ConfigDict(extra="forbid")

    category: str = Field("", max_length=255, description="Only this category ('' for all).")


class PracticeAnswer(Schema):
    model_config = ConfigDict(extra="forbid")

    question_id: int = Field(ge=1, le=MAX_ID)
    choices: list[int] = Field(default_factory=list, max_length=100)


class PracticeSubmitIn(Schema):
    model_config = ConfigDict(extra="forbid")

    answers: list[PracticeAnswer] = Field(default_factory=list, max_length=200)


class PracticeQuestion(Schema):
    id: int
    number: int
    type: str
    stem: str
    category: str
    choices: list[ChoiceOut]


class PracticeReviewItem(Schema):
    id: int
    number: int
    type: str
    stem: str
    category: str
    chosen: list[int]
    correct: bool
    explanation: str
    choices: list[MistakeChoice]


class PracticeOut(Schema):
    id: int
    category: str
    finished: bool
    question_count: int
    correct_count: int | None = Field(description="Answered right, once submitted.")
    questions: list[PracticeQuestion] = Field(description="Ids and texts only.")
    review: list[PracticeReviewItem] | None = Field(description="Once submitted.")
