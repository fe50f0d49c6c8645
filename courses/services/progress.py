"""Progress of learners through courses: the only code that writes progress records.

The pages call these writers, so the writers import no page module: only the progress models
they write and the read-only course state (``courses.models.state``). A signal's ``sender`` is
the class of the page at hand, and the quiz steps a result counts for are passed in by the caller.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Subquery, Sum, Value
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from quizzes.models import Attempt

from ..conf import app_settings
from ..exceptions import CompletionRefused
from ..models.progress import CourseProgress, LessonProgress, LessonView
from ..models.state import CourseState, course_state
from ..signals import course_completed, lesson_completed


def record_visit(user, course, page):
    """Remember the step ``user`` last opened in ``course``, so any device can resume there.
    Returns the learner's ``CourseProgress`` of the course. Writes only when the step changed:
    reloading a page reads one row."""
    progress = CourseProgress.objects.of(user, course)
    if progress is None:
        try:
            with transaction.atomic():
                return CourseProgress.objects.create(user=user, course=course, last_step=page)
        except IntegrityError:
            # Another request of the same learner created it a moment ago.
            progress = CourseProgress.objects.get(user=user, course=course)
    if progress.last_step_id != page.pk:
        CourseProgress.objects.filter(pk=progress.pk).update(
            last_step=page, last_visited_at=timezone.now()
        )
        progress.last_step_id = page.pk
    return progress


# --- Reading time --------------------------------------------------------------------------


def heartbeat_cap():
    """The most one heartbeat is credited with, in seconds."""
    return app_settings.LMS_LESSON_HEARTBEAT_SECONDS * 3 / 2


def record_lesson_view(user, lesson, at=None):
    """The lesson is being served to ``user``: their ``LessonView`` (made on the first serving,
    which starts the clock of the minimum reading time)."""
    at = at or timezone.now()
    view, _created = LessonView.objects.get_or_create(
        user=user, lesson=lesson, defaults={"first_served_at": at, "last_seen_at": at}
    )
    return view


def _credit(view, at):
    """Credit ``view`` with the time since it was last seen (capped) and move it on; returns the
    view as it is now. Row-locked, so two heartbeats at once credit one interval once."""
    current = LessonView.objects.select_for_update().get(pk=view.pk)
    seconds = int(min(max((at - current.last_seen_at).total_seconds(), 0), heartbeat_cap()))
    LessonView.objects.filter(pk=view.pk).update(
        active_seconds=F("active_seconds") + seconds, last_seen_at=at
    )
    current.active_seconds += seconds
    current.last_seen_at = at
    return current


def not_served_message():
    return _("Open the lesson and read it before completing it.")


def record_heartbeat(user, lesson, at=None):
    """The lesson is on ``user``'s screen now: credit the time since the last heartbeat (at most
    ``heartbeat_cap()``). Raises CompletionRefused when the lesson was never served to them."""
    at = at or timezone.now()
    with transaction.atomic():
        view = LessonView.objects.filter(user=user, lesson=lesson).first()
        if view is None:
            raise CompletionRefused(not_served_message())
        return _credit(view, at)


def record_reading(user, lesson, seconds, at=None):
    """Credit ``seconds`` of reading ``lesson`` measured elsewhere — the demo's simulated
    learners, a reading time imported from another system — in one go, serving the lesson first
    if needed. Not reachable from a page or the API, where only heartbeats count."""
    at = at or timezone.now()
    with transaction.atomic():
        view = record_lesson_view(user, lesson, at=at - timedelta(seconds=seconds))
        LessonView.objects.filter(pk=view.pk).update(
            active_seconds=F("active_seconds") + int(seconds), last_seen_at=at
        )
    view.refresh_from_db()
    return view


def reading_left(view, lesson):
    """Seconds of reading ``lesson`` still needed before it can be completed (0 when none)."""
    return max(lesson.minimum_reading_seconds() - (view.active_seconds if view else 0), 0)


def course_reading_seconds(user, course):
    """The seconds ``user`` has had the lessons of ``course`` on screen, in all."""
    return (
        LessonView.objects.filter(user=user, lesson__path__startswith=course.path).aggregate(
            total=Sum("active_seconds")
        )["total"]
        or 0
    )


def course_completion_figures(user, course, state):
    """``(score, seconds)`` of ``user``'s completion of ``course`` (with its ``state``), read in
    one query: their best passed score over its quiz steps (``None`` without any), and the
    seconds its lessons were on their screen in all (``course_reading_seconds``)."""
    quiz_ids = [step.page.quiz_id for step in state.steps if step.kind == "quiz"]
    seconds = (
        LessonView.objects.filter(user=user, lesson__path__startswith=course.path)
        .order_by()
        .values("user")
        .annotate(total=Sum("active_seconds"))
        .values("total")
    )
    best = Value(None, output_field=Attempt._meta.get_field("score"))
    if quiz_ids:
        best = Subquery(
            Attempt.objects.filter(
                user=user, quiz_id__in=quiz_ids, status=Attempt.FINAL, passed=True
            )
            .order_by()
            .values("user")
            .annotate(best=Max("score"))
            .values("best")
        )
    # Both as subqueries of one row: the learner's own.
    score, total = (
        get_user_model().objects.filter(pk=user.pk).values_list(best, Subquery(seconds)).get()
    )
    return score, total or 0


@dataclass
class CompletionResult:
    course: Page
    state: CourseState
    lesson_newly_completed: bool
    course_newly_completed: bool
    next_step: object = None


def complete_lesson(user, lesson, at=None):
    """Record that ``user`` finished ``lesson``. Idempotent: repeating it changes nothing.

    The first time, the lesson must have been served to ``user`` and on their screen for its
    minimum reading time (the time since the last heartbeat counts too, capped); else
    CompletionRefused says how much is left. Sends ``lesson_completed`` then, and
    ``course_completed`` when this was the last required step of the course.
    """
    now = at or timezone.now()
    course = lesson.get_parent().specific
    view = None
    if not LessonProgress.objects.filter(user=user, lesson=lesson).exists():
        # The reading up to this tap counts even when the tap is refused.
        view = record_heartbeat(user, lesson, at=now)
        left = reading_left(view, lesson)
        if left:
            raise CompletionRefused(
                _(
                    "Read the lesson a little longer before completing it: %(left)d more "
                    "seconds (at least %(minimum)d seconds on screen)."
                )
                % {"left": left, "minimum": lesson.minimum_reading_seconds()}
            )
    with transaction.atomic():
        created = False
        if view is not None:
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
                time_spent=view.active_seconds,
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
    # The learner's progress row is made if they have none (an INSERT that does nothing when
    # it exists, or when another request makes it at the same moment), then completed by a
    # conditional UPDATE: of two concurrent requests only one sees a row to change.
    CourseProgress.objects.bulk_create(
        [CourseProgress(user=user, course=course)], ignore_conflicts=True
    )
    newly = CourseProgress.objects.filter(
        user=user, course=course, completed_at__isnull=True
    ).update(completed_at=now, completed_revision_id=course.live_revision_id)
    if newly:
        score, seconds = course_completion_figures(user, course, state)
        course_completed.send(
            sender=type(course),
            user=user,
            course=course,
            revision=course.live_revision,
            score=score,
            at=now,
            time_spent=seconds,
        )
    return bool(newly)


def record_quiz_result(attempt, courses):
    """After a quiz attempt is final: if it passed, complete the courses where it is a step.

    ``courses`` are the courses the attempt's quiz is a live step of, each with its live steps
    (``[(course, steps)]``, as ``courses.services.quiz_courses`` reads them). Returns the
    learner's state in each of them (``[]`` when the attempt did not pass): completing a course
    changes no step, so it is also their state after this.
    """
    if not attempt.passed:
        return []
    states = []
    now = timezone.now()
    for course, steps in courses:
        state = course_state(attempt.user, course, pages=steps)
        states.append(state)
        if state.is_complete:
            _mark_course_complete(attempt.user, course, now, state)
    return states


def restart_course(user_ids, course_id):
    """Take the course ``course_id`` again, for the users ``user_ids`` (a renewal of training
    that expires): their progress through it, lesson completions and reading clocks are
    cleared, so it is completed again only by reading its lessons again (and a new
    ``course_completed``). What was recorded from the earlier completion (records,
    certificates, attempts) is not progress and is kept. Returns how many lessons were
    cleared."""
    user_ids = list(user_ids)
    if not user_ids:
        return 0
    lessons = Page.objects.get(pk=course_id).get_descendants().values("pk")
    with transaction.atomic():
        CourseProgress.objects.filter(user_id__in=user_ids, course_id=course_id).delete()
        LessonView.objects.filter(user_id__in=user_ids, lesson_id__in=lessons).delete()
        cleared, _by_model = LessonProgress.objects.filter(
            user_id__in=user_ids, lesson_id__in=lessons
        ).delete()
    return cleared
