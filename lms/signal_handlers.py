from wagtail.signals import page_published

from courses.signals import course_completed, lesson_completed
from quizzes.signals import attempt_finalized


def on_course_completed(sender, user, course, revision, score, at, **kwargs):
    from lms.services.records.completions import course_completed as record

    record(user, course, revision, score, at)


def on_lesson_completed(sender, user, lesson, **kwargs):
    from lms.services.records.completions import lesson_started

    lesson_started(user, lesson)


def on_attempt_finalized(sender, attempt, **kwargs):
    from lms.services.records.completions import quiz_passed

    quiz_passed(attempt)


def on_page_published(sender, instance, **kwargs):
    from lms.services.learning.attestations import reopen_attestations

    reopen_attestations(instance)


def register_signal_handlers():
    course_completed.connect(on_course_completed, dispatch_uid="lms_core_course_completed")
    lesson_completed.connect(on_lesson_completed, dispatch_uid="lms_core_lesson_started")
    attempt_finalized.connect(on_attempt_finalized, dispatch_uid="lms_core_quiz_passed")
    page_published.connect(on_page_published, dispatch_uid="lms_core_reopen_attestations")
