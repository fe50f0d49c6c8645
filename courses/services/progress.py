"""Progress of learners through courses: the only code that writes progress records.

The pages call these writers, so the writers import no page module: only the progress models
they write and the read-only course state (``courses.models.state``). A signal's ``sender`` is
the class of the page at hand, and the quiz steps a result counts for are passed in by the caller.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.models import Page

from ..models.progress import CourseProgress, LessonProgress
from ..models.state import CourseState, course_score, course_state
from ..signals import course_completed, lesson_completed


def record_visit(user, course, page):
    """Remember the step ``user`` last opened in ``course``, so any device can resume there."""
    updated = CourseProgress.objects.filter(user=user, course=course).update(
        last_step=page, last_visited_at=timezone.now()
    )
    if not updated:
        try:
            with transaction.atomic():
                CourseProgress.objects.create(user=user, course=course, last_step=page)
        except IntegrityError:
            # Another request of the same learner created it a moment ago.
            CourseProgress.objects.filter(user=user, course=course).update(last_step=page)


@dataclass
class CompletionResult:
    course: Page
    state: CourseState
    lesson_newly_completed: bool
    course_newly_completed: bool
    next_step: object = None


def complete_lesson(user, lesson):
    """Record that ``user`` finished ``lesson``. Idempotent: repeating it changes nothing.

    Sends ``lesson_completed`` the first time, and ``course_completed`` when this was the last
    required step of the course.
    """
    now = timezone.now()
    course = lesson.get_parent().specific
    with transaction.atomic():
        _progress, created = LessonProgress.objects.get_or_create(
            user=user,
            lesson=lesson,
            defaults={"completed_at": now, "revision_id": lesson.live_revision_id},
        )
        if created:
            lesson_completed.send(
                sender=type(lesson),
                user=user,
                lesson=lesson,
                revision=lesson.live_revision,
                at=now,
            )
        state = course_state(user, course)
        course_newly_completed = False
        if state.is_complete:
            course_newly_completed = _mark_course_complete(user, course, now, state)
    current = state.step_for(lesson)
    following = state.steps[state.steps.index(current) + 1 :] if current else []
    return CompletionResult(
        course=course,
        state=state,
        lesson_newly_completed=created,
        course_newly_completed=course_newly_completed,
        next_step=following[0].page if following else None,
    )


def _mark_course_complete(user, course, now, state):
    progress, _created = CourseProgress.objects.get_or_create(user=user, course=course)
    # A conditional UPDATE: of two concurrent requests only one sees a row to change.
    newly = CourseProgress.objects.filter(pk=progress.pk, completed_at__isnull=True).update(
        completed_at=now, completed_revision_id=course.live_revision_id
    )
    if newly:
        course_completed.send(
            sender=type(course),
            user=user,
            course=course,
            revision=course.live_revision,
            score=course_score(user, state),
            at=now,
        )
    return bool(newly)


def record_quiz_result(attempt, steps):
    """After a quiz attempt is final: if it passed, complete the courses where it is a step.

    ``steps`` are the live quiz steps of the attempt's quiz (``courses.signal_handlers`` passes a
    queryset); they are read only when the attempt passed.
    """
    if not attempt.passed:
        return []
    completed = []
    now = timezone.now()
    for step in steps:
        course = step.get_parent().specific
        state = course_state(attempt.user, course)
        if state.is_complete and _mark_course_complete(attempt.user, course, now, state):
            completed.append(course)
    return completed
