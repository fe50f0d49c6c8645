"""Business rules of the courses app, by capability; callers use ``courses.services.<name>``."""

from .progress import (
    STEP_MODELS,
    CompletionResult,
    CourseCard,
    CourseState,
    Step,
    catalog_for_request,
    catalog_listing,
    complete_lesson,
    course_page_context,
    course_score,
    course_state,
    course_steps,
    lesson_context,
    quiz_step_context,
    record_quiz_result,
    record_visit,
)

__all__ = [
    "STEP_MODELS",
    "CompletionResult",
    "CourseCard",
    "CourseState",
    "Step",
    "catalog_for_request",
    "catalog_listing",
    "complete_lesson",
    "course_page_context",
    "course_score",
    "course_state",
    "course_steps",
    "lesson_context",
    "quiz_step_context",
    "record_quiz_result",
    "record_visit",
]
