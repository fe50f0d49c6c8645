"""Test data builders. Pages go through Wagtail's tree API and are published with a revision,
as an editor would."""

import factory
from django.contrib.auth import get_user_model
from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from courses.models import CourseIndexPage, CoursePage, LessonPage

PASSWORD = "pass-1234-word"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"{n:06d}")
    first_name = "小明"
    last_name = "王"
    password = factory.django.Password(PASSWORD)


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def make_catalog(slug="courses"):
    site = Site.objects.get(is_default_site=True)
    catalog = CourseIndexPage(title="课程中心", slug=slug)
    site.root_page.add_child(instance=catalog)
    return publish(catalog)


def make_course(catalog, title="测试课程", slug=None, lessons=2, **kwargs):
    course = CoursePage(
        title=title,
        slug=slug or f"course-{CoursePage.objects.count() + 1}",
        summary=kwargs.pop("summary", "课程简介"),
        **kwargs,
    )
    catalog.add_child(instance=course)
    publish(course)
    for number in range(1, lessons + 1):
        make_lesson(course, f"第{number}课", f"lesson-{number}")
    return course


def make_lesson(course, title, slug, body=None, **kwargs):
    lesson = LessonPage(
        title=title,
        slug=slug,
        body=body if body is not None else [("paragraph", RichText("<p>正文</p>"))],
        **kwargs,
    )
    course.add_child(instance=lesson)
    return publish(lesson)


def lessons_of(course):
    return list(LessonPage.objects.child_of(course).live().order_by("path"))


def make_image(title="封面"):
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    return get_image_model().objects.create(title=title, file=get_test_image_file(size=(720, 400)))


def root_page():
    return Page.get_first_root_node()
