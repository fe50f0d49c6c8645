"""Essay text a database cannot store (a lone UTF-16 surrogate, half of an emoji) is a clear 400
from the learner page and the service, and nothing is saved."""

import pytest
from django.urls import reverse

from quizzes import services
from quizzes.exceptions import InvalidAnswer
from quizzes.models import Answer, Attempt
from tests.factories import make_category, make_question, make_quiz


@pytest.fixture
def essay_quiz(db):
    return make_quiz([make_question(make_category("消保知识/案例分析"), "essay")], title="案例分析")


def start(client, quiz):
    assert client.post(reverse("quizzes:start", args=[quiz.pk])).status_code == 302
    return Attempt.objects.latest("pk")


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["a\ud800b", "\udfff", "好\ud83d"])
def test_the_service_refuses_a_lone_surrogate(learner_client, essay_quiz, text):
    attempt = start(learner_client, essay_quiz)
    with pytest.raises(InvalidAnswer) as refused:
        services.save_answer(attempt, attempt.questions[0]["id"], text=text)
    assert "字符" in str(refused.value.message)
    assert not Answer.objects.exists()


@pytest.mark.django_db
def test_the_page_never_stores_broken_text(learner_client, essay_quiz):
    attempt = start(learner_client, essay_quiz)
    question_id = attempt.questions[0]["id"]
    # The bytes of a lone surrogate (CESU-8 / WTF-8) sent by a broken client.
    body = f"question_id={question_id}&text=a%ED%A0%80b"
    response = learner_client.post(
        reverse("quizzes:answer", args=[attempt.pk]),
        body,
        content_type="application/x-www-form-urlencoded",
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code in {200, 400}
    for answer in Answer.objects.all():
        answer.text.encode("utf-8")  # storable text only
