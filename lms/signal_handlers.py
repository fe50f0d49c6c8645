"""Receivers of the signals lms listens to, connected in ``LmsConfig.ready()``: completions
reported by courses and quizzes become records, and a new revision of a page re-opens its
attestations."""

from wagtail.signals import page_published

from courses.signal_handlers import on_attempt_finalized
from courses.signals import course_completed, lesson_completed
from lms.services.learning.attestations import reopen_attestations
from lms.services.records import completions
from lms.services.records.chain import chained_last
from quizzes.signals import attempt_finalized


def record_course_completion(sender, user, course, revision, score, at, **kwargs):
    completions.course_completed(
        user, course, revision, score, at, time_spent=kwargs.get("time_spent")
    )


def mark_assignment_started(sender, user, lesson, **kwargs):
    completions.lesson_started(user, lesson)


def record_attempt_results(sender, attempt, **kwargs):
    """A final attempt: the courses it completes (the courses app's receiver, which reports them
    with ``course_completed``) and the quiz itself are recorded together, chained last in the
    submit's transaction, so the chain head is locked only for its final statements."""
    with chained_last():
        on_attempt_finalized(sender, attempt=attempt)
        completions.quiz_passed(attempt)


def reopen_page_attestations(sender, instance, **kwargs):
    reopen_attestations(instance)


def register_signal_handlers():
    course_completed.connect(record_course_completion, dispatch_uid="lms_core_course_completed")
    lesson_completed.connect(mark_assignment_started, dispatch_uid="lms_core_lesson_started")
    # The courses app's own receiver runs inside ours (above), not before it on its own.
    attempt_finalized.disconnect(dispatch_uid="lms_courses_quiz_result")
    attempt_finalized.connect(record_attempt_results, dispatch_uid="lms_core_quiz_passed")
    page_published.connect(reopen_page_attestations, dispatch_uid="lms_core_reopen_attestations")
