"""The learner API at /api/v1/ as a whole (lms.api): the OpenAPI schema lists every operation,
anonymous calls are 401, and unsafe methods need session + CSRF authentication."""

import json

import pytest
from django.conf import settings
from django.test import Client

from courses.models import LessonProgress
from tests.api_support import API, assert_error, csrf_pair
from tests.factories import lessons_of


@pytest.mark.django_db
def test_openapi_schema_lists_every_operation(client):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "CP-LMS API" and schema["info"]["version"] == "1"
    operations = {
        (method.upper(), path) for path, item in schema["paths"].items() for method in item
    }
    assert operations == {
        ("GET", "/api/v1/courses/"),
        ("GET", "/api/v1/courses/{course_id}"),
        ("GET", "/api/v1/lessons/{lesson_id}"),
        ("POST", "/api/v1/lessons/{lesson_id}/heartbeat"),
        ("POST", "/api/v1/lessons/{lesson_id}/complete"),
        ("GET", "/api/v1/quizzes/{quiz_id}"),
        ("POST", "/api/v1/quizzes/{quiz_id}/attempts"),
        ("GET", "/api/v1/attempts/{attempt_id}"),
        ("PUT", "/api/v1/attempts/{attempt_id}/answers/{question_id}"),
        ("POST", "/api/v1/attempts/{attempt_id}/submit"),
        ("POST", "/api/v1/attempts/{attempt_id}/events"),
        ("GET", "/api/v1/me/mistakes"),
        ("POST", "/api/v1/me/mistakes/practice"),
        ("GET", "/api/v1/practice/{practice_id}"),
        ("POST", "/api/v1/practice/{practice_id}/submit"),
        ("GET", "/api/v1/me/assignments"),
        ("GET", "/api/v1/me/records"),
        ("GET", "/api/v1/me/sessions"),
        ("POST", "/api/v1/me/check-in"),
        ("POST", "/api/v1/me/attestations/{item_id}"),
        ("GET", "/api/v1/me/notifications"),
        ("GET", "/api/v1/team/complaints"),
        ("GET", "/api/v1/team/units/"),
        ("GET", "/api/v1/team/units/{unit_id}"),
        ("POST", "/api/v1/complaints"),
    }
    assert schema["components"]["securitySchemes"]["SessionAuth"]["in"] == "cookie"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/courses/"),
        ("get", "/courses/1"),
        ("get", "/lessons/1"),
        ("post", "/lessons/1/heartbeat"),
        ("post", "/lessons/1/complete"),
        ("get", "/quizzes/1"),
        ("post", "/quizzes/1/attempts"),
        ("get", "/attempts/1"),
        ("put", "/attempts/1/answers/1"),
        ("post", "/attempts/1/submit"),
    ],
)
def test_anonymous_is_401(client, method, path):
    if method == "get":
        response = client.get(API + path)
    else:
        response = getattr(client, method)(
            API + path, json.dumps({"choices": []}), content_type="application/json"
        )
    assert_error(response, 401)


@pytest.mark.django_db
def test_unsafe_methods_need_the_csrf_header(learner, course):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    lesson = lessons_of(course)[0]
    url = f"{API}/lessons/{lesson.pk}/complete"
    assert client.get(f"{API}/courses/").status_code == 200
    assert client.get(f"{API}/lessons/{lesson.pk}").status_code == 200  # served

    detail = assert_error(client.post(url), 403)
    assert "CSRF" in detail
    secret, token = csrf_pair()
    client.cookies[settings.CSRF_COOKIE_NAME] = secret
    assert_error(client.post(url, HTTP_X_CSRFTOKEN="wrong" * 7), 403)
    assert not LessonProgress.objects.exists()

    assert client.post(url, HTTP_X_CSRFTOKEN=token).status_code == 200
    assert LessonProgress.objects.filter(user=learner, lesson=lesson).count() == 1
