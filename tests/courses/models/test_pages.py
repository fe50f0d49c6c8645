"""Page-tree rules and rendering of the course pages."""

import pytest
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from courses.models import CourseIndexPage, CoursePage, LessonPage, QuizStepPage


class TestPageTreeRules(WagtailPageTestCase):
    def test_catalog_holds_only_courses(self):
        self.assertAllowedSubpageTypes(CourseIndexPage, {CoursePage})

    def test_course_holds_only_steps(self):
        self.assertAllowedSubpageTypes(CoursePage, {LessonPage, QuizStepPage})

    def test_quiz_step_lives_only_in_a_course(self):
        self.assertAllowedParentPageTypes(QuizStepPage, {CoursePage})
        self.assertAllowedSubpageTypes(QuizStepPage, set())

    def test_lesson_is_a_leaf(self):
        self.assertAllowedSubpageTypes(LessonPage, set())

    def test_course_lives_only_in_a_catalog(self):
        self.assertAllowedParentPageTypes(CoursePage, {CourseIndexPage})
        self.assertCanNotCreateAt(Page, CoursePage)

    def test_lesson_lives_only_in_a_course(self):
        self.assertAllowedParentPageTypes(LessonPage, {CoursePage})
        self.assertCanNotCreateAt(CourseIndexPage, LessonPage)


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_login(client, course):
    lesson = LessonPage.objects.child_of(course).first()
    for page in (course.get_parent(), course, lesson):
        response = client.get(page.url)
        assert response.status_code == 302, page.url
        assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.django_db
def test_course_page_lists_steps_in_order_with_progress(learner_client, course):
    response = learner_client.get(course.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("第1课") < html.index("第2课") < html.index("第3课")
    assert 'aria-valuenow="0"' in html
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_unpublished_lessons_are_not_steps(learner_client, course):
    lesson = LessonPage.objects.child_of(course).last()
    lesson.unpublish()
    html = learner_client.get(course.url).content.decode()
    assert "第3课" not in html
    assert "第2课" in html


@pytest.mark.django_db
def test_lesson_shows_position_and_neighbours(learner_client, course):
    first, second, third = LessonPage.objects.child_of(course).order_by("path")
    html = learner_client.get(second.url).content.decode()
    assert f'href="{first.url}"' in html and 'rel="prev"' in html
    assert f'href="{third.url}"' in html and 'rel="next"' in html
    assert "第 2 / 3 课" in html or "Lesson 2 of 3" in html
