"""On a 360×740 phone: a lesson tapped 完成 before its minimum reading time is refused and says
how long is left, then completes once read; a course's quiz cannot be started before its lessons
(no start button, and the API refuses with 409)."""

import pytest

from config.demo.loader import load_demo
from courses.models import CoursePage, LessonPage, LessonProgress, QuizStepPage
from quizzes.models import Attempt
from tests.e2e.pages import fits_phone, log_in
from tests.factories import ensure_wagtail_root

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_a_lesson_is_refused_before_its_minimum_reading_time(live_server, phone, artifacts):
    ensure_wagtail_root()
    load_demo(simulate=False)
    course = CoursePage.objects.get(slug="complaint-classification-standard")
    lesson = LessonPage.objects.child_of(course).live().order_by("path").first()
    LessonPage.objects.filter(pk=lesson.pk).update(min_reading_seconds=4)
    log_in(phone, live_server, lesson.url)
    assert phone.locator("[data-reading-left]").is_visible()

    phone.locator("[data-complete]").scroll_into_view_if_needed()
    phone.click("[data-complete]")
    phone.wait_for_selector("[data-complete-error]")
    assert "请再阅读一会儿" in phone.locator("[data-complete-error]").inner_text()
    assert not LessonProgress.objects.filter(lesson=lesson).exists()
    assert fits_phone(phone)
    phone.screenshot(path=str(artifacts / "e2e-reading-refused-360x740.png"))

    phone.wait_for_timeout(4500)  # on screen long enough
    refused_url = phone.url
    phone.click("[data-complete]")
    phone.wait_for_url(lambda url: url != refused_url)
    assert LessonProgress.objects.filter(lesson=lesson, user__username="teller").exists()


def test_a_course_quiz_cannot_be_started_before_its_lessons(live_server, phone, artifacts):
    ensure_wagtail_root()
    load_demo(simulate=False)
    course = CoursePage.objects.get(slug="sales-process-consumer-protection")
    step = QuizStepPage.objects.child_of(course).get()
    log_in(phone, live_server, step.url)
    note = phone.locator("[data-quiz-closed]")
    assert note.is_visible() and "先完成" in note.inner_text()
    assert phone.locator("[data-start]").count() == 0
    assert fits_phone(phone)
    phone.screenshot(path=str(artifacts / "e2e-quiz-closed-360x740.png"))
    status, detail = phone.evaluate(
        """async (quizId) => {
            const token = document.cookie.match(/csrftoken=([^;]+)/)[1];
            const response = await fetch(`/api/v1/quizzes/${quizId}/attempts`, {
                method: "POST", headers: {"X-CSRFToken": token}, credentials: "same-origin"});
            return [response.status, (await response.json()).detail];
        }""",
        step.quiz_id,
    )
    assert status == 409 and "先完成" in detail
    assert not Attempt.objects.exists()
