"""A course completed on an earlier revision stays completed everywhere (course page, catalog,
API, 我的学习, certificate): a required lesson published afterwards shows as new, not as work
left."""

import pytest

from courses.models import CourseProgress
from lms.models import Assignment, Certificate
from lms.services.plans import publish_plan
from tests.api_support import API
from tests.factories import (
    finish_lesson,
    lessons_of,
    make_course,
    make_item,
    make_lesson,
    make_org,
    make_plan,
    make_staff,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def completed(catalog, learner):
    course = make_course(catalog, title="适当性管理", slug="suitability", lessons=2)
    staff = make_staff("100001", make_org()["LZ0101"], user=learner)
    plan = make_plan()
    make_item(plan, "适当性管理", course=course, everyone=True)
    publish_plan(plan)
    for lesson in lessons_of(course):
        finish_lesson(learner, lesson)
    make_lesson(course, "新增的一课", "added-later")  # published after the completion
    return course, staff


def test_the_course_page_says_completed_and_shows_the_new_lesson_as_new(learner_client, completed):
    course, _staff = completed
    html = learner_client.get(course.url).content.decode()
    assert "您已完成本课程" in html
    assert "data-new-steps" in html and "新增" in html
    assert 'aria-valuenow="100"' in html
    assert "继续学习" not in html


def test_the_catalog_the_api_and_the_learner_home_agree(learner_client, catalog, completed):
    course, staff = completed
    catalog_html = learner_client.get(catalog.url).content.decode()
    assert 'aria-valuenow="100"' in catalog_html
    detail = learner_client.get(f"{API}/courses/{course.pk}").json()
    assert detail["progress"]["completed"] is True and detail["progress"]["percent"] == 100
    assert [step["completed"] for step in detail["steps"]] == [True, True, False]
    listed = learner_client.get(f"{API}/courses/").json()[0]
    assert listed["progress"]["completed"] is True
    assignment = Assignment.objects.get(staff=staff)
    assert assignment.status == Assignment.COMPLETED
    assert Certificate.objects.filter(record__staff=staff).count() == 1
    mine = learner_client.get(f"{API}/me/assignments").json()
    assert mine[0]["status"] == "completed"
    progress = CourseProgress.objects.get(course=course)
    assert progress.completed_revision_id is not None


def test_completing_the_new_lesson_changes_nothing_in_the_records(learner, completed):
    course, _staff = completed
    finish_lesson(learner, lessons_of(course)[-1])
    assert Certificate.objects.count() == 1
    assert Assignment.objects.get().status == Assignment.COMPLETED
