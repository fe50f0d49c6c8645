"""The learner quiz pages: nothing secret in the HTML before the end, other people's attempts
are 404, bad input is a clear 4xx, and a passed quiz step completes its course."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from courses.models import CourseProgress, QuizStepPage
from courses.signals import course_completed
from quizzes.models import Answer, Attempt
from tests.factories import (
    UserFactory,
    choice_ids,
    lessons_of,
    make_category,
    make_question,
    make_quiz,
)


@pytest.fixture
def quiz(db):
    category = make_category()
    questions = [
        make_question(category, "single", explanation="单选解析"),
        make_question(category, "multiple", explanation="多选解析"),
        make_question(category, "truefalse", explanation="判断解析"),
    ]
    return make_quiz(questions, title="结业测验", pass_mark=60, max_attempts=2)


def start(client, quiz):
    response = client.post(reverse("quizzes:start", args=[quiz.pk]))
    assert response.status_code == 302
    return Attempt.objects.latest("pk")


@pytest.mark.django_db
def test_taking_page_has_no_answers_in_html(learner_client, quiz):
    attempt = start(learner_client, quiz)
    html = learner_client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()
    for question in attempt.questions:
        for choice in question["choices"]:
            assert f'value="{choice["id"]}"' in html or attempt.quiz.one_per_screen
    for secret in ("解析", "的反馈", "correct"):
        assert secret not in html
    # Every question page of a one-per-screen quiz is equally clean.
    for number in range(1, 4):
        page = learner_client.get(
            reverse("quizzes:attempt", args=[attempt.pk]), {"q": number}
        ).content.decode()
        assert "解析" not in page and "的反馈" not in page


@pytest.mark.django_db
def test_answer_submit_and_review(learner_client, quiz):
    attempt = start(learner_client, quiz)
    url = reverse("quizzes:answer", args=[attempt.pk])
    for number, entry in enumerate(attempt.questions, start=1):
        response = learner_client.post(
            url,
            {"question_id": entry["id"], "choice": choice_ids(attempt, entry["id"])},
            HTTP_ACCEPT="application/json",
        )
        # The page's "n of N answered" counter follows the server's count, the last answer too.
        expected = {"saved": True, "feedback": None, "answered": number}
        assert response.status_code == 200 and response.json() == expected
    response = learner_client.post(reverse("quizzes:submit", args=[attempt.pk]))
    assert response.status_code == 302
    html = learner_client.get(response["Location"]).content.decode()
    assert "100%" in html and "单选解析" in html
    attempt.refresh_from_db()
    assert attempt.passed


@pytest.mark.django_db
def test_other_learners_attempt_is_404(client, learner_client, quiz):
    attempt = start(learner_client, quiz)
    other = UserFactory(username="300001")
    client.force_login(other)
    for name in ("quizzes:attempt",):
        assert client.get(reverse(name, args=[attempt.pk])).status_code == 404
    for name in ("quizzes:answer", "quizzes:submit"):
        assert client.post(reverse(name, args=[attempt.pk])).status_code == 404
    attempt.refresh_from_db()
    assert attempt.is_open and not attempt.answers.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [{}, {"question_id": "abc"}, {"question_id": "1", "choice": "x"}, {"question_id": "999999"}],
)
def test_malformed_answers_get_a_4xx_message(learner_client, quiz, data):
    attempt = start(learner_client, quiz)
    response = learner_client.post(
        reverse("quizzes:answer", args=[attempt.pk]), data, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"]
    assert not Answer.objects.exists()


@pytest.mark.django_db
def test_no_attempts_left_is_a_clear_409(learner_client, quiz):
    for _number in range(2):
        attempt = start(learner_client, quiz)
        learner_client.post(reverse("quizzes:submit", args=[attempt.pk]))
    response = learner_client.post(reverse("quizzes:start", args=[quiz.pk]))
    assert response.status_code == 409
    assert Attempt.objects.count() == 2


@pytest.mark.django_db
def test_draft_quiz_is_404(learner_client, quiz):
    quiz.is_draft = True
    quiz.save()
    assert learner_client.get(reverse("quizzes:detail", args=[quiz.pk])).status_code == 404
    assert learner_client.post(reverse("quizzes:start", args=[quiz.pk])).status_code == 404


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, quiz):
    response = client.get(reverse("quizzes:detail", args=[quiz.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_offsite_next_is_ignored(learner_client, quiz):
    response = learner_client.post(
        reverse("quizzes:start", args=[quiz.pk]), {"next": "https://evil.example/"}
    )
    assert "evil" not in response["Location"]


@pytest.mark.django_db
def test_passing_the_quiz_step_completes_the_course(learner_client, learner, course, quiz):
    step = QuizStepPage(title="结业测验", slug="final-check", quiz=quiz)
    course.add_child(instance=step)
    step.save_revision().publish()
    events = []

    def receiver(sender, **kwargs):
        events.append(kwargs["score"])

    course_completed.connect(receiver)
    try:
        for lesson in lessons_of(course):
            learner_client.get(lesson.url)
            learner_client.post(lesson.url + "complete/")
        assert not CourseProgress.objects.filter(user=learner, completed_at__isnull=False).exists()
        html = learner_client.get(step.url).content.decode()
        assert "结业测验" in html and reverse("quizzes:start", args=[quiz.pk]) in html
        response = learner_client.post(reverse("quizzes:start", args=[quiz.pk]), {"next": step.url})
        attempt = Attempt.objects.get()
        assert re.search(r"next=", response["Location"])
        for entry in attempt.questions:
            learner_client.post(
                reverse("quizzes:answer", args=[attempt.pk]),
                {"question_id": entry["id"], "choice": choice_ids(attempt, entry["id"])},
            )
        learner_client.post(reverse("quizzes:submit", args=[attempt.pk]))
    finally:
        course_completed.disconnect(receiver)
    progress = CourseProgress.objects.get(user=learner, course=course)
    assert progress.completed_at is not None
    assert events == [Decimal("100")]
    state_html = learner_client.get(course.url).content.decode()
    assert 'aria-valuenow="100"' in state_html
