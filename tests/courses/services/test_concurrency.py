"""Concurrent completions by the same learner: one row, one signal, no "database is locked".

Runs with real threads and connections on SQLite (WAL + IMMEDIATE) and on PostgreSQL.
"""

import threading

import pytest

from courses import services
from courses.models import CourseProgress, LessonProgress
from courses.signals import course_completed, lesson_completed
from tests.concurrency import run_concurrently
from tests.factories import UserFactory, finish_lesson, lessons_of, make_catalog, make_course

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_completion_of_the_last_lesson_completes_the_course_once():
    course = make_course(make_catalog(), title="并发", slug="concurrent", lessons=2)
    learner = UserFactory(username="200001")
    first, last = lessons_of(course)
    finish_lesson(learner, first)
    events = []
    lock = threading.Lock()

    def on_lesson(sender, **kwargs):
        with lock:
            events.append("lesson")

    def on_course(sender, **kwargs):
        with lock:
            events.append("course")

    lesson_completed.connect(on_lesson)
    course_completed.connect(on_course)
    services.record_lesson_view(learner, last)  # the lesson was served before the taps
    try:
        _results, errors = run_concurrently(lambda: services.complete_lesson(learner, last))
    finally:
        lesson_completed.disconnect(on_lesson)
        course_completed.disconnect(on_course)

    assert errors == []
    assert LessonProgress.objects.filter(user=learner).count() == 2
    assert sorted(events) == ["course", "lesson"]
    assert CourseProgress.objects.get(user=learner, course=course).completed_at is not None


def test_concurrent_visits_make_one_progress_row():
    course = make_course(make_catalog(), title="并发访问", slug="visits", lessons=1)
    learner = UserFactory(username="200002")
    lesson = lessons_of(course)[0]
    _results, errors = run_concurrently(lambda: services.record_visit(learner, course, lesson))
    assert errors == []
    assert CourseProgress.objects.filter(user=learner, course=course).count() == 1
