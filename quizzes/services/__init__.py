"""Business rules of the quizzes app: the only code that writes attempts and answers.

An attempt's life is in ``attempts``; its paper is drawn in ``papers``, scored in ``marking``
and shown to the learner as ``review`` allows; a person's rules (window, attempts, time limit,
exemption) with their overrides are in ``overrides``; leaving the page is logged by ``focus``.
The mistake book is read by ``mistakes`` and practised in ``practice``. The bank's rules are in
``bank`` and ``importing``; ``progress`` and ``analytics`` only read.
"""

from .attempts import (
    answered_count,
    attempts_left,
    expire_due_attempts,
    finalize_if_expired,
    get_attempt_for_user,
    grace,
    needs_confirmation,
    past_deadline,
    rules_text,
    save_answer,
    start_attempt,
    submit_attempt,
    submit_own_attempt,
)
from .bank import category_by_path, validate_choices
from .focus import record_focus_loss
from .marking import mark_answer
from .mistakes import mistake_book
from .overrides import (
    exempt_user_ids,
    grant_override,
    is_exempt,
    is_open_now,
    revoke_override,
    rules_for,
    window_text,
)
from .practice import practice_questions, practice_review, start_practice, submit_practice
from .progress import category_progress
from .review import answer_feedback, public_questions, review_allowed, review_for

__all__ = [
    "answered_count",
    "answer_feedback",
    "attempts_left",
    "category_by_path",
    "category_progress",
    "exempt_user_ids",
    "expire_due_attempts",
    "finalize_if_expired",
    "get_attempt_for_user",
    "grace",
    "grant_override",
    "is_exempt",
    "is_open_now",
    "mark_answer",
    "mistake_book",
    "needs_confirmation",
    "past_deadline",
    "practice_questions",
    "practice_review",
    "public_questions",
    "record_focus_loss",
    "review_allowed",
    "review_for",
    "revoke_override",
    "rules_for",
    "rules_text",
    "save_answer",
    "start_attempt",
    "start_practice",
    "submit_attempt",
    "submit_own_attempt",
    "submit_practice",
    "validate_choices",
    "window_text",
]
