"""`lms_demo` builds the Chinese demo site, and running it again changes nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.images import get_image_model
from wagtail.models import Page

from courses.models import CourseIndexPage, CoursePage, LessonPage, Topic

DEMO_COURSES = {
    "客户投诉分类标准行内应用",
    "销售过程中消费者权益保护工作解读",
    "重点业务消费者权益保护典型案例解析",
}
LOGIN = "/accounts/login/"
DEMO_USERS = {"teller", "teller2", "manager", "manager2", "officer", "trainer", "admin"}


@pytest.mark.django_db
def test_demo_is_complete_and_idempotent(client):
    call_command("lms_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    counts = (Page.objects.count(), get_image_model().objects.count(), Topic.objects.count())
    call_command("lms_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (
        Page.objects.count(),
        get_image_model().objects.count(),
        Topic.objects.count(),
    ) == counts

    catalog = CourseIndexPage.objects.get()
    assert catalog.url == "/courses/"
    courses = CoursePage.objects.live().child_of(catalog)
    assert set(courses.values_list("title", flat=True)) == DEMO_COURSES
    for course in courses:
        lessons = LessonPage.objects.live().child_of(course)
        assert 3 <= lessons.count() <= 6, course.title
        assert course.cover is not None and course.cover.width == 1200
        assert course.live_revision_id is not None
    assert set(get_user_model().objects.values_list("username", flat=True)) >= DEMO_USERS

    # Every demo account logs in with the documented password.
    for username in DEMO_USERS:
        response = client.post(LOGIN, {"username": username, "password": "demo1234"})
        assert response.status_code == 302, username
        client.post("/accounts/logout/")

    # A demo lesson renders for a teller.
    client.post(LOGIN, {"username": "teller", "password": "demo1234"})
    lesson = LessonPage.objects.live().first()
    html = client.get(lesson.url).content.decode()
    assert lesson.title in html and "完成" in html


@pytest.mark.django_db
def test_demo_prints_the_logins(capsys):
    call_command("lms_demo")
    out = capsys.readouterr().out
    for username in DEMO_USERS:
        assert username in out
    assert "demo1234" in out
