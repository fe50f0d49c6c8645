"""Query counts of the learner pages stay constant as a course grows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import QuizStepPage
from tests.factories import (
    finish_lesson,
    lessons_of,
    make_category,
    make_course,
    make_image,
    make_question,
    make_quiz,
)

# Per request: the session, the content generation (courses.services.route_cache) and the user.
# The route (the site, Wagtail's walk from the site's root through the catalog and the course to
# the page, the course's steps, the editors' view restrictions of the page and its ancestors: six
# queries) comes from the process's cached routes after an address's first request (ROUTE_QUERIES
# more then). The course page: my completions of its steps (one query, a UNION of each step
# type's) and my course progress (read; written only when the step changes). A lesson: my
# completions and course progress as the course page, and my view of it (read, or made the
# first time), which its reading time is counted on.
COURSE_PAGE_QUERIES = 5
LESSON_PAGE_QUERIES = 6
ROUTE_QUERIES = 6
# The catalog (its route cached as any page's): topics, courses (with my progress in them), their
# topics, cover renditions, every step under the catalog (one query) and my completions of them.
CATALOG_QUERIES = 9


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
        learner_client.get(course.url)  # the address's first request routes it
        counts[name] = (
            count_queries(learner_client, course.url),
            count_queries(learner_client, lesson.url),
        )
    assert counts["small"] == counts["big"], counts
    course_queries, lesson_queries = counts["big"]
    assert course_queries == COURSE_PAGE_QUERIES, course_queries
    assert lesson_queries == LESSON_PAGE_QUERIES, lesson_queries
    # A completed lesson needs no reading clock: one query less.
    lesson = lessons_of(big)[1]
    finish_lesson(learner_client.get(lesson.url).wsgi_request.user, lesson)
    assert count_queries(learner_client, lesson.url) == LESSON_PAGE_QUERIES - 1


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


@pytest.mark.django_db
def test_an_addresss_first_request_routes_it_then_the_route_is_kept(learner_client, catalog):
    course = make_course(catalog, title="两课", slug="small", lessons=2)
    learner_client.get(catalog.url)  # the session's first touch
    learner_client.get(lessons_of(course)[0].url)  # course progress made
    first = count_queries(learner_client, course.url)
    again = count_queries(learner_client, course.url)
    assert (first, again) == (COURSE_PAGE_QUERIES + ROUTE_QUERIES, COURSE_PAGE_QUERIES)
