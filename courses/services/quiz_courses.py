"""The courses a quiz is a step of, each with its steps: read for what a result of the quiz does
to them (``progress.record_quiz_result``) and for the notes under the result
(``courses.views.results``).

They are found from the page tree's paths (a step's course is the page its path starts with)
rather than by walking the tree through Wagtail, which costs a query for each step's parent,
one for the parent's own model and one for the course's steps: here two queries in all, however
many courses and steps. The module reads the page models, so no page module may import it
(``courses.services`` does not).
"""

from functools import reduce
from operator import or_

from django.db.models import Q
from django.db.models.functions import Length, Substr
from wagtail.models import Page

from ..models import CoursePage, QuizStepPage
from ..models.state import course_state, specific_steps, step_models


def quiz_courses(quiz_id):
    """``[(course, steps)]``: each course (a specific page, its live revision read with it) that
    a live quiz step of the quiz ``quiz_id`` belongs to, in tree order and once, with its live
    steps in tree order as specific pages (what ``courses.models.state.course_steps`` reads)."""
    parents = (
        QuizStepPage.objects.live()
        .filter(quiz_id=quiz_id)
        .annotate(parent_path=Substr("path", 1, Length("path") - Page.steplen))
        .values("parent_path")
    )
    courses = [
        # A quiz step's parent is a course page (``parent_page_types``); a site's own subclass
        # of it is read as its own model (one more query, as ``.specific`` would).
        course if course.specific_class is CoursePage else course.specific
        for course in CoursePage.objects.filter(path__in=parents)
        .select_related("live_revision")
        .order_by("path")
    ]
    if not courses:
        return []
    kinds = {course.path: step_models(course) for course in courses}
    models = list(dict.fromkeys(model for found in kinds.values() for model in found))
    children = reduce(
        or_, (Q(path__startswith=course.path, depth=course.depth + 1) for course in courses)
    )
    steps = {course.path: [] for course in courses}
    for page in specific_steps(models, Page.objects.live().filter(children).order_by("path")):
        parent = page.path[: -Page.steplen]
        if type(page) in kinds[parent]:
            steps[parent].append(page)
    return [(course, steps[course.path]) for course in courses]


#: Where the courses app keeps, on an attempt object, the learner's state in the courses of its
#: quiz as recording its result found them (``keep_course_states``).
KEPT_STATES = "_lms_course_states"


def keep_course_states(attempt, states):
    """Keep on ``attempt`` (this object only, for this request) the learner's states in the
    courses of its quiz that recording its result read, for the notes under the result."""
    setattr(attempt, KEPT_STATES, states)


def course_states(user, attempt):
    """``user``'s state in each course the quiz of ``attempt`` is a live step of: as recording
    the attempt's result left them when this object went through it (``keep_course_states``),
    else read now (three queries for one course)."""
    kept = getattr(attempt, KEPT_STATES, None)
    if kept is not None and attempt.user_id == user.pk:
        return kept
    return [
        course_state(user, course, pages=steps) for course, steps in quiz_courses(attempt.quiz_id)
    ]
