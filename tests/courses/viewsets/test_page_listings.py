"""Courses and lessons carry classification codes through revisions, and their admin
listings filter by code (a code finds its sub-codes' pages) in a constant number of queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.models import CoursePage, LessonPage
from courses.services.classification import content_for
from quizzes.models import ClassificationCode
from tests.factories import UserFactory, make_course, make_lesson, publish

pytestmark = pytest.mark.django_db


def code(key):
    return ClassificationCode.objects.get(code=key)


def titles(html):
    start = html.index('<table class="listing')
    body = html[html.index("<tbody", start) : html.index("</tbody>", start)]
    return sorted(re.findall(r"data-w-kbd-target[^>]*>\s*([^<]+?)\s*<", body)) or body


def tag(page, *keys):
    page.classification_codes = [code(key) for key in keys]
    return publish(page)


def test_codes_are_part_of_a_revision_and_go_live_when_published(course):
    course = CoursePage.objects.get(pk=course.pk)
    course.classification_codes = [code("C.5")]
    revision = course.save_revision()
    # A draft: the live course has no codes yet, the revision has them.
    assert not CoursePage.objects.get(pk=course.pk).classification_codes.exists()
    assert [c.code for c in revision.as_object().classification_codes.all()] == ["C.5"]
    assert list(content_for(["C"]).courses) == [] and list(content_for(["C.5"]).courses) == []
    revision.publish()
    live = CoursePage.objects.get(pk=course.pk)
    assert [c.code for c in live.classification_codes.all()] == ["C.5"]
    assert list(content_for(["C.5"]).courses) == [live]


def test_content_for_finds_lessons_of_sub_codes_and_only_live_ones(course):
    own = ClassificationCode.objects.create(
        dimension="C", code="C.10.1", name="电信诈骗", parent=code("C.10")
    )
    first, second = LessonPage.objects.child_of(course).order_by("path")[:2]
    tag(first, "C.10")
    second.classification_codes = [own]
    publish(second)
    draft = make_lesson(course, "草稿课", "draft-lesson")
    tag(draft, "C.10")
    draft.unpublish()
    assert list(content_for(["C.10"]).lessons.order_by("path")) == [first, second]
    assert list(content_for([own]).lessons) == [second]
    assert list(content_for(["C.1"]).lessons) == []


@pytest.mark.parametrize("model,name", [(CoursePage, "course_pages"), (LessonPage, "lesson_pages")])
def test_the_listing_filters_by_code_with_descendants_in_constant_queries(
    client, catalog, model, name
):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    own = ClassificationCode.objects.create(
        dimension="B", code="B.3.3.1", name="境外盗刷", parent=code("B.3.3")
    )
    first = make_course(catalog, title="反诈课程", lessons=1)
    second = make_course(catalog, title="盗刷课程", lessons=1)
    make_course(catalog, title="无关课程", lessons=1)
    if model is CoursePage:
        tag(first, "B.3", "C.10")
        second.classification_codes = [own]
        publish(second)
        expected = {first.pk, second.pk}
    else:
        lessons = [LessonPage.objects.child_of(c).get() for c in (first, second)]
        tag(lessons[0], "B.3")
        lessons[1].classification_codes = [own]
        publish(lessons[1])
        expected = {lesson.pk for lesson in lessons}
    url = reverse(f"{name}:index")

    def listed(key):
        response = client.get(url, {"classification_code": key})
        assert response.status_code == 200
        return {page.pk for page in response.context["object_list"]}

    assert listed("B.3") == expected
    assert len(listed("B.3.3.1")) == 1
    assert listed("C.1") == set()
    html = client.get(url, {"classification_code": "B.3"}).content.decode()
    assert "B.3.3.1" in html

    def queries():
        with CaptureQueriesContext(connection) as captured:
            client.get(url, {"classification_code": "B.3"})
        return len(captured)

    before = queries()
    for number in range(4):
        course = make_course(catalog, title=f"更多{number}", lessons=1)
        page = course if model is CoursePage else LessonPage.objects.child_of(course).get()
        tag(page, "B.3.1", "C.4")
    assert queries() == before
    assert len(listed("B.3")) == len(expected) + 4
