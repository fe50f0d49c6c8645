"""Progress of learners through courses: the only module that writes progress records."""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from ..models import (
    CourseIndexPage,
    CoursePage,
    CourseProgress,
    LessonPage,
    LessonProgress,
    QuizStepPage,
    Topic,
)
from ..signals import course_completed, lesson_completed

#: Page models that can be steps of a course. Each has ``step_kind``, ``is_required`` and a
#: ``completed_step_ids(user, page_ids)`` classmethod answering with one query.
STEP_MODELS = [LessonPage, QuizStepPage]


@dataclass
class Step:
    page: object
    kind: str
    required: bool
    completed: bool
    number: int


@dataclass
class CourseState:
    course: CoursePage
    steps: list = field(default_factory=list)

    @property
    def required_steps(self):
        return [step for step in self.steps if step.required]

    @property
    def completed_count(self):
        return sum(1 for step in self.required_steps if step.completed)

    @property
    def required_count(self):
        return len(self.required_steps)

    @property
    def percent(self):
        if not self.required_count:
            return 0
        return round(100 * self.completed_count / self.required_count)

    @property
    def is_complete(self):
        return self.required_count > 0 and self.completed_count == self.required_count

    @property
    def next_step(self):
        """The first step not yet completed (required or not), in course order."""
        return next((step for step in self.steps if not step.completed), None)

    def step_for(self, page):
        return next((step for step in self.steps if step.page.pk == page.pk), None)


def course_steps(course):
    """The live steps of ``course`` in tree order, as specific pages (one query per step type)."""
    steps = []
    for model in STEP_MODELS:
        steps.extend(model.objects.child_of(course).live())
    steps.sort(key=lambda page: page.path)
    return steps


def course_state(user, course, pages=None):
    """Each step of ``course`` with whether ``user`` completed it, and the course's progress."""
    pages = course_steps(course) if pages is None else pages
    completed = set()
    for model in STEP_MODELS:
        ids = [page.pk for page in pages if isinstance(page, model)]
        if ids:
            completed |= model.completed_step_ids(user, ids)
    steps = [
        Step(
            page=page,
            kind=page.step_kind,
            required=page.is_required,
            completed=page.pk in completed,
            number=number,
        )
        for number, page in enumerate(pages, start=1)
    ]
    return CourseState(course=course, steps=steps)


def lesson_context(user, lesson):
    """What a step page (lesson or quiz) shows around its body: the course, position,
    prev/next, progress."""
    course = lesson.get_parent().specific  # cached by CoursePage.route when served
    state = course_state(user, course)
    current = state.step_for(lesson)
    index = state.steps.index(current) if current else 0
    return {
        "catalog": course.get_parent(),
        "course": course,
        "state": state,
        "step": current,
        "previous_step": state.steps[index - 1] if current and index > 0 else None,
        "next_step": state.steps[index + 1] if current and index + 1 < len(state.steps) else None,
    }


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
    course: CoursePage
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
                sender=LessonPage, user=user, lesson=lesson, revision=lesson.live_revision, at=now
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


def course_score(user, state):
    """The learner's best passed score over the course's quiz steps (``None`` without any)."""
    from quizzes.models import Attempt

    quiz_ids = [step.page.quiz_id for step in state.steps if step.kind == "quiz"]
    if not quiz_ids:
        return None
    return Attempt.objects.filter(
        user=user, quiz_id__in=quiz_ids, status=Attempt.FINAL, passed=True
    ).aggregate(best=Max("score"))["best"]


def _mark_course_complete(user, course, now, state):
    progress, _created = CourseProgress.objects.get_or_create(user=user, course=course)
    # A conditional UPDATE: of two concurrent requests only one sees a row to change.
    newly = CourseProgress.objects.filter(pk=progress.pk, completed_at__isnull=True).update(
        completed_at=now, completed_revision_id=course.live_revision_id
    )
    if newly:
        course_completed.send(
            sender=CoursePage,
            user=user,
            course=course,
            revision=course.live_revision,
            score=course_score(user, state),
            at=now,
        )
    return bool(newly)


@dataclass
class CourseCard:
    course: CoursePage
    completed_count: int
    required_count: int
    started: bool

    @property
    def percent(self):
        if not self.required_count:
            return 0
        return round(100 * self.completed_count / self.required_count)

    @property
    def is_complete(self):
        return self.required_count > 0 and self.completed_count == self.required_count


def catalog_listing(user, catalog, params):
    """The catalog's live courses for ``user``, filtered by ``topic`` and ``q`` from ``params``.

    The number of queries does not grow with the number of courses or lessons.
    """
    topics = list(Topic.objects.all())
    courses = (
        CoursePage.objects.child_of(catalog)
        .live()
        .select_related("cover")
        .prefetch_related("topics", "cover__renditions")
        .order_by("path")
    )
    topic = next((t for t in topics if t.slug == params.get("topic", "")), None)
    if topic is not None:
        courses = courses.filter(topics=topic)
    query = (params.get("q") or "").replace("\x00", "").strip()[:100]
    if query:
        # icontains rather than the full-text backend: Chinese has no spaces between words, so
        # token-based search misses most partial matches of a title.
        courses = courses.filter(
            Q(title__icontains=query) | Q(summary__icontains=query) | Q(topics__name=query)
        ).distinct()
    courses = list(courses)

    required = {}
    by_course_path = {course.path: course.pk for course in courses}
    step_ids = {}
    for model in STEP_MODELS:
        rows = model.objects.descendant_of(catalog).live().values_list("pk", "path", "is_required")
        for pk, path, is_required in rows:
            course_pk = by_course_path.get(path[: -CoursePage.steplen])
            if course_pk is None:
                continue
            step_ids.setdefault(model, []).append(pk)
            if is_required:
                required.setdefault(course_pk, set()).add(pk)
    completed = set()
    for model, ids in step_ids.items():
        completed |= model.completed_step_ids(user, ids)
    started = set(
        CourseProgress.objects.filter(user=user, course__in=courses).values_list(
            "course_id", flat=True
        )
    )
    cards = [
        CourseCard(
            course=course,
            completed_count=len(required.get(course.pk, set()) & completed),
            required_count=len(required.get(course.pk, set())),
            started=course.pk in started,
        )
        for course in courses
    ]
    return {
        "catalog": catalog,
        "cards": cards,
        "topics": topics,
        "current_topic": topic,
        "query": query,
    }


def catalog_for_request(request):
    """The live course catalog of the request's site (memoised on the request)."""
    if not hasattr(request, "_lms_catalog"):
        from wagtail.models import Site

        site = Site.find_for_request(request)
        catalogs = CourseIndexPage.objects.live()
        if site is not None:
            catalogs = catalogs.descendant_of(site.root_page, inclusive=True)
        request._lms_catalog = catalogs.order_by("path").first()
    return request._lms_catalog


def course_page_context(user, course):
    """What a course page shows: its steps with my progress, and where to resume."""
    state = course_state(user, course)
    progress = CourseProgress.objects.filter(user=user, course=course).first()
    resume = None
    if progress and progress.last_step_id:
        resume = next(
            (s for s in state.steps if s.page.pk == progress.last_step_id and not s.completed),
            None,
        )
    resume = resume or state.next_step or (state.steps[0] if state.steps else None)
    return {
        "catalog": course.get_parent(),
        "state": state,
        "resume": resume,
        "started": progress is not None,
    }


def quiz_step_context(user, step):
    """A quiz step's page: the quiz rules, my attempts and where to start or continue."""
    from quizzes.models import Attempt
    from quizzes.services import attempts_left

    attempts = list(Attempt.objects.filter(user=user, quiz=step.quiz).order_by("number"))
    return {
        "quiz": step.quiz,
        "attempts": attempts,
        "open_attempt": next((a for a in attempts if a.is_open), None),
        "best_attempt": max(
            (a for a in attempts if a.is_final), key=lambda a: a.score, default=None
        ),
        "attempts_left": attempts_left(user, step.quiz),
    }


def record_quiz_result(attempt):
    """After a quiz attempt is final: if it passed, complete the courses where it is a step."""
    if not attempt.passed:
        return []
    completed = []
    now = timezone.now()
    for step in QuizStepPage.objects.live().filter(quiz_id=attempt.quiz_id):
        course = step.get_parent().specific
        state = course_state(attempt.user, course)
        if state.is_complete and _mark_course_complete(attempt.user, course, now, state):
            completed.append(course)
    return completed
