"""Every learner-side page at 360×740 (Debian chromium): nothing scrolls sideways and every tap
target is at least 44×44 CSS px — the login page, the public certificate check, a teller's pages
(我的学习, notifications, catalog, course, lesson, the course's final check, tests, an attempt
and its result, progress, the mistake book and a practice round, an attestation, an offline
session, the check-in) and a manager's team pages and reminder page. No request on them is
answered 404 (the favicon was)."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from config.demo.drill import DRILL_TITLE
from config.demo.loader import load_demo
from courses import services as course_services
from courses.models import CourseIndexPage, CoursePage, LessonPage, QuizStepPage
from lms.models import Assignment, Certificate, OrgUnit, PlanItem, Reminder, StaffProfile
from lms.services.reminders.daily import send_due_reminders
from quizzes import services
from quizzes.models import Attempt, Quiz
from tests.e2e.pages import fits_phone, log_in, small_tap_targets
from tests.factories import ensure_wagtail_root

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def check(phone, live_server, path, failures):
    response = phone.goto(f"{live_server.url}{path}")
    assert response.status < 400, f"{path}: {response.status}"
    try:
        fits_phone(phone)
    except AssertionError as error:
        failures.append(str(error))


def test_every_learner_page_fits_a_phone_with_thumb_sized_targets(live_server, phone):
    ensure_wagtail_root()
    load_demo(simulate=False)  # the simulated year takes minutes; what the pages need is below
    teller = get_user_model().objects.get(username="teller")
    outlet = OrgUnit.objects.get(code="LZ0101")
    # Something overdue (for the reminders, the team's overdue people and the red cards).
    yesterday = timezone.localdate() - timedelta(days=1)
    Assignment.objects.filter(
        org_unit=outlet, status=Assignment.OPEN, plan_item__kind="course"
    ).update(due_date=yesterday)
    send_due_reminders()
    assert Reminder.objects.filter(recipient=teller).exists()
    # A completed course with its certificate.
    course = CoursePage.objects.get(slug="complaint-classification-standard")
    for lesson in LessonPage.objects.child_of(course).live():
        course_services.record_reading(teller, lesson, lesson.minimum_reading_seconds())
        course_services.complete_lesson(teller, lesson)
    quiz_step = QuizStepPage.objects.child_of(course).get()
    passed, _created = services.start_attempt(teller, quiz_step.quiz, confirmed=True)
    for entry in passed.questions:
        right = [choice["id"] for choice in entry["choices"] if choice["correct"]]
        services.save_answer(passed, entry["id"], right)
    services.submit_attempt(passed)
    certificate = Certificate.objects.get(record__user=teller, record__course=course)
    failures = []
    missing = []  # any request answered 404 (the favicon was)
    phone.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)

    for path in ["/accounts/login/", "/verify/", f"/verify/{certificate.code}/"]:
        check(phone, live_server, path, failures)

    # A finished attempt (for its result page and the mistake book) and one in progress.
    annual = Quiz.objects.get(title="2026年度消保知识测试")
    in_courses = QuizStepPage.objects.values("quiz_id")
    others = Quiz.objects.exclude(pk__in=in_courses).exclude(pk=annual.pk)
    practice = others.exclude(title=DRILL_TITLE).get()  # the essay practice
    done, _created = services.start_attempt(teller, annual, confirmed=True)
    services.submit_attempt(done)  # nothing answered: every question goes to the mistake book
    open_attempt, _created = services.start_attempt(teller, practice, confirmed=True)
    attempts = Attempt.objects.filter(user=teller).count()

    lesson = LessonPage.objects.live().child_of(course).first()
    items = PlanItem.objects.filter(kind__in=[PlanItem.ATTESTATION, PlanItem.OFFLINE])
    log_in(phone, live_server)
    paths = [
        "/learn/",
        "/learn/notifications/",
        CourseIndexPage.objects.live().first().url,
        course.url,
        lesson.url,
        quiz_step.url,
        "/quizzes/",
        "/quizzes/progress/",
        f"/quizzes/{annual.pk}/",
        f"/quizzes/attempts/{open_attempt.pk}/",
        f"/quizzes/attempts/{done.pk}/",
        "/learn/mistakes/",
        "/learn/check-in/",
        *(
            f"/learn/{'attest' if item.kind == PlanItem.ATTESTATION else 'offline'}/{item.pk}/"
            for item in items
        ),
    ]
    for path in paths:
        check(phone, live_server, path, failures)
    # A practice round from the mistake book.
    phone.goto(f"{live_server.url}/learn/mistakes/")
    if phone.locator("[data-practice]").count():
        phone.click("[data-practice]")
        phone.wait_for_selector("[data-practice-form]")
        small = small_tap_targets(phone)
        if small:
            failures.append(f"practice round: {small}")
    assert Attempt.objects.filter(user=teller).count() == attempts  # practice records nothing

    # In English the header's words are longer: the menu wraps onto a second line, never inside
    # a word (it read Co/urs/es), and its links keep their size.
    language = {"name": "django_language", "value": "en", "url": live_server.url}
    phone.context.add_cookies([language])
    check(phone, live_server, "/learn/", failures)
    assert phone.locator(".topnav a").first.inner_text() == "My learning"
    heights = phone.eval_on_selector_all(
        ".topbar a",
        "links => links.map(a => [a.innerText, a.getClientRects().length, "
        "a.getBoundingClientRect().height])",
    )
    for text, boxes, height in heights:
        assert boxes == 1 and height <= 45, f"header link {text!r} wraps: {height}px"
    phone.context.add_cookies([{**language, "value": "zh-hans"}])

    manager = StaffProfile.objects.get(employee_no="manager")
    colleague = StaffProfile.objects.filter(org_unit=outlet).exclude(pk=manager.pk).first()
    log_in(phone, live_server, username="manager")
    for path in [
        "/learn/team/",
        f"/learn/team/units/{outlet.pk}/",
        f"/learn/team/units/{outlet.pk}/?status=overdue",
        f"/learn/team/people/{colleague.pk}/",
        f"/learn/team/units/{outlet.pk}/remind/",
    ]:
        check(phone, live_server, path, failures)

    assert not failures, "\n".join(failures)
    assert not missing
