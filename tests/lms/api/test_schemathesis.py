"""Schemathesis against the learner API, in-process through the WSGI application with a
logged-in learner's session and CSRF token: no request the OpenAPI schema describes, nor the
edge cases schemathesis derives from it, gets a server error.

Three cases in four get the ids of real objects (the course, a lesson, the quizzes, an
open attempt and its questions, the learner's managed outlet, the plan), so that the bodies reach
the services instead of a 404. The learner heads an outlet, so the team endpoints answer too.

Valid and invalid data (schemathesis' positive and negative modes), ``EXAMPLES`` cases per
operation: about 1,080 requests per database (24 operations), each counted; an operation that
made fewer than ``MIN_REQUESTS`` fails, so a narrowed budget is noticed. Every error is JSON
``{"detail": …}``. ``bench/fuzz_api.py`` runs the same against a live server, 3,000 requests
and more.
"""

import collections
import json
from types import SimpleNamespace

import pytest
import schemathesis
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory, override_settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup, ServerError

from courses.models import QuizStepPage
from lms.services import publish_plan
from quizzes.models import Quiz
from quizzes.services import start_attempt
from tests.factories import (
    UserFactory,
    finish_lesson,
    lessons_of,
    make_catalog,
    make_category,
    make_course,
    make_item,
    make_org,
    make_plan,
    make_question,
    make_quiz,
    make_staff,
    publish,
)

pytestmark = pytest.mark.slow

SCHEMA_PATH = "/api/v1/openapi.json"
EXAMPLES = 45
MIN_REQUESTS = 20  # per operation: hypothesis stops early only when it runs out of inputs


@pytest.fixture
def same_connection():
    """Requests through the WSGI handler share the test's transaction: keep Django from closing
    the connection at the start and end of each request, as its test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def complaint_api_on():
    """The complaint system's endpoint is on; every case carries its token too."""
    with override_settings(LMS_COMPLAINTS_API_TOKEN="fuzz-token"):
        yield


@pytest.fixture
def api_data(db, same_connection, complaint_api_on):
    catalog = make_catalog()
    course = make_course(catalog, title="接口课程", slug="api-course", lessons=2)
    category = make_category()
    questions = [
        make_question(category, "single", explanation="单选解析"),
        make_question(category, "multiple", partial_credit=True),
        make_question(category, "truefalse"),
        make_question(category, "essay"),
    ]
    exam = make_quiz(questions, title="结业测验", max_attempts=3, time_limit_minutes=30)
    practice = make_quiz(
        questions[:3], title="练习", feedback_mode=Quiz.FEEDBACK_IMMEDIATE, review_policy="never"
    )
    step = QuizStepPage(title="结业测验", slug="final-check", quiz=exam)
    course.add_child(instance=step)
    publish(step)
    learner = UserFactory(username="200001")
    for lesson in lessons_of(course):  # the final check opens once the lessons are read
        finish_lesson(learner, lesson)
    attempt, _created = start_attempt(learner, exam, confirmed=True)
    # The learner also heads an outlet, so the team endpoints answer (not 403).
    units = make_org()
    staff = make_staff("200001", units["LZ0101"], user=learner)
    staff.managed_units.add(units["LZ0101"])
    make_staff("200002", units["LZ0101"])
    plan = make_plan(2026)
    make_item(plan, "接口课程", course=course, everyone=True)
    publish_plan(plan)

    client = Client()
    client.force_login(learner)
    csrf_request = RequestFactory().get("/")
    token = get_token(csrf_request)
    secret = csrf_request.META["CSRF_COOKIE"]
    return {
        "headers": {"X-CSRFToken": token, "Authorization": "Bearer fuzz-token"},
        "cookies": {
            settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value,
            settings.CSRF_COOKIE_NAME: secret,
        },
        "ids": {
            "course_id": [course.pk, step.pk],
            "lesson_id": [lesson.pk for lesson in lessons_of(course)] + [course.pk],
            "quiz_id": [exam.pk, practice.pk],
            "attempt_id": [attempt.pk],
            "question_id": [q.pk for q in questions],
            "unit_id": [units["LZ0101"].pk, units["LZ0201"].pk],
            "plan": [plan.pk],
        },
        "choices": {
            entry["id"]: [c["id"] for c in entry["choices"]] for entry in attempt.questions
        },
    }


@pytest.fixture
def tally(record_property):
    """Requests made by one operation's run, by status class; checked when the run is over."""
    counts = collections.Counter()
    yield counts
    made = sum(counts.values())
    record_property("requests", made)  # in the JUnit report (--junitxml)
    record_property("status_classes", json.dumps(dict(sorted(counts.items()))))
    assert counts["5xx"] == 0
    assert made >= MIN_REQUESTS, f"only {made} requests"


def assert_json_error(response):
    if response.status_code < 400:
        return
    content_type = response.headers.get("content-type", [""])[0]  # lowercase keys, lists
    assert content_type.startswith("application/json"), response.text
    body = json.loads(response.text)
    assert isinstance(body, dict) and isinstance(body.get("detail"), str), response.text


# Loaded at collection: the schema view needs no database. (schemathesis.pytest.from_fixture
# would load it per test, but its lazy loader does not run under pytest 9.2.)
schema = schemathesis.openapi.from_wsgi(SCHEMA_PATH, WSGIHandler())


@schema.parametrize()
@schema.given(data=st.data())
@hypothesis_settings(
    max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)
def test_no_server_error(case, data, api_data, tally):
    if data.draw(st.integers(0, 3), label="real ids") > 0:
        for name in list(case.path_parameters or {}):
            if name in api_data["ids"]:
                case.path_parameters[name] = data.draw(
                    st.sampled_from(api_data["ids"][name]), label=name
                )
        if "plan" in (case.query or {}):
            case.query["plan"] = data.draw(st.sampled_from(api_data["ids"]["plan"]), label="plan")
        real_choices = api_data["choices"].get((case.path_parameters or {}).get("question_id"))
        if real_choices and isinstance(case.body, dict) and "choices" in case.body:
            case.body["choices"] = data.draw(
                st.lists(st.sampled_from(real_choices), max_size=3), label="choices"
            )
    if case.headers and "Authorization" in case.headers:
        # The complaint system's bearer token, not a generated one (a wrong one is 401).
        case.headers["Authorization"] = api_data["headers"]["Authorization"]
    response = case.call(headers=api_data["headers"], cookies=api_data["cookies"])
    tally[f"{response.status_code // 100}xx"] += 1
    case.validate_response(response, checks=[not_a_server_error], headers=api_data["headers"])
    assert_json_error(response)
    # The session and the CSRF token are accepted: every case reaches the endpoint. (A case
    # sent without the complaint system's bearer token is rightly 401 there.)
    token = api_data["headers"]["Authorization"]
    if response.request.headers.get("Authorization") == token or "complaints" not in case.path:
        assert response.status_code not in (401, 403), response.text


@pytest.mark.django_db
def test_the_check_fails_on_a_server_error(api_data, monkeypatch):
    """The run above can fail: an endpoint that raises is reported as a server error."""
    operation = schema["/api/v1/courses/"]["GET"]

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("courses.api.learner.catalog_listing", broken)
    case = operation.Case()
    with pytest.raises(FailureGroup) as failed:
        case.call_and_validate(
            headers=api_data["headers"], cookies=api_data["cookies"], checks=[not_a_server_error]
        )
    assert [type(error) for error in failed.value.exceptions] == [ServerError]


@pytest.mark.parametrize(
    ("content_type", "text"),
    [("text/html", "<h1>Not Found</h1>"), ("application/json", '{"error": "x"}')],
)
def test_the_check_fails_on_an_error_that_is_not_json_detail(content_type, text):
    response = SimpleNamespace(status_code=404, headers={"content-type": [content_type]}, text=text)
    with pytest.raises(AssertionError):
        assert_json_error(response)
    assert_json_error(
        SimpleNamespace(
            status_code=404, headers={"content-type": ["application/json"]}, text='{"detail": "无"}'
        )
    )
