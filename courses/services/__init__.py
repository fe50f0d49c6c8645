"""Business rules of the courses app: the only writers of its records.

Callers use the package (``courses.services.complete_lesson``); each capability has its module.
What a learner sees of a course is read in ``courses.models.state``.
"""

from .progress import (
    CompletionResult,
    complete_lesson,
    record_heartbeat,
    record_lesson_view,
    record_quiz_result,
    record_reading,
    record_visit,
)

__all__ = [
    "CompletionResult",
    "complete_lesson",
    "record_heartbeat",
    "record_lesson_view",
    "record_quiz_result",
    "record_reading",
    "record_visit",
]
