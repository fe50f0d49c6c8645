"""The Wagtail admin still works under its Content-Security-Policy: the browser refuses nothing
(the ``phone`` fixture fails the test on any CSP console error) on the dashboard, a course
page's editor (inline panels, date pickers, the preview frame) and the question editor."""

import pytest
from django.urls import reverse

from courses.models import CoursePage
from tests.factories import UserFactory, make_catalog, make_course

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PASSWORD = "csp-admin-check-7Qx!"  # noqa: S105 - a throw-away test account


def test_the_admin_runs_without_csp_refusals(live_server, browser):
    make_course(make_catalog(), title="消保测试课程", slug="csp", lessons=1)
    user = UserFactory(username="root", is_superuser=True, is_staff=True)
    user.set_password(PASSWORD)
    user.save()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    refused, errors = [], []
    page.on("console", lambda m: "Content Security Policy" in m.text and refused.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server.url}{reverse('wagtailadmin_login')}")
    page.fill("#id_username", "root")
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"**{reverse('wagtailadmin_home')}")
    course = CoursePage.objects.get(slug="csp")
    for url in (
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_pages:edit", args=[course.pk]),
        reverse("wagtailsnippets_lms_quizzes_question:add"),
        reverse("wagtailadmin_reports:site_history"),
    ):
        page.goto(f"{live_server.url}{url}")
        page.wait_for_load_state("networkidle")
        assert page.locator("main, #main").count() >= 1, url
    # The editor's JavaScript ran: its side panel toggles are live.
    page.goto(f"{live_server.url}{reverse('wagtailadmin_pages:edit', args=[course.pk])}")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-side-panel-toggle]").count() >= 1
    context.close()
    assert not refused, refused
    assert not errors, errors
