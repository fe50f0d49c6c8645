"""Receivers of the courses app, connected in ``CoursesConfig.ready()``."""

from quizzes.signals import attempt_finalized

from .models import QuizStepPage
from .services import record_quiz_result


def on_attempt_finalized(sender, attempt, **kwargs):
    # The quiz steps are looked up here rather than in the writer, which imports no page module.
    # A queryset: it is read only when the attempt passed.
    record_quiz_result(attempt, QuizStepPage.objects.live().filter(quiz_id=attempt.quiz_id))


def register_signal_handlers():
    attempt_finalized.connect(on_attempt_finalized, dispatch_uid="lms_courses_quiz_result")
