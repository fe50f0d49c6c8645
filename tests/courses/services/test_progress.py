"""Lesson completion, course completion and resuming: the rules in courses.services."""

import pytest

from courses import services
from courses.models import CourseProgress, LessonPage, LessonProgress
from courses.models.state import course_page_context, course_state
from courses.signals import course_completed, lesson_completed
from tests.factories import finish_lesson, lessons_of, make_course, make_lesson


@pytest.fixture
def received():
    events = []

    def on_lesson(sender, **kwargs):
        events.append(("lesson", kwargs["lesson"].pk))

    def on_course(sender, **kwargs):
        events.append(("course", kwargs["course"].pk, kwargs["revision"].pk))

    lesson_completed.connect(on_lesson)
    course_completed.connect(on_course)
    yield events
    lesson_completed.disconnect(on_lesson)
    course_completed.disconnect(on_course)


def complete_url(lesson):
    return lesson.url + "complete/"


def read_then_complete(client, lesson):
    """Open the lesson (it is served: its reading time starts), then tap 完成."""
    assert client.get(lesson.url).status_code == 200
    return client.post(complete_url(lesson))


@pytest.mark.django_db
def test_double_post_makes_one_row_and_one_signal(learner_client, learner, course, received):
    lesson = lessons_of(course)[0]
    first = read_then_complete(learner_client, lesson)
    second = learner_client.post(complete_url(lesson))
    assert first.status_code == second.status_code == 302
    assert LessonProgress.objects.filter(user=learner, lesson=lesson).count() == 1
    assert received == [("lesson", lesson.pk)]
    row = LessonProgress.objects.get(user=learner, lesson=lesson)
    assert row.revision_id == lesson.live_revision_id


@pytest.mark.django_db
def test_complete_redirects_to_the_next_lesson_then_to_the_course(learner_client, course):
    first, second, third = lessons_of(course)
    assert read_then_complete(learner_client, first)["Location"] == second.url
    assert read_then_complete(learner_client, third)["Location"] == course.url + "?completed=1"


@pytest.mark.django_db
def test_get_on_complete_is_refused_and_records_nothing(learner_client, learner, course):
    lesson = lessons_of(course)[0]
    assert learner_client.get(complete_url(lesson)).status_code == 405
    assert not LessonProgress.objects.filter(user=learner).exists()


@pytest.mark.django_db
def test_anonymous_post_records_nothing(client, course):
    lesson = lessons_of(course)[0]
    response = client.post(complete_url(lesson))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not LessonProgress.objects.exists()


@pytest.mark.django_db
def test_complete_requires_csrf_token(learner, course):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    response = client.post(complete_url(lessons_of(course)[0]))
    assert response.status_code == 403
    assert not LessonProgress.objects.exists()


@pytest.mark.django_db
def test_course_completes_when_every_required_step_is_done(learner, course, received):
    first, second, third = lessons_of(course)
    third.is_required = False
    third.save_revision().publish()
    finish_lesson(learner, first)
    state = course_state(learner, course)
    assert (state.completed_count, state.required_count, state.percent) == (1, 2, 50)
    assert not state.is_complete

    result = finish_lesson(learner, second)
    assert result.course_newly_completed
    assert result.state.is_complete and result.state.percent == 100
    progress = CourseProgress.objects.get(user=learner, course=course)
    assert progress.completed_at is not None
    assert progress.completed_revision_id == course.live_revision_id

    # The optional lesson afterwards changes nothing and sends no second course signal.
    again = finish_lesson(learner, third)
    assert not again.course_newly_completed
    assert [e for e in received if e[0] == "course"] == [
        ("course", course.pk, course.live_revision_id)
    ]


@pytest.mark.django_db
def test_a_course_without_steps_is_never_complete(learner, catalog):
    empty = make_course(catalog, title="空课程", slug="empty", lessons=0)
    state = course_state(learner, empty)
    assert state.required_count == 0 and not state.is_complete and state.percent == 0


@pytest.mark.django_db
def test_progress_is_per_learner(learner, course):
    from tests.factories import UserFactory

    other = UserFactory(username="100002")
    finish_lesson(other, lessons_of(course)[0])
    assert course_state(learner, course).completed_count == 0
    assert course_state(other, course).completed_count == 1


@pytest.mark.django_db
def test_resume_on_another_device_goes_to_last_visited_lesson(client, learner, course):
    first, second, _third = lessons_of(course)
    client.force_login(learner)
    client.get(second.url)
    # A fresh session (another phone) sees "continue" pointing at the lesson left open.
    from django.test import Client

    phone = Client()
    phone.force_login(learner)
    response = phone.get(course.url)
    assert response.context["resume"].page.pk == second.pk
    html = response.content.decode()
    assert f'class="btn btn-primary btn-block" href="{second.url}"' in html


@pytest.mark.django_db
def test_resume_skips_a_completed_last_lesson(learner, course):
    first, second, _third = lessons_of(course)
    services.record_visit(learner, course, first)
    finish_lesson(learner, first)
    context = course_page_context(learner, course)
    assert context["resume"].page.pk == second.pk


@pytest.mark.django_db
def test_new_lesson_reopens_progress_but_not_a_recorded_completion(learner, course):
    for lesson in lessons_of(course):
        finish_lesson(learner, lesson)
    make_lesson(course, "新增一课", "added")
    state = course_state(learner, course)
    assert state.completed_count == 3 and state.required_count == 4
    # The completion already recorded stays (it is evidence), the course just shows a new step.
    assert CourseProgress.objects.get(user=learner, course=course).completed_at is not None


@pytest.mark.django_db
def test_progress_models_stay_out_of_the_reference_index():
    assert LessonProgress.wagtail_reference_index_ignore is True
    assert CourseProgress.wagtail_reference_index_ignore is True
    assert LessonPage.objects.count() == 0
