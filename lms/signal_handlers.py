"""Receivers of the signals lms listens to, connected in ``LmsConfig.ready()``: completions
reported by courses and quizzes become records, and a new revision of a page re-opens its
attestations."""

from wagtail.signals import page_published

from courses.signals import course_completed, lesson_completed
from lms.services.learning.attestations import reopen_attestations
from lms.services.records import completions
from quizzes.signals import attempt_finalized


def record_course_completion(sender, user, course, revision, score, at, **kwargs):
    completions.course_completed(
        user, course, revision, score, at, time_spent=kwargs.get("time_spent")
    )


def mark_assignment_started(sender, user, lesson, **kwargs):
    completions.lesson_started(user, lesson)


def record_quiz_pass(sender, attempt, **kwargs):
    completions.quiz_passed(attempt)


def chain_attempt_records_last(attempt):
    """The ``finalizing_attempt`` hook: every receiver of ``attempt_finalized`` runs inside
    ``completions.attempt_records`` (``chained_last``), so the records of the courses an attempt
    completes and of the quiz itself are chained together at the end, and the chain head is
    locked only for the submit's final statements."""
    return completions.attempt_records(attempt)


def reopen_page_attestations(sender, instance, **kwargs):
    reopen_attestations(instance)


def register_signal_handlers():
    course_completed.connect(record_course_completion, dispatch_uid="lms_core_course_completed")
    lesson_completed.connect(mark_assignment_started, dispatch_uid="lms_core_lesson_started")
    attempt_finalized.connect(record_quiz_pass, dispatch_uid="lms_core_quiz_passed")
    page_published.connect(reopen_page_attestations, dispatch_uid="lms_core_reopen_attestations")
