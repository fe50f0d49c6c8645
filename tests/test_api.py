"""Contract of the learner API at /api/v1/: status codes and JSON shapes of every endpoint,
session + CSRF authentication, nothing secret before an attempt is final, tampered input is a
clear 4xx that changes nothing, and the course list's queries do not grow with the courses."""

import json
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from courses.models import CourseProgress, LessonProgress, QuizStepPage
from quizzes.exceptions import AttemptClosed, NoAttemptsLeft
from quizzes.models import Answer, Attempt, Quiz
from tests.factories import (
    UserFactory,
    choice_ids,
    lessons_of,
    make_catalog,
    make_category,
    make_course,
    make_lesson,
    make_question,
    make_quiz,
    publish,
)

API = "/api/v1"
SECRET_KEYS = {"correct", "correct_choice_ids", "feedback", "explanation"}
# The explanations and choice feedback the factories write.
SECRET_TEXTS = ("解析", "的反馈")


def keys_of(data):
    """Every key of every object nested in ``data``."""
    if isinstance(data, dict):
        keys = set(data)
        for value in data.values():
            keys |= keys_of(value)
        return keys
    if isinstance(data, list):
        return set().union(*(keys_of(item) for item in data)) if data else set()
    return set()


def assert_no_secrets(response):
    data = response.json()
    assert not keys_of(data) & SECRET_KEYS, keys_of(data) & SECRET_KEYS
    text = json.dumps(data, ensure_ascii=False)
    for secret in SECRET_TEXTS:
        assert secret not in text


def put_json(client, url, payload, **extra):
    body = payload if isinstance(payload, str | bytes) else json.dumps(payload)
    return client.put(url, body, content_type="application/json", **extra)


def answer_url(attempt_id, question_id):
    return f"{API}/attempts/{attempt_id}/answers/{question_id}"


def assert_error(response, status):
    assert response.status_code == status, response.content
    detail = response.json()["detail"]
    assert isinstance(detail, str) and detail.strip()
    return detail


@pytest.fixture
def quiz(db):
    category = make_category()
    questions = [
        make_question(category, "single", explanation="单选解析"),
        make_question(category, "multiple", explanation="多选解析"),
        make_question(category, "truefalse", explanation="判断解析"),
    ]
    return make_quiz(questions, title="结业测验", pass_mark=60, max_attempts=2)


def start(client, quiz, status=201):
    response = client.post(f"{API}/quizzes/{quiz.pk}/attempts")
    assert response.status_code == status, response.content
    return response.json()


def answer_all(client, attempt_id, correct=True):
    attempt = Attempt.objects.get(pk=attempt_id)
    for entry in attempt.questions:
        response = put_json(
            client,
            answer_url(attempt_id, entry["id"]),
            {"choices": choice_ids(attempt, entry["id"], correct=correct)[: 3 if correct else 1]},
        )
        assert response.status_code == 200, response.content
    return attempt


def submit(client, attempt_id, **headers):
    response = client.post(f"{API}/attempts/{attempt_id}/submit", **headers)
    assert response.status_code == 200, response.content
    return response.json()


def csrf_pair():
    """A CSRF cookie value and a matching header token, as a browser would hold them."""
    request = RequestFactory().get("/")
    token = get_token(request)
    return request.META["CSRF_COOKIE"], token


# --- Schema and authentication ------------------------------------------------------------


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
        ("POST", "/api/v1/lessons/{lesson_id}/complete"),
        ("GET", "/api/v1/quizzes/{quiz_id}"),
        ("POST", "/api/v1/quizzes/{quiz_id}/attempts"),
        ("GET", "/api/v1/attempts/{attempt_id}"),
        ("PUT", "/api/v1/attempts/{attempt_id}/answers/{question_id}"),
        ("POST", "/api/v1/attempts/{attempt_id}/submit"),
        ("GET", "/api/v1/me/assignments"),
        ("GET", "/api/v1/me/records"),
        ("GET", "/api/v1/me/sessions"),
        ("POST", "/api/v1/me/check-in"),
        ("POST", "/api/v1/me/attestations/{item_id}"),
        ("GET", "/api/v1/me/notifications"),
        ("GET", "/api/v1/team/units/"),
        ("GET", "/api/v1/team/units/{unit_id}"),
    }
    assert schema["components"]["securitySchemes"]["SessionAuth"]["in"] == "cookie"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/courses/"),
        ("get", "/courses/1"),
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

    detail = assert_error(client.post(url), 403)
    assert "CSRF" in detail
    secret, token = csrf_pair()
    client.cookies[settings.CSRF_COOKIE_NAME] = secret
    assert_error(client.post(url, HTTP_X_CSRFTOKEN="wrong" * 7), 403)
    assert not LessonProgress.objects.exists()

    assert client.post(url, HTTP_X_CSRFTOKEN=token).status_code == 200
    assert LessonProgress.objects.filter(user=learner, lesson=lesson).count() == 1


# --- Courses and lessons -------------------------------------------------------------------


@pytest.mark.django_db
def test_course_list_has_live_courses_with_my_progress(learner_client, catalog, course):
    draft = make_course(catalog, title="草稿课程", slug="draft", lessons=1)
    draft.unpublish()
    hidden_catalog = make_catalog(slug="hidden")
    make_course(hidden_catalog, title="下线目录的课程", slug="hidden-course", lessons=1)
    hidden_catalog.unpublish()
    learner_client.post(f"{API}/lessons/{lessons_of(course)[0].pk}/complete")

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
        learner_client.post(f"{API}/lessons/{lesson.pk}/complete")
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
    data = learner_client.post(url).json()
    assert data["lesson_newly_completed"] is True and data["course_newly_completed"] is False
    assert data["next_step"] == {"kind": "lesson", "id": second.pk, "title": "第2课"}
    assert data["progress"]["completed_count"] == 1

    again = learner_client.post(url)
    assert again.status_code == 200
    assert again.json()["lesson_newly_completed"] is False
    assert again.json()["progress"] == data["progress"]
    assert LessonProgress.objects.filter(user=learner).count() == 1

    learner_client.post(f"{API}/lessons/{second.pk}/complete")
    last = learner_client.post(f"{API}/lessons/{third.pk}/complete").json()
    assert last["course_newly_completed"] is True and last["next_step"] is None
    assert last["progress"]["completed"] is True
    assert learner_client.get(url).status_code == 405


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
        learner_client.post(f"{API}/lessons/{lessons_of(course)[0].pk}/complete")
    learner_client.post(f"{API}/lessons/{lessons_of(first)[0].pk}/complete")
    learner_client.get(f"{API}/courses/")
    many = count()
    assert few[1] == 1 and many[1] == 11
    assert few[0] == many[0], (few, many)


# --- Quizzes and attempts ------------------------------------------------------------------


@pytest.mark.django_db
def test_quiz_detail(learner_client, quiz):
    data = learner_client.get(f"{API}/quizzes/{quiz.pk}").json()
    assert data["title"] == "结业测验" and data["attempts_left"] == 2
    assert data["attempts"] == [] and data["open_attempt_id"] is None
    attempt = start(learner_client, quiz)
    data = learner_client.get(f"{API}/quizzes/{quiz.pk}").json()
    assert data["open_attempt_id"] == attempt["id"] and data["attempts_left"] == 1
    assert_no_secrets(learner_client.get(f"{API}/quizzes/{quiz.pk}"))


@pytest.mark.django_db
def test_start_and_resume_show_no_secrets(learner_client, quiz):
    response = learner_client.post(f"{API}/quizzes/{quiz.pk}/attempts")
    assert response.status_code == 201
    assert_no_secrets(response)
    data = response.json()
    assert data["status"] == "in_progress" and data["deadline"] is None
    assert data["review"] is None and data["score"] is None and data["passed"] is None
    attempt = Attempt.objects.get(pk=data["id"])
    assert [q["id"] for q in data["questions"]] == [q["id"] for q in attempt.questions]
    for question in data["questions"]:
        assert question["answer"] is None
        assert question["choices"] and all(set(c) == {"id", "text"} for c in question["choices"])

    resumed = learner_client.post(f"{API}/quizzes/{quiz.pk}/attempts")
    assert resumed.status_code == 200 and resumed.json()["id"] == data["id"]
    assert_no_secrets(resumed)
    assert Attempt.objects.count() == 1

    entry = attempt.questions[0]
    saved = put_json(
        learner_client,
        answer_url(attempt.pk, entry["id"]),
        {"choices": choice_ids(attempt, entry["id"])},
    )
    assert saved.status_code == 200
    assert saved.json() == {
        "saved": True,
        "question_id": entry["id"],
        "answer": {"choices": choice_ids(attempt, entry["id"]), "text": "", "locked": False},
    }
    assert_no_secrets(saved)
    got = learner_client.get(f"{API}/attempts/{attempt.pk}")
    assert_no_secrets(got)
    assert got.json()["answered_count"] == 1


@pytest.mark.django_db
def test_timed_attempt_has_a_deadline_and_ends_when_time_is_up(learner_client, quiz):
    quiz.time_limit_minutes = 10
    quiz.save()
    data = start(learner_client, quiz)
    assert data["deadline"] is not None and 0 < data["seconds_left"] <= 600
    Attempt.objects.filter(pk=data["id"]).update(deadline=timezone.now() - timedelta(seconds=1))
    entry = Attempt.objects.get(pk=data["id"]).questions[0]
    assert_error(
        put_json(learner_client, answer_url(data["id"], entry["id"]), {"choices": []}), 409
    )
    data = learner_client.get(f"{API}/attempts/{data['id']}").json()
    assert data["status"] == "final" and data["timed_out"] is True


@pytest.mark.django_db
def test_no_attempts_left_is_409_with_a_message(learner_client, quiz):
    for _number in range(2):
        attempt = start(learner_client, quiz)
        submit(learner_client, attempt["id"])
    detail = assert_error(learner_client.post(f"{API}/quizzes/{quiz.pk}/attempts"), 409)
    with translation.override(settings.LANGUAGE_CODE):
        assert detail == str(NoAttemptsLeft.default_message)
    assert Attempt.objects.count() == 2

    learner_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    detail = assert_error(learner_client.post(f"{API}/quizzes/{quiz.pk}/attempts"), 409)
    assert detail == "You have used all your attempts for this quiz."


@pytest.mark.django_db
def test_draft_or_unknown_quiz_is_404(learner_client, quiz):
    quiz.is_draft = True
    quiz.save()
    assert_error(learner_client.get(f"{API}/quizzes/{quiz.pk}"), 404)
    assert_error(learner_client.post(f"{API}/quizzes/{quiz.pk}/attempts"), 404)
    assert_error(learner_client.post(f"{API}/quizzes/{quiz.pk + 1}/attempts"), 404)
    assert not Attempt.objects.exists()


@pytest.mark.django_db
def test_changing_an_answer_keeps_one_record(learner_client, quiz):
    attempt = Attempt.objects.get(pk=start(learner_client, quiz)["id"])
    entry = next(q for q in attempt.questions if q["type"] == "multiple")
    url = answer_url(attempt.pk, entry["id"])
    ids = [c["id"] for c in entry["choices"]]
    assert put_json(learner_client, url, {"choices": ids[:1]}).status_code == 200
    response = put_json(learner_client, url, {"choices": [ids[2], ids[1]]})
    assert response.json()["answer"]["choices"] == sorted([ids[1], ids[2]])
    assert Answer.objects.get().choice_ids == sorted([ids[1], ids[2]])


def _single(attempt):
    return next(q for q in attempt.questions if q["type"] == "single")


def _other(attempt):
    return next(q for q in attempt.questions if q["type"] == "multiple")


def _choices_of(entry, count=1):
    return {"choices": [c["id"] for c in entry["choices"][:count]]}


TAMPERED = [
    # (name, question, body, status)
    ("choice of another question", _single, lambda a: _choices_of(_other(a)), 400),
    ("two choices for a single", _single, lambda a: _choices_of(_single(a), 2), 400),
    ("unknown choice", _single, lambda a: {"choices": [10**12]}, 400),
    ("text for a choice question", _single, lambda a: {"text": "甲"}, 400),
    ("unknown question", lambda a: {"id": 10**12}, lambda a: {"choices": [1]}, 400),
    ("choices not a list", _single, lambda a: {"choices": "1"}, 422),
    ("choices not ids", _single, lambda a: {"choices": ["甲"]}, 422),
    ("text not a string", _single, lambda a: {"text": 5}, 422),
    ("unknown field", _single, lambda a: {"choice": [1]}, 422),
    ("not an object", _single, lambda a: [1, 2], 422),
    ("empty body", _single, lambda a: "", 422),
    ("malformed JSON", _single, lambda a: '{"choices": [1,', 400),
    ("not UTF-8", _single, lambda a: b'{"text": "\xff"}', 400),
    ("NUL in the text", _single, lambda a: {"text": "a\x00b"}, 422),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "question, body, status", [t[1:] for t in TAMPERED], ids=[t[0] for t in TAMPERED]
)
def test_tampered_answers_are_4xx_and_change_nothing(learner_client, quiz, question, body, status):
    attempt = Attempt.objects.get(pk=start(learner_client, quiz)["id"])
    response = put_json(
        learner_client, answer_url(attempt.pk, question(attempt)["id"]), body(attempt)
    )
    assert_error(response, status)
    assert not Answer.objects.exists()


@pytest.mark.django_db
def test_validation_errors_say_which_field(learner_client, quiz):
    attempt = Attempt.objects.get(pk=start(learner_client, quiz)["id"])
    response = put_json(
        learner_client, answer_url(attempt.pk, _single(attempt)["id"]), {"choices": "x"}
    )
    detail = assert_error(response, 422)
    assert "choices" in detail
    assert response.json()["errors"][0]["loc"][-1] == "choices"


@pytest.fixture
def essay_quiz(db):
    category = make_category("消保知识/案例分析")
    return make_quiz([make_question(category, "essay")], title="案例分析")


@pytest.mark.django_db
def test_huge_text_is_400(learner_client, essay_quiz):
    attempt = Attempt.objects.get(pk=start(learner_client, essay_quiz)["id"])
    url = answer_url(attempt.pk, attempt.questions[0]["id"])
    assert_error(put_json(learner_client, url, {"text": "长" * 100_000}), 400)
    assert not Answer.objects.exists()


@pytest.mark.django_db
def test_body_over_the_upload_limit_is_413(learner_client, essay_quiz):
    attempt = Attempt.objects.get(pk=start(learner_client, essay_quiz)["id"])
    url = answer_url(attempt.pk, attempt.questions[0]["id"])
    body = {"text": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)}
    assert_error(put_json(learner_client, url, body), 413)
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024):
        assert_error(put_json(learner_client, url, {"text": "x" * 2048}), 413)
    assert not Answer.objects.exists()


@pytest.mark.django_db
def test_essay_is_awaiting_marking_after_submit(learner_client, essay_quiz):
    attempt = Attempt.objects.get(pk=start(learner_client, essay_quiz)["id"])
    url = answer_url(attempt.pk, attempt.questions[0]["id"])
    saved = put_json(learner_client, url, {"text": "先安抚客户，再登记投诉。"})
    assert saved.json()["answer"]["text"] == "先安抚客户，再登记投诉。"
    result = submit(learner_client, attempt.pk)
    assert result["status"] == "awaiting_marking"
    assert result["score"] is None and result["passed"] is None and result["review"] is None


@pytest.mark.django_db
def test_another_learners_attempt_is_404(client, learner_client, quiz):
    data = start(learner_client, quiz)
    attempt = Attempt.objects.get(pk=data["id"])
    entry = _single(attempt)
    client.force_login(UserFactory(username="300001"))
    assert_error(client.get(f"{API}/attempts/{attempt.pk}"), 404)
    assert_error(
        put_json(
            client,
            answer_url(attempt.pk, entry["id"]),
            {"choices": choice_ids(attempt, entry["id"])},
        ),
        404,
    )
    assert_error(client.post(f"{API}/attempts/{attempt.pk}/submit"), 404)
    attempt.refresh_from_db()
    assert attempt.is_open and not attempt.answers.exists()


@pytest.mark.django_db
def test_answering_a_final_attempt_is_409(learner_client, quiz):
    attempt = answer_all(learner_client, start(learner_client, quiz)["id"], correct=False)
    submit(learner_client, attempt.pk)
    before = list(Answer.objects.values_list("pk", "choice_ids", "points"))
    entry = _single(attempt)
    response = put_json(
        learner_client,
        answer_url(attempt.pk, entry["id"]),
        {"choices": choice_ids(attempt, entry["id"])},
    )
    detail = assert_error(response, 409)
    with translation.override(settings.LANGUAGE_CODE):
        assert detail == str(AttemptClosed.default_message)
    assert list(Answer.objects.values_list("pk", "choice_ids", "points")) == before


@pytest.mark.django_db
def test_submit_returns_the_result_with_review_and_is_idempotent(learner_client, quiz):
    attempt = answer_all(learner_client, start(learner_client, quiz)["id"])
    first = submit(learner_client, attempt.pk, HTTP_IDEMPOTENCY_KEY="phone-42-submit")
    assert first["status"] == "final" and first["score"] == 100.0 and first["passed"] is True
    assert len(first["review"]) == 3
    item = first["review"][0]
    entry = attempt.questions[0]
    assert item["id"] == entry["id"] and item["correct"] is True
    assert item["explanation"].endswith("解析")
    assert {c["id"] for c in item["choices"] if c["correct"]} == set(
        choice_ids(attempt, entry["id"])
    )

    again = learner_client.post(
        f"{API}/attempts/{attempt.pk}/submit", HTTP_IDEMPOTENCY_KEY="phone-42-submit"
    )
    assert again.status_code == 200 and again.json() == first
    other_key = submit(learner_client, attempt.pk, HTTP_IDEMPOTENCY_KEY="another")
    assert other_key == first
    attempt.refresh_from_db()
    assert attempt.submit_key == "phone-42-submit" and attempt.number == 1
    assert Attempt.objects.count() == 1
    assert learner_client.get(f"{API}/attempts/{attempt.pk}").json() == first


@pytest.mark.django_db
def test_bad_idempotency_key_is_422(learner_client, quiz):
    attempt_id = start(learner_client, quiz)["id"]
    response = learner_client.post(
        f"{API}/attempts/{attempt_id}/submit", HTTP_IDEMPOTENCY_KEY="k" * 101
    )
    assert_error(response, 422)
    assert Attempt.objects.get().is_open


@pytest.mark.django_db
@pytest.mark.parametrize(
    "policy, correct, shown",
    [
        (Quiz.REVIEW_ALWAYS, False, True),
        (Quiz.REVIEW_AFTER_PASS, True, True),
        (Quiz.REVIEW_AFTER_PASS, False, False),
        (Quiz.REVIEW_NEVER, True, False),
    ],
)
def test_review_follows_the_policy(learner_client, quiz, policy, correct, shown):
    quiz.review_policy = policy
    quiz.save()
    attempt = answer_all(learner_client, start(learner_client, quiz)["id"], correct=correct)
    result = submit(learner_client, attempt.pk)
    assert result["passed"] is correct
    got = learner_client.get(f"{API}/attempts/{attempt.pk}")
    assert got.json() == result
    if shown:
        assert result["review"] and SECRET_KEYS - {"correct_choice_ids"} <= keys_of(result)
    else:
        assert result["review"] is None
        assert_no_secrets(got)


@pytest.mark.django_db
def test_immediate_feedback_is_given_per_locked_answer(learner_client, quiz):
    quiz.feedback_mode = Quiz.FEEDBACK_IMMEDIATE
    quiz.save()
    attempt = Attempt.objects.get(pk=start(learner_client, quiz)["id"])
    entry = _single(attempt)
    url = answer_url(attempt.pk, entry["id"])
    response = put_json(learner_client, url, {"choices": choice_ids(attempt, entry["id"])})
    assert response.status_code == 200
    data = response.json()
    assert data["answer"]["locked"] is True
    assert data["feedback"]["correct"] is True
    assert data["feedback"]["correct_choice_ids"] == choice_ids(attempt, entry["id"])
    assert data["feedback"]["explanation"] == "单选解析"

    questions = learner_client.get(f"{API}/attempts/{attempt.pk}").json()["questions"]
    for question in questions:
        if question["id"] == entry["id"]:
            assert question["feedback"]["correct"] is True
        else:
            assert not keys_of(question) & SECRET_KEYS
    detail = assert_error(put_json(learner_client, url, {"choices": []}), 409)
    assert detail
