"""Smoke-check the CP-LMS apps inside the minimal host site ``plugin_site``.

Run as ``python -m plugin_site.check_site`` with ``plugin_site``'s parent directory and the
installed apps on ``sys.path`` and ``PLUGIN_SITE_DB`` set. It migrates a fresh database, runs
``lms_setup_roles`` twice (the roles, their permissions, the publishing workflow and a course
catalog, as a fresh host site needs them), builds a course and two micro-lessons in that catalog
the way an editor would (revisions, published), then, as a logged-in learner, views the course and
a lesson and completes that lesson.

Prints one JSON line with what it saw and exits 1 if anything was not as expected (an exception
while serving a page propagates, with its traceback, and exits non-zero too).
"""

import io
import json
import os
import re
import sys

COURSE_TITLE = "插件站点测试课程"
LESSON_HEADINGS = ["第一课要点标题", "第二课要点标题"]
PARAGRAPH_TEXT = "插件站点段落正文"
PROGRESS = re.compile(r'aria-valuenow="(\d+)"')


def progress_of(html):
    match = PROGRESS.search(html)
    return int(match.group(1)) if match else None


def roles_report():
    """What ``lms_setup_roles`` left: each group's permission codenames, the workflow of each
    course catalog and the page permissions there."""
    from django.contrib.auth.models import Group
    from wagtail.models import GroupPagePermission, WorkflowPage

    from courses.models import CourseIndexPage

    return {
        "groups": {
            group.name: sorted(group.permissions.values_list("codename", flat=True))
            for group in Group.objects.order_by("name")
        },
        "catalogs": [
            {
                "title": catalog.title,
                "live": catalog.live,
                "workflow": getattr(
                    WorkflowPage.objects.filter(page=catalog).first(), "workflow_id", None
                ),
                "page_permissions": sorted(
                    f"{row.group.name}:{row.permission.codename}"
                    for row in GroupPagePermission.objects.filter(page=catalog).select_related(
                        "group", "permission"
                    )
                ),
            }
            for catalog in CourseIndexPage.objects.order_by("path")
        ],
    }


def build_content():
    from wagtail.rich_text import RichText

    from courses.models import CourseIndexPage, CoursePage, LessonPage

    def publish(page):
        page.save_revision().publish()
        page.refresh_from_db()
        return page

    catalog = CourseIndexPage.objects.get()  # added by lms_setup_roles

    course = CoursePage(title=COURSE_TITLE, slug="plugin-course", summary="课程简介")
    catalog.add_child(instance=course)
    publish(course)

    lessons = []
    for number, heading in enumerate(LESSON_HEADINGS, start=1):
        lesson = LessonPage(
            title=f"第{number}课",
            slug=f"lesson-{number}",
            min_reading_seconds=0,  # the check serves the lesson, then completes it at once
            body=[
                ("heading", heading),
                ("paragraph", RichText(f"<p>{PARAGRAPH_TEXT}{number}</p>")),
            ],
        )
        course.add_child(instance=lesson)
        lessons.append(publish(lesson))
    return course, lessons


def run():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plugin_site.settings")
    import django

    django.setup()

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.staticfiles import finders
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    import courses
    import lms
    import quizzes

    setup_test_environment()  # lets the test client talk to "testserver"
    quiet = io.StringIO()  # stdout carries only the JSON line
    call_command("check", fail_level="ERROR", stdout=quiet)
    call_command("migrate", interactive=False, verbosity=0, stdout=quiet)
    try:
        call_command(
            "makemigrations",
            "lms_quizzes",
            "lms_courses",
            "lms_core",
            check=True,
            dry_run=True,
            verbosity=0,
            stdout=quiet,
        )
        migrations_complete = True
    except SystemExit:
        migrations_complete = False

    call_command("lms_setup_roles", stdout=quiet)
    roles = roles_report()
    call_command("lms_setup_roles", stdout=quiet)
    roles_again = roles_report()

    course, (lesson, _second) = build_content()
    learner = get_user_model().objects.create_user(username="100001", password="pw-1234-word")

    anonymous = Client().get(course.url)
    login_page = Client().get(reverse("lms_site:login"))

    client = Client()
    client.force_login(learner)
    course_before = client.get(course.url)
    lesson_page = client.get(lesson.url)
    complete = client.post(f"{lesson.url}complete/")
    course_after = client.get(course.url)

    course_html = course_before.content.decode()
    lesson_html = lesson_page.content.decode()
    result = {
        "modules": {
            "courses": courses.__file__,
            "lms": lms.__file__,
            "quizzes": quizzes.__file__,
        },
        "static_learner_css": finders.find("courses/learner.css"),
        "language_code": settings.LANGUAGE_CODE,
        "migrations_complete": migrations_complete,
        "roles": roles,
        "roles_idempotent": roles == roles_again,
        "course_url": course.url,
        "lesson_url": lesson.url,
        "anonymous_status": anonymous.status_code,
        "anonymous_location": anonymous.get("Location", ""),
        "login_status": login_page.status_code,
        "course_status": course_before.status_code,
        "lesson_status": lesson_page.status_code,
        "complete_status": complete.status_code,
        "complete_location": complete.get("Location", ""),
        "course_after_status": course_after.status_code,
        "course_title_rendered": COURSE_TITLE in course_html,
        "lesson_heading_rendered": LESSON_HEADINGS[0] in lesson_html,
        "lesson_paragraph_rendered": f"{PARAGRAPH_TEXT}1" in lesson_html,
        "progress_before": progress_of(course_html),
        "progress": progress_of(course_after.content.decode()),
    }

    expected = {
        "migrations_complete": True,
        "roles_idempotent": True,
        "anonymous_status": 302,
        "login_status": 200,
        "course_status": 200,
        "lesson_status": 200,
        "complete_status": 302,
        "course_after_status": 200,
        "course_title_rendered": True,
        "lesson_heading_rendered": True,
        "lesson_paragraph_rendered": True,
        "progress_before": 0,
        "progress": 50,
    }
    failures = [
        f"{key}: expected {value!r}, got {result[key]!r}"
        for key, value in expected.items()
        if result[key] != value
    ]
    if not result["anonymous_location"].startswith(reverse("lms_site:login")):
        failures.append(f"anonymous_location: not the login page: {result['anonymous_location']}")
    if not result["static_learner_css"]:
        failures.append("static_learner_css: courses/learner.css not found by staticfiles")
    result["failures"] = failures
    result["ok"] = not failures
    return result


def main():
    result = run()
    print(json.dumps(result, ensure_ascii=False, sort_keys=True))  # noqa: T201
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
