"""Query counts of the learner pages stay constant as a course grows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import QuizStepPage
from tests.factories import (
    lessons_of,
    make_category,
    make_course,
    make_image,
    make_question,
    make_quiz,
)

# Per request, five queries are fixed costs of Django and Wagtail page serving: session, user,
# site, and Wagtail's two view-restriction lookups. Routing takes four (root, catalog x2, course
# and lesson: CourseIndexPage/CoursePage.route fetch each level's own model in one query). The
# page logic itself: steps (one query per step type: lessons, quiz steps), my completions (one
# for lessons, two for quiz steps: their quizzes, my passed attempts), my course progress (read;
# written only when the step changes). A lesson also reads (or, the first time, makes) my view
# of it, which its reading time is counted on.
COURSE_PAGE_QUERIES = 14
LESSON_PAGE_QUERIES = 16
# The catalog: topics, courses, their topics, cover renditions, steps, completions, progress.
CATALOG_QUERIES = 17


def add_final_check(course):
    step = QuizStepPage(
        title="结业测验",
        slug="final-check",
        quiz=make_quiz([make_question(make_category())]),
    )
    course.add_child(instance=step)
    step.save_revision().publish()


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.django_db
def test_lesson_and_course_pages_use_constant_queries(learner_client, catalog):
    small = make_course(catalog, title="两课", slug="small", lessons=2)
    big = make_course(catalog, title="四十课", slug="big", lessons=40)
    add_final_check(small)
    add_final_check(big)
    # Warm-up request: the session and the site root paths cache.
    learner_client.get(small.url)
    counts = {}
    for name, course in (("small", small), ("big", big)):
        lesson = lessons_of(course)[1]
        learner_client.get(lesson.url)  # creates the course progress row once
        counts[name] = (
            count_queries(learner_client, course.url),
            count_queries(learner_client, lesson.url),
        )
    assert counts["small"] == counts["big"], counts
    course_queries, lesson_queries = counts["big"]
    assert course_queries == COURSE_PAGE_QUERIES, course_queries
    assert lesson_queries == LESSON_PAGE_QUERIES, lesson_queries


@pytest.mark.slow
@pytest.mark.django_db
def test_catalog_uses_constant_queries(learner_client, catalog):
    cover = make_image()
    add_final_check(make_course(catalog, title="一", slug="one", lessons=2, cover=cover))
    learner_client.get(catalog.url)
    few = count_queries(learner_client, catalog.url)
    for number in range(2, 12):
        course = make_course(
            catalog, title=f"课程{number}", slug=f"c{number}", lessons=3, cover=cover
        )
        add_final_check(course)
    learner_client.get(catalog.url)  # renditions are generated once, on first view
    many = count_queries(learner_client, catalog.url)
    assert few == many, (few, many)
    assert many == CATALOG_QUERIES, many
