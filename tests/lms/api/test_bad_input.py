"""Input the API cannot use is a clear JSON 4xx, never a 500, and changes nothing: a lone UTF-16
surrogate in JSON text, a multipart body without a boundary, and the errors Django itself
answers (unknown path, wrong method, bad host) outside any endpoint."""

import pytest
from django.test import override_settings

from quizzes.models import Answer, Attempt
from tests.api_support import API, answer_url, assert_error, start
from tests.factories import make_category, make_question, make_quiz


@pytest.fixture
def essay_quiz(db):
    return make_quiz([make_question(make_category("消保知识/案例分析"), "essay")], title="案例分析")


@pytest.mark.django_db
@pytest.mark.parametrize("text", ['"a\\ud800b"', '"\\udfff"', '"ok \\ud83d"'])
def test_a_lone_surrogate_in_an_essay_answer_is_400(learner_client, essay_quiz, text):
    attempt = Attempt.objects.get(pk=start(learner_client, essay_quiz)["id"])
    url = answer_url(attempt.pk, attempt.questions[0]["id"])
    body = '{"text": ' + text + "}"
    response = learner_client.put(url, body, content_type="application/json")
    detail = assert_error(response, 400)
    assert "字符" in detail
    assert not Answer.objects.exists()
    # A real emoji (a proper surrogate pair in JSON) is fine.
    response = learner_client.put(
        url, '{"text": "好\\ud83d\\ude00"}', content_type="application/json"
    )
    assert response.status_code == 200
    assert Answer.objects.get().text == "好😀"


@pytest.mark.django_db
def test_multipart_without_a_boundary_is_400(learner_client, essay_quiz):
    response = learner_client.generic(
        "POST",
        f"{API}/quizzes/{essay_quiz.pk}/attempts",
        b"--x\r\n",
        content_type="multipart/form-data",
    )
    detail = assert_error(response, 400)
    assert "multipart" in detail
    assert not Attempt.objects.exists()


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_an_unknown_api_path_is_a_json_404(learner_client):
    response = learner_client.get(f"{API}/no-such-thing")
    assert_error(response, 404)
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_a_wrong_method_is_a_json_405(learner_client, essay_quiz):
    response = learner_client.delete(f"{API}/quizzes/{essay_quiz.pk}")
    detail = assert_error(response, 405)
    assert "GET" in response["Allow"]
    assert detail


@pytest.mark.django_db
@override_settings(DEBUG=False, ALLOWED_HOSTS=["lms.example.cn"])
def test_a_bad_host_is_a_json_400(client):
    response = client.get(f"{API}/courses/", HTTP_HOST="evil.example.com")
    assert_error(response, 400)


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_pages_outside_the_api_keep_their_html_errors(learner_client):
    response = learner_client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
