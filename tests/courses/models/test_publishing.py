"""Wagtail's editing features the trainers rely on: preview, revisions, scheduled publishing."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from courses.models import LessonPage
from tests.factories import lessons_of, make_catalog, make_course


class TestPreview(WagtailPageTestCase):
    def setUp(self):
        catalog = make_catalog()
        self.course = make_course(catalog, lessons=1)
        self.lesson = lessons_of(self.course)[0]
        # force_login: django-axes needs a request for password logins.
        self.client.force_login(self.create_superuser("editor"))

    def test_lesson_course_and_catalog_are_previewable(self):
        # The StreamField editor is built by JavaScript, so the lesson's form data is spelled out.
        lesson_data = nested_form_data(
            {
                "title": "第1课",
                "slug": "lesson-1",
                "intro": "",
                "body": streamfield(
                    [("heading", "预览标题"), ("paragraph", rich_text("<p>预览正文</p>"))]
                ),
                "comments": inline_formset([]),
                "estimated_minutes": "5",
                "is_required": "on",
            }
        )
        self.assertPageIsPreviewable(self.lesson, post_data=lesson_data)
        self.assertPageIsPreviewable(self.course)
        self.assertPageIsPreviewable(self.course.get_parent().specific)


@pytest.mark.django_db
def test_preview_does_not_record_a_visit(admin_client, course):
    from courses.models import CourseProgress

    lesson = lessons_of(course)[0]
    response = admin_client.get(f"/admin/pages/{lesson.pk}/edit/preview/?mode=")
    assert response.status_code == 200
    assert not CourseProgress.objects.exists()


@pytest.mark.django_db
def test_scheduled_lesson_goes_live_only_when_due(course):
    lesson = LessonPage(title="定时发布", slug="scheduled", body=[])
    course.add_child(instance=lesson)
    lesson.go_live_at = timezone.now() + timedelta(hours=1)
    lesson.save_revision().publish()
    lesson.refresh_from_db()
    assert not lesson.live
    call_command("publish_scheduled")
    lesson.refresh_from_db()
    assert not lesson.live
    later = timezone.now() + timedelta(hours=2)
    from unittest import mock

    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("publish_scheduled")
    lesson.refresh_from_db()
    assert lesson.live


@pytest.mark.django_db
def test_a_new_revision_keeps_the_old_one(course):
    lesson = lessons_of(course)[0]
    first = lesson.live_revision_id
    lesson.title = "改过的标题"
    lesson.save_revision().publish()
    lesson.refresh_from_db()
    assert lesson.live_revision_id != first
    assert lesson.revisions.count() == 2
