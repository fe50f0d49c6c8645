"""Receivers of the courses app, connected in ``CoursesConfig.ready()``."""

from quizzes.exceptions import StartRefused
from quizzes.signals import attempt_finalized, attempt_starting

from .models import QuizStepPage
from .models.state import closed_quiz_course, quiz_closed_message
from .services import record_quiz_result


def on_attempt_finalized(sender, attempt, **kwargs):
    # The quiz steps are looked up here rather than in the writer, which imports no page module.
    # A queryset: it is read only when the attempt passed.
    record_quiz_result(attempt, QuizStepPage.objects.live().filter(quiz_id=attempt.quiz_id))


def refuse_quiz_before_lessons(sender, user, quiz, **kwargs):
    """A course's quiz opens once its required lessons are done (``CoursePage.quiz_after_lessons``),
    however the attempt is started: the quiz step page, the quiz list or the API."""
    closed = closed_quiz_course(user, QuizStepPage.objects.live().filter(quiz=quiz))
    if closed is not None:
        raise StartRefused(quiz_closed_message(closed))


def register_signal_handlers():
    attempt_finalized.connect(on_attempt_finalized, dispatch_uid="lms_courses_quiz_result")
    attempt_starting.connect(refuse_quiz_before_lessons, dispatch_uid="lms_courses_quiz_gate")
