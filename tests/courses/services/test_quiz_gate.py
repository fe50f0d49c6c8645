"""A course's quiz step opens once its required lessons are done (a course may allow it
earlier): starting early is refused on the step page, from the quiz list and in the API (409
with a message), and the result page says what the attempt did to the course."""

import pytest
from django.urls import reverse
from django.utils import translation

from courses.models import QuizStepPage
from quizzes import services as quiz_services
from quizzes.exceptions import StartRefused
from quizzes.models import Attempt
from tests.factories import (
    choice_ids,
    finish_lesson,
    lessons_of,
    make_category,
    make_course,
    make_question,
    make_quiz,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def question(db):
    return make_question(make_category())


@pytest.fixture
def course(catalog, question):
    course = make_course(catalog, title="销售过程消保", slug="sales", lessons=3)
    step = QuizStepPage(
        title="结业测验", slug="final", quiz=make_quiz([question], title="结业测验", listed=True)
    )
    course.add_child(instance=step)
    step.save_revision().publish()
    return course


def quiz_of(course):
    return QuizStepPage.objects.child_of(course).get().quiz


def pass_quiz(user, quiz, question):
    attempt, _created = quiz_services.start_attempt(user, quiz)
    quiz_services.save_answer(attempt, question.pk, choice_ids(attempt, question.pk))
    return quiz_services.submit_attempt(attempt)


def test_the_quiz_is_refused_until_the_required_lessons_are_done(learner, course, question):
    quiz = quiz_of(course)
    lessons = lessons_of(course)
    finish_lesson(learner, lessons[0])
    with translation.override("en"), pytest.raises(StartRefused) as refused:
        quiz_services.start_attempt(learner, quiz)
    assert refused.value.status == 409
    assert str(refused.value.message) == (
        "Finish the lessons of “销售过程消保” first: 1 of 3 required lessons done."
    )
    assert not Attempt.objects.exists()
    for lesson in lessons[1:]:
        finish_lesson(learner, lesson)
    attempt, created = quiz_services.start_attempt(learner, quiz)
    assert created and attempt.number == 1


def test_the_step_page_and_the_quiz_list_refuse_an_early_start(learner_client, course):
    quiz = quiz_of(course)
    step = QuizStepPage.objects.child_of(course).get()
    html = learner_client.get(step.url).content.decode()
    assert "data-quiz-closed" in html
    assert "先完成“销售过程消保”的全部必修微课：已完成 0/3 节。" in html
    assert reverse("quizzes:start", args=[quiz.pk]) not in html
    response = learner_client.post(reverse("quizzes:start", args=[quiz.pk]))
    assert response.status_code == 409
    assert "先完成“销售过程消保”的全部必修微课" in response.content.decode()
    assert not Attempt.objects.exists()


def test_the_api_says_the_quiz_step_is_closed_and_refuses_with_409(learner_client, course):
    quiz = quiz_of(course)
    detail = learner_client.get(f"/api/v1/courses/{course.pk}").json()
    quiz_step = next(step for step in detail["steps"] if step["kind"] == "quiz")
    assert quiz_step["open"] is False
    assert all(step["open"] for step in detail["steps"] if step["kind"] == "lesson")
    response = learner_client.post(f"/api/v1/quizzes/{quiz.pk}/attempts")
    assert response.status_code == 409
    assert response.json()["detail"] == "先完成“销售过程消保”的全部必修微课：已完成 0/3 节。"


def test_a_course_may_open_its_quiz_before_the_lessons(learner, course, question):
    course.quiz_after_lessons = False
    course.save_revision().publish()
    attempt = pass_quiz(learner, quiz_of(course), question)
    assert attempt.passed


def test_a_quiz_that_is_no_course_step_starts_as_before(learner, question):
    quiz = make_quiz([question], title="独立测验")
    _attempt, created = quiz_services.start_attempt(learner, quiz)
    assert created


def test_the_result_page_says_what_happened_to_the_course(
    learner_client, learner, course, question
):
    course.quiz_after_lessons = False
    course.save_revision().publish()
    attempt = pass_quiz(learner, quiz_of(course), question)
    html = learner_client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()
    assert "“销售过程消保”尚未完成：已完成 1/4 个必修环节。" in html
    assert lessons_of(course)[0].url in html
    api = learner_client.get(f"/api/v1/attempts/{attempt.pk}").json()
    assert api["notes"] == [
        {
            "text": (
                "“销售过程消保”尚未完成：已完成 1/4 个必修环节。完成全部必修环节后计入学习记录。"
            ),
            "url": lessons_of(course)[0].url,
            "done": False,
        }
    ]

    for lesson in lessons_of(course):
        finish_lesson(learner, lesson)
    html = learner_client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()
    assert "“销售过程消保”已完成，已计入您的学习记录。" in html
