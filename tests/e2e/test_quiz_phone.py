"""A teller takes a course's final check — timed, so its rules are confirmed first — on a
360×740 phone in a real browser."""

import pytest
from django.contrib.auth import get_user_model

from config.demo.loader import DEMO_PASSWORD, load_demo
from courses import services as course_services
from courses.models import CoursePage, LessonPage, QuizStepPage
from quizzes.models import Attempt
from tests.e2e.pages import fits_phone
from tests.factories import ensure_wagtail_root

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_teller_confirms_and_takes_the_timed_final_check(live_server, phone, artifacts):
    ensure_wagtail_root()
    load_demo(simulate=False)
    course = CoursePage.objects.get(slug="sales-process-consumer-protection")
    step = QuizStepPage.objects.child_of(course).get()
    # The quiz opens once the course's lessons are read.
    teller = get_user_model().objects.get(username="teller")
    for lesson in LessonPage.objects.child_of(course).live():
        course_services.record_reading(teller, lesson, lesson.minimum_reading_seconds())
        course_services.complete_lesson(teller, lesson)
    phone.goto(f"{live_server.url}/accounts/login/?next={step.url}")
    phone.fill("#id_username", "teller")
    phone.fill("#id_password", DEMO_PASSWORD)
    phone.click("form button[type=submit]")
    phone.wait_for_url(f"**{step.url}")
    phone.click("[data-start]")
    # The quiz is timed: its rules are stated before anything starts.
    phone.wait_for_selector("[data-confirm-rules]")
    assert not Attempt.objects.exists()
    assert phone.locator("[data-time-limit]").inner_text().count("15") == 1
    assert fits_phone(phone)
    phone.screenshot(path=str(artifacts / "e2e-quiz-confirm-360x740.png"))
    phone.click("[data-start-confirmed]")
    phone.wait_for_url("**/quizzes/attempts/**")
    assert phone.locator("[data-deadline]").count() == 1
    attempt = Attempt.objects.get(user__username="teller")
    html = phone.content()
    assert "correct" not in html and attempt.questions[0]["explanation"] not in html

    for number, entry in enumerate(attempt.questions, start=1):
        assert phone.locator("legend .qnum").inner_text() == f"{number}."
        assert fits_phone(phone)
        for choice in entry["choices"]:
            if choice["correct"]:
                phone.check(f"input[name=choice][value='{choice['id']}']")
        if number == 1:
            phone.screenshot(path=str(artifacts / "e2e-quiz-question-360x740.png"))
        # The counter follows each save, the last one too (it stayed at 9 of 10).
        total = len(attempt.questions)
        phone.wait_for_function(
            "text => document.querySelector('[data-answered]').innerText === text",
            arg=f"已答 {number}/{total} 题",
        )
        assert phone.locator(f".qdot.is-answered[data-dot='{entry['id']}']").count() == 1
        if number < len(attempt.questions):
            phone.click(f"button[name=goto][value='{number + 1}']")
            phone.wait_for_url(f"**q={number + 1}**")
    phone.once("dialog", lambda dialog: dialog.accept())
    phone.click("[data-confirm]")
    phone.wait_for_selector(".result")
    assert phone.locator(".score").inner_text() == "100%"
    assert phone.locator(".review-item").count() == len(attempt.questions)
    assert fits_phone(phone)
    phone.screenshot(path=str(artifacts / "e2e-quiz-result-360x740.png"))
    attempt.refresh_from_db()
    assert attempt.status == Attempt.FINAL and attempt.passed
