"""Business rules of the quizzes app: the only code that writes attempts and answers."""

from .attempts import (
    answer_feedback,
    attempts_left,
    expire_due_attempts,
    finalize_if_expired,
    get_attempt_for_user,
    mark_answer,
    public_questions,
    review_for,
    save_answer,
    start_attempt,
    submit_attempt,
)
from .bank import category_by_path, validate_choices
from .progress import category_progress

__all__ = [
    "answer_feedback",
    "attempts_left",
    "category_by_path",
    "category_progress",
    "expire_due_attempts",
    "finalize_if_expired",
    "get_attempt_for_user",
    "mark_answer",
    "public_questions",
    "review_for",
    "save_answer",
    "start_attempt",
    "submit_attempt",
    "validate_choices",
]
