"""The learner endpoints: my courses, one course with its steps, completing a lesson.

Thin: they read through ``courses.models`` and write through ``courses.services``, the same
functions the course pages use. Only live pages are served, and only below a live catalog:
drafts and unpublished courses are 404.
"""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Status
from wagtail.models import Page

import quizzes.converters  # noqa: F401  (registers the <dbid:…> path converter)
from quizzes.api import Error

from ..conf import app_settings
from ..exceptions import CompletionRefused
from ..models import CourseIndexPage, CoursePage, LessonPage, LessonProgress
from ..models.catalog import catalog_listing
from ..models.state import course_page_context
from ..services import complete_lesson, record_heartbeat, record_lesson_view
from ..services.progress import reading_left
from .schemas import (
    CourseDetail,
    CourseListQuery,
    CourseSummary,
    LessonCompletion,
    LessonOut,
    PageId,
    ReadingOut,
)

# The endpoints spell out their operation ids rather than take django-ninja's default (derived
# from this module's path): the ids are published in the OpenAPI schema, and clients generated
# from it name their methods after them.
router = Router(tags=["courses"])


def _progress(counts, started):
    return {
        "percent": counts.percent,
        "completed_count": counts.completed_count,
        "required_count": counts.required_count,
        "completed": counts.is_complete,
        "started": started,
    }


def _course(request, course, progress):
    return {
        "id": course.pk,
        "title": course.title,
        "summary": course.summary,
        "url": course.get_url(request),
        "estimated_minutes": course.estimated_minutes,
        "credit_hours": float(course.credit_hours),
        "topics": [{"slug": t.slug, "name": t.name} for t in course.topics.all()],
        "progress": progress,
    }


def _step(request, step, state):
    page = step.page
    return {
        "kind": step.kind,
        "id": page.pk,
        "title": page.title,
        "number": step.number,
        "required": step.required,
        "completed": step.completed,
        "estimated_minutes": page.estimated_minutes,
        "url": page.get_url(request),
        "quiz_id": getattr(page, "quiz_id", None),
        "open": step.kind != "quiz" or state.quiz_open,
    }


def _parent_path(page):
    return page.path[: -page.steplen]


def _require_live(*paths):
    """404 unless every page at ``paths`` (the course, its catalog) is live."""
    if Page.objects.live().filter(path__in=paths).count() != len(set(paths)):
        raise Http404


def _live_course(course_id):
    course = CoursePage.objects.live().filter(pk=course_id).prefetch_related("topics").first()
    if course is None:
        raise Http404
    _require_live(_parent_path(course))
    return course


@router.get(
    "/courses/",
    response=list[CourseSummary],
    summary="My courses",
    operation_id="courses_api_list_courses",
)
def list_courses(request, filters: Query[CourseListQuery]):
    """The live courses of every live catalog, with my progress. The number of queries does not
    grow with the number of courses."""
    params = {"topic": filters.topic, "q": filters.q.replace("\x00", "")}
    courses = []
    for catalog in CourseIndexPage.objects.live().order_by("path"):
        for card in catalog_listing(request.user, catalog, params)["cards"]:
            courses.append(_course(request, card.course, _progress(card, card.started)))
    return courses


@router.get(
    "/courses/{dbid:course_id}",
    response={200: CourseDetail, 404: Error},
    summary="A course with its steps and my progress",
    operation_id="courses_api_get_course",
)
def get_course(request, course_id: PageId):
    course = _live_course(course_id)
    context = course_page_context(request.user, course)
    state, resume = context["state"], context["resume"]
    data = _course(request, course, _progress(state, context["started"]))
    data["steps"] = [_step(request, step, state) for step in state.steps]
    data["resume_step_id"] = resume.page.pk if resume else None
    return data


def _live_lesson(lesson_id):
    lesson = LessonPage.objects.live().filter(pk=lesson_id).first()
    if lesson is None:
        raise Http404(_("No such lesson."))
    course_path = _parent_path(lesson)
    _require_live(course_path, course_path[: -lesson.steplen])
    return lesson


@router.get(
    "/lessons/{dbid:lesson_id}",
    response={200: LessonOut, 404: Error},
    summary="A lesson to read",
    operation_id="courses_api_get_lesson",
)
def get_lesson(request, lesson_id: PageId):
    """The lesson's content. Serving it starts its reading time: a lesson can be completed only
    by someone it was served to (here or on the web page), once it has been on their screen for
    its minimum reading time, counted from heartbeats."""
    lesson = _live_lesson(lesson_id)
    view = record_lesson_view(request.user, lesson)
    return {
        "id": lesson.pk,
        "course_id": lesson.get_parent().pk,
        "title": lesson.title,
        "intro": lesson.intro,
        "estimated_minutes": lesson.estimated_minutes,
        "body_html": str(lesson.body.render_as_block()),
        "completed": LessonProgress.objects.filter(user=request.user, lesson=lesson).exists(),
        "minimum_reading_seconds": lesson.minimum_reading_seconds(),
        "active_seconds": view.active_seconds,
        "reading_left": reading_left(view, lesson),
        "heartbeat_seconds": app_settings.LMS_LESSON_HEARTBEAT_SECONDS,
    }


@router.post(
    "/lessons/{dbid:lesson_id}/heartbeat",
    response={200: ReadingOut, 404: Error, 409: Error},
    summary="The lesson is on my screen",
    operation_id="courses_api_heartbeat",
)
def heartbeat(request, lesson_id: PageId):
    """Post while the lesson is shown (every ``heartbeat_seconds``); 409 for a lesson never
    served to me."""
    lesson = _live_lesson(lesson_id)
    try:
        view = record_heartbeat(request.user, lesson)
    except CompletionRefused as refused:
        return Status(409, {"detail": str(refused.message)})
    return {"active_seconds": view.active_seconds, "reading_left": reading_left(view, lesson)}


@router.post(
    "/lessons/{dbid:lesson_id}/complete",
    response={200: LessonCompletion, 404: Error, 409: Error},
    summary="Complete a lesson",
    operation_id="courses_api_complete",
)
def complete(request, lesson_id: PageId):
    """Record that I finished the lesson. Idempotent: repeating it changes nothing. 409 with a
    message when the lesson was never served to me or has not been on my screen for its minimum
    reading time yet."""
    lesson = _live_lesson(lesson_id)
    try:
        result = complete_lesson(request.user, lesson)
    except CompletionRefused as refused:
        return Status(409, {"detail": str(refused.message)})
    following = result.next_step
    return {
        "lesson_id": lesson.pk,
        "course_id": result.course.pk,
        "lesson_newly_completed": result.lesson_newly_completed,
        "course_newly_completed": result.course_newly_completed,
        "progress": _progress(result.state, True),
        "next_step": (
            {"kind": following.step_kind, "id": following.pk, "title": following.title}
            if following is not None
            else None
        ),
    }
