"""A teller takes a micro-lesson on a 360×740 phone in a real browser (Debian chromium)."""

import pytest

from config.demo.loader import DEMO_PASSWORD, load_demo
from courses.models import CoursePage, LessonPage, LessonProgress
from tests.e2e.pages import fits_phone
from tests.factories import ensure_wagtail_root

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_teller_completes_a_lesson_and_sees_progress_move(live_server, phone, artifacts):
    ensure_wagtail_root()
    load_demo(simulate=False)
    course = CoursePage.objects.get(slug="complaint-classification-standard")
    LessonPage.objects.child_of(course).update(min_reading_seconds=2)
    phone.goto(f"{live_server.url}{course.url}")
    # Not logged in: sent to the login page, in Chinese.
    assert "/accounts/login/" in phone.url
    assert phone.locator("html").get_attribute("lang") == "zh-hans"
    phone.fill("#id_username", "teller")
    phone.fill("#id_password", DEMO_PASSWORD)
    phone.click("form button[type=submit]")
    phone.wait_for_url(f"**{course.url}")
    assert fits_phone(phone)
    bar = phone.locator(".course-progress [role=progressbar]")
    assert bar.get_attribute("aria-valuenow") == "0"

    start = phone.locator("a.btn-primary")
    first_lesson_path = start.get_attribute("href")
    start.click()  # start the first lesson
    phone.wait_for_url(f"**{first_lesson_path}")
    phone.wait_for_load_state()
    first_lesson_url = phone.url
    assert fits_phone(phone)
    # Read it for its minimum time (shortened here to 2 s) before tapping 完成.
    phone.wait_for_timeout(2500)
    phone.locator("[data-complete]").scroll_into_view_if_needed()
    phone.click("[data-complete]")
    phone.wait_for_url(lambda url: url != first_lesson_url)

    # On the next lesson the bar shows 1 of 6 required steps done (5 lessons + the final check).
    assert phone.locator(".progress-top").get_attribute("aria-valuenow") == "17"
    assert phone.locator(".lesson-end [role=progressbar]").get_attribute("aria-valuenow") == "17"
    assert phone.locator(".msg-success").count() == 1
    assert phone.locator("nav.pager a[rel=prev]").get_attribute("href") in first_lesson_url
    assert fits_phone(phone)
    phone.screenshot(path=str(artifacts / "e2e-lesson-360x740.png"), full_page=False)

    phone.goto(f"{live_server.url}{course.url}")
    assert (
        phone.locator(".course-progress [role=progressbar]").get_attribute("aria-valuenow") == "17"
    )
    assert phone.locator(".step.is-done").count() == 1
    phone.screenshot(path=str(artifacts / "e2e-course-360x740.png"), full_page=True)
    assert LessonProgress.objects.filter(user__username="teller").count() == 1

    # 我的学习: the course shows as started, on a phone without horizontal scrolling.
    phone.goto(f"{live_server.url}/learn/")
    assert phone.locator("h1").inner_text() == "我的学习"
    assert phone.locator(f"a[href='{course.url}']").count() >= 1
    assert fits_phone(phone)
    phone.screenshot(path=str(artifacts / "e2e-learn-360x740.png"), full_page=True)
