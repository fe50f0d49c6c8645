"""Receivers of the courses app, connected in ``CoursesConfig.ready()``."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, PageViewRestriction, Site, get_page_models
from wagtail.signals import post_page_move

from quizzes.exceptions import StartRefused
from quizzes.models import Quiz
from quizzes.signals import attempt_finalized, attempt_starting

from .models import QuizStepPage
from .models.state import closed_quiz_course, quiz_closed_message
from .services import record_quiz_result
from .services.quiz_courses import keep_course_states, quiz_courses
from .services.route_cache import bump_generation


def on_attempt_finalized(sender, attempt, **kwargs):
    # The courses of the quiz are read here rather than in the writer, which imports no page
    # module; only when the attempt passed. The learner's states in them stay on the attempt
    # for the notes under its result, which would otherwise read them again.
    if attempt.passed:
        keep_course_states(attempt, record_quiz_result(attempt, quiz_courses(attempt.quiz_id)))


def refuse_quiz_before_lessons(sender, user, quiz, **kwargs):
    """A course's quiz opens once its required lessons are done (``CoursePage.quiz_after_lessons``),
    however the attempt is started: the quiz step page, the quiz list or the API."""
    closed = closed_quiz_course(user, QuizStepPage.objects.live().filter(quiz=quiz))
    if closed is not None:
        raise StartRefused(quiz_closed_message(closed))


def route_parts():
    """The models a cached page route is made of (``courses.services.route_cache``): every page
    model (a page's signals are sent for its own model), sites, view restrictions, locales, the
    quizzes of quiz steps, and the images and documents a lesson's kept body shows."""
    return {
        Page,
        *get_page_models(),
        Site,
        PageViewRestriction,
        Locale,
        Quiz,
        get_image_model(),
        get_document_model(),
    }


def content_changed(sender, **kwargs):
    bump_generation()


def restriction_groups_changed(sender, action, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"}:
        bump_generation()


def register_signal_handlers():
    # Per model: a receiver for every model would cost Django's fast deletes everywhere.
    for model in route_parts():
        label = model._meta.label_lower
        post_save.connect(content_changed, sender=model, dispatch_uid=f"lms_route_saved_{label}")
        post_delete.connect(
            content_changed, sender=model, dispatch_uid=f"lms_route_deleted_{label}"
        )
    post_page_move.connect(content_changed, dispatch_uid="lms_courses_route_moved")
    m2m_changed.connect(
        restriction_groups_changed,
        sender=PageViewRestriction.groups.through,
        dispatch_uid="lms_courses_route_restriction_groups",
    )
    attempt_finalized.connect(on_attempt_finalized, dispatch_uid="lms_courses_quiz_result")
    attempt_starting.connect(refuse_quiz_before_lessons, dispatch_uid="lms_courses_quiz_gate")
