"""Business rules of the quizzes app: the only code that writes attempts and answers.

An attempt's life is in ``attempts``; its paper is drawn in ``papers``, scored in ``marking``
and shown to the learner as ``review`` allows. The bank's rules are in ``bank`` and
``importing``; ``progress`` and ``analytics`` only read.
"""

from .attempts import (
    attempts_left,
    expire_due_attempts,
    finalize_if_expired,
    get_attempt_for_user,
    save_answer,
    start_attempt,
    submit_attempt,
)
from .bank import category_by_path, validate_choices
from .marking import mark_answer
from .progress import category_progress
from .review import answer_feedback, public_questions, review_for

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
