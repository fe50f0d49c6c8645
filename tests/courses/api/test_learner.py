"""The courses router of the learner API (courses.api): status codes and JSON shapes of the course
list, course detail and lesson completion; drafts and other pages are 404, and the course list's
queries do not grow with the courses."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import CourseProgress, LessonProgress, QuizStepPage
from tests.api_support import API, answer_all, assert_error, final_check_quiz, start, submit
from tests.factories import lessons_of, make_catalog, make_course, make_lesson, publish


@pytest.fixture
def quiz(db):
    return final_check_quiz()


def read_and_complete(client, lesson_id):
    """Open the lesson through the API (it is served: its reading time starts), then complete
    it."""
    assert client.get(f"{API}/lessons/{lesson_id}").status_code == 200
    return client.post(f"{API}/lessons/{lesson_id}/complete")


@pytest.mark.django_db
def test_course_list_has_live_courses_with_my_progress(learner_client, catalog, course):
    draft = make_course(catalog, title="草稿课程", slug="draft", lessons=1)
    draft.unpublish()
    hidden_catalog = make_catalog(slug="hidden")
    make_course(hidden_catalog, title="下线目录的课程", slug="hidden-course", lessons=1)
    hidden_catalog.unpublish()
    read_and_complete(learner_client, lessons_of(course)[0].pk)

    response = learner_client.get(f"{API}/courses/")
    assert response.status_code == 200
    data = response.json()
    assert [item["id"] for item in data] == [course.pk]
    item = data[0]
    assert item["title"] == "销售过程消保" and item["url"] == course.url
    assert set(item) >= {"id", "title", "summary", "url", "estimated_minutes", "progress"}
    assert item["progress"] | {"started": None} == {
        "percent": 33,
        "completed_count": 1,
        "required_count": 3,
        "completed": False,
        "started": None,
    }


@pytest.mark.django_db
def test_course_list_filters_by_query(learner_client, catalog, course):
    make_course(catalog, title="反诈宣传", slug="fraud", lessons=1)
    titles = [c["title"] for c in learner_client.get(f"{API}/courses/", {"q": "反诈"}).json()]
    assert titles == ["反诈宣传"]
    assert learner_client.get(f"{API}/courses/", {"q": "\x00"}).status_code == 200


@pytest.mark.django_db
def test_course_detail_has_steps_and_progress(learner_client, course, quiz):
    step = QuizStepPage(title="结业测验", slug="final-check", quiz=quiz)
    course.add_child(instance=step)
    publish(step)
    lessons = lessons_of(course)

    data = learner_client.get(f"{API}/courses/{course.pk}").json()
    assert [(s["kind"], s["id"], s["completed"]) for s in data["steps"]] == [
        ("lesson", lessons[0].pk, False),
        ("lesson", lessons[1].pk, False),
        ("lesson", lessons[2].pk, False),
        ("quiz", step.pk, False),
    ]
    assert data["steps"][0]["title"] == "第1课" and data["steps"][3]["quiz_id"] == quiz.pk
    assert data["progress"]["required_count"] == 4 and data["resume_step_id"] == lessons[0].pk

    for lesson in lessons:
        read_and_complete(learner_client, lesson.pk)
    attempt = start(learner_client, quiz)
    answer_all(learner_client, attempt["id"])
    assert submit(learner_client, attempt["id"])["passed"] is True

    data = learner_client.get(f"{API}/courses/{course.pk}").json()
    assert all(s["completed"] for s in data["steps"])
    assert data["progress"] | {"started": None} == {
        "percent": 100,
        "completed_count": 4,
        "required_count": 4,
        "completed": True,
        "started": None,
    }
    assert CourseProgress.objects.get(course=course).completed_at is not None


@pytest.mark.django_db
def test_drafts_and_other_pages_are_404(learner_client, catalog, course):
    lesson = lessons_of(course)[0]
    draft_lesson = make_lesson(course, "草稿课", "draft-lesson")
    draft_lesson.unpublish()
    assert_error(learner_client.get(f"{API}/courses/{lesson.pk}"), 404)
    assert_error(learner_client.get(f"{API}/courses/{2**31 - 1}"), 404)
    assert_error(learner_client.post(f"{API}/lessons/{course.pk}/complete"), 404)
    assert_error(learner_client.post(f"{API}/lessons/{draft_lesson.pk}/complete"), 404)
    assert draft_lesson.pk not in [
        s["id"] for s in learner_client.get(f"{API}/courses/{course.pk}").json()["steps"]
    ]
    course.unpublish()
    assert_error(learner_client.get(f"{API}/courses/{course.pk}"), 404)
    assert_error(learner_client.post(f"{API}/lessons/{lesson.pk}/complete"), 404)
    assert not LessonProgress.objects.exists()


@pytest.mark.django_db
def test_course_under_an_unpublished_catalog_is_404(learner_client, catalog, course):
    catalog.unpublish()
    assert_error(learner_client.get(f"{API}/courses/{course.pk}"), 404)
    assert_error(learner_client.post(f"{API}/lessons/{lessons_of(course)[0].pk}/complete"), 404)
    assert learner_client.get(f"{API}/courses/").json() == []


@pytest.mark.django_db
@pytest.mark.parametrize("page_id", ["0", "-1", str(2**31), "abc"])
def test_bad_page_ids_are_4xx(learner_client, page_id):
    response = learner_client.get(f"{API}/courses/{page_id}")
    assert response.status_code in (404, 422)
    assert response.json()["detail"]


@pytest.mark.django_db
def test_completing_a_lesson_is_idempotent(learner_client, learner, course):
    first, second, third = lessons_of(course)
    url = f"{API}/lessons/{first.pk}/complete"
    assert learner_client.get(f"{API}/lessons/{first.pk}").status_code == 200
    data = learner_client.post(url).json()
    assert data["lesson_newly_completed"] is True and data["course_newly_completed"] is False
    assert data["next_step"] == {"kind": "lesson", "id": second.pk, "title": "第2课"}
    assert data["progress"]["completed_count"] == 1

    again = learner_client.post(url)
    assert again.status_code == 200
    assert again.json()["lesson_newly_completed"] is False
    assert again.json()["progress"] == data["progress"]
    assert LessonProgress.objects.filter(user=learner).count() == 1

    read_and_complete(learner_client, second.pk)
    last = read_and_complete(learner_client, third.pk).json()
    assert last["course_newly_completed"] is True and last["next_step"] is None
    assert last["progress"]["completed"] is True
    assert learner_client.get(url).status_code == 405


@pytest.mark.slow
@pytest.mark.django_db
def test_course_list_queries_do_not_grow_with_courses(learner_client, learner, catalog, quiz):
    def count():
        with CaptureQueriesContext(connection) as queries:
            response = learner_client.get(f"{API}/courses/")
        assert response.status_code == 200
        return len(queries), len(response.json())

    def add_course(number, lessons):
        course = make_course(catalog, title=f"课程{number}", slug=f"c{number}", lessons=lessons)
        step = QuizStepPage(title="测验", slug="quiz", quiz=quiz)
        course.add_child(instance=step)
        publish(step)
        return course

    first = add_course(1, lessons=2)
    learner_client.get(f"{API}/courses/")  # warm-up: session and site root paths
    few = count()
    for number in range(2, 12):
        course = add_course(number, lessons=3)
        read_and_complete(learner_client, lessons_of(course)[0].pk)
    read_and_complete(learner_client, lessons_of(first)[0].pk)
    learner_client.get(f"{API}/courses/")
    many = count()
    assert few[1] == 1 and many[1] == 11
    assert few[0] == many[0], (few, many)
