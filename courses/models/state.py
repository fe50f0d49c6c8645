"""A learner's state in a course, read-only: its steps, which of them the learner completed, where
to resume, and the context the course and step pages render from it.

Both the pages (to render) and ``courses.services.progress`` (to decide whether a course is now
complete) read it, so it imports no page module: a course's step models are found through the
course itself (``CoursePage.subpage_types``). The pages import this module and the writers, the
writers import this module, and nothing here imports back.
"""

from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext as _
from wagtail.fields import StreamField
from wagtail.models import Page

from quizzes.models import Attempt
from quizzes.services import attempts_left

from .progress import CourseProgress


def step_models(course):
    """The page models that can be steps of ``course`` (a course page or its class).

    They are the course's allowed child page types, in the order of ``subpage_types``. Each has
    ``step_kind``, ``is_required`` and a ``completed_condition(user)`` classmethod: a condition
    on a ``Page`` row, true when ``user`` completed it as a step of that type.
    """
    return course.allowed_subpage_models()


def completed_step_ids(user, models, page_ids):
    """The ids among ``page_ids`` of the steps ``user`` completed, of any of the step ``models``:
    one query, however many steps and step types."""
    if not page_ids:
        return set()
    condition = reduce(or_, (Q(model.completed_condition(user)) for model in models))
    return set(
        Page.objects.filter(condition, pk__in=page_ids).order_by().values_list("pk", flat=True)
    )


def specific_steps(models, pages):
    """The step pages of ``pages`` (a ``Page`` queryset) as their step models, read in one query:
    each model's table is joined (``select_related`` of its parent link), not read apart."""
    names = [model._meta.model_name for model in models]
    # Without their bodies (StreamField): the course's pages list the steps, a lesson page
    # renders its own body once per content state (``LessonPage.body_html``).
    bodies = [
        f"{name}__{field.name}"
        for name, model in zip(names, models, strict=True)
        for field in model._meta.local_fields
        if isinstance(field, StreamField)
    ]
    steps = []
    for page in pages.select_related(*names).defer(*bodies):
        step = next(
            (getattr(page, name, None) for name in names if getattr(page, name, None)), None
        )
        if step is not None:
            steps.append(step)
    return steps


@dataclass
class PlainSelect:
    """One column (``field``) of ``model``'s rows matching ``filters`` (field name: a value, or a
    list of values), read as plain SQL: what a step model's ``completed_keys`` returns."""

    model: type
    field: str
    filters: dict

    def as_sql(self, tag):
        """``(sql, params)`` selecting the number ``tag`` and the column, or None when a list of
        values is empty (no row can match)."""
        quote = connection.ops.quote_name
        meta = self.model._meta
        conditions, params = [], []
        for name, value in self.filters.items():
            column = quote(meta.get_field(name).column)
            if isinstance(value, (list, tuple, set)):
                if not value:
                    return None
                conditions.append(f"{column} IN ({', '.join(['%s'] * len(value))})")
                params.extend(value)
            else:
                conditions.append(f"{column} = %s")
                params.append(value)
        column = quote(meta.get_field(self.field).column)
        table = quote(meta.db_table)
        where = " AND ".join(conditions)
        # Names quoted from the model's meta, values as parameters: nothing comes from input.
        return f"SELECT {int(tag)}, {column} FROM {table} WHERE {where}", params  # noqa: S608


def completed_steps(user, models, pages):
    """The ids of the step ``pages`` (specific pages, of the step ``models``) that ``user``
    completed: one query, a UNION ALL of each step type's ``completed_keys`` — plain SQL, as every
    step page reads it on every request (the ORM took most of the time building the query)."""
    parts, params = [], []
    for tag, model in enumerate(models):
        mine = [page for page in pages if type(page) is model]
        select = model.completed_keys(user, mine).as_sql(tag) if mine else None
        if select is not None:
            parts.append(select[0])
            params.extend(select[1])
    if not parts:
        return set()
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        done = set(cursor.fetchall())
    return {
        page.pk
        for page in pages
        if type(page) in models and (models.index(type(page)), page.completion_key) in done
    }


@dataclass
class Step:
    page: object
    kind: str
    required: bool
    completed: bool
    number: int


@dataclass
class CourseState:
    """A learner's state in a course. ``completed_at`` is when the course was completed (its
    ``CourseProgress``), if it was: a completed course stays completed — the record and the
    certificate name the revision completed — and steps published afterwards show as new, not
    as work left (see the README, *completion of an earlier revision*)."""

    course: Page
    steps: list = field(default_factory=list)
    completed_at: object = None

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
        if self.completed_at is not None:
            return 100
        if not self.required_count:
            return 0
        return round(100 * self.completed_count / self.required_count)

    @property
    def is_complete(self):
        if self.completed_at is not None:
            return True
        return self.required_count > 0 and self.completed_count == self.required_count

    @property
    def new_steps(self):
        """Steps published after the learner completed the course (not done by them)."""
        if self.completed_at is None:
            return []
        return [step for step in self.steps if not step.completed]

    @property
    def next_step(self):
        """The first step not yet completed (required or not), in course order."""
        return next((step for step in self.steps if not step.completed), None)

    def step_for(self, page):
        return next((step for step in self.steps if step.page.pk == page.pk), None)

    @property
    def required_lessons(self):
        """The required steps that are not quizzes (the lessons a quiz step may wait for)."""
        return [step for step in self.required_steps if step.kind != "quiz"]

    @property
    def lessons_done(self):
        return sum(1 for step in self.required_lessons if step.completed)

    @property
    def quiz_open(self):
        """Whether the course's quiz steps may be started: once every required lesson is done,
        unless the course lets learners take its quizzes first (``quiz_after_lessons``)."""
        if not getattr(self.course, "quiz_after_lessons", True):
            return True
        return self.lessons_done == len(self.required_lessons)


def course_steps(course):
    """The live steps of ``course`` in tree order, as specific pages (one query).

    When the course routed this request to one of its steps (``CoursePage.route``), the steps it
    read for that are reused: the pages only, never a learner's progress in them."""
    routed = getattr(course, "_lms_routed_steps", None)
    if routed is not None:
        return list(routed)
    return specific_steps(
        step_models(course), Page.objects.child_of(course).live().order_by("path")
    )


def course_state(user, course, pages=None, progress=None):
    """Each step of ``course`` with whether ``user`` completed it, and the course's progress.
    ``progress`` is the learner's ``CourseProgress`` of the course when the caller has it (it
    says whether the course was completed); without it the state is counted from the steps."""
    pages = course_steps(course) if pages is None else pages
    completed = completed_steps(user, step_models(course), pages)
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
    completed_at = progress.completed_at if progress is not None else None
    return CourseState(course=course, steps=steps, completed_at=completed_at)


def lesson_context(user, lesson, progress=None):
    """What a step page (lesson or quiz) shows around its body: the course, position,
    prev/next, progress, and for a quiz step why it is still closed (or "")."""
    course = lesson.get_parent().specific  # cached by CoursePage.route when served
    state = course_state(user, course, progress=progress)
    current = state.step_for(lesson)
    index = state.steps.index(current) if current else 0
    return {
        "catalog": course.get_parent(),
        "course": course,
        "state": state,
        "step": current,
        "previous_step": state.steps[index - 1] if current and index > 0 else None,
        "next_step": state.steps[index + 1] if current and index + 1 < len(state.steps) else None,
        "quiz_closed": "" if state.quiz_open else quiz_closed_message(state),
    }


def course_page_context(user, course):
    """What a course page shows: its steps with my progress, and where to resume."""
    progress = CourseProgress.objects.of(user, course)
    state = course_state(user, course, progress=progress)
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


def closed_quiz_course(user, steps):
    """Of the live quiz ``steps`` (of one quiz), the state of a course whose lessons still keep
    the quiz closed to ``user`` — None when the quiz is open: it is no course's step, or at least
    one of its courses lets ``user`` take it now."""
    closed = None
    for step in steps:
        state = course_state(user, step.get_parent().specific)
        if state.quiz_open:
            return None
        closed = closed or state
    return closed


def quiz_closed_message(state):
    """Why a course's quiz cannot be started yet, with how far the learner is."""
    return _(
        "Finish the lessons of “%(course)s” first: %(done)d of %(total)d required lessons done."
    ) % {
        "course": state.course.title,
        "done": state.lessons_done,
        "total": len(state.required_lessons),
    }
