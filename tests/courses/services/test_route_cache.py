"""Cached page routes (courses.services.route_cache): never older than the content, never shared
between requests, never a way around who may see a page."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.documents import get_document_model
from wagtail.models import PageViewRestriction
from wagtail.rich_text import RichText

from courses.models import ContentGeneration
from courses.services.route_cache import current_generation, routes
from tests.factories import lessons_of, make_course

pytestmark = pytest.mark.django_db

#: What routing a lesson costs when its route is not kept: the site, the root page, the catalog
#: (child, then its own model), the course, the course's steps (without their bodies), the view
#: restrictions, and the lesson's body, rendered once to be kept.
LESSON_ROUTE_QUERIES = 7


def queries_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, len(queries)


@pytest.fixture
def lesson(learner_client, course):
    lesson = lessons_of(course)[0]
    assert learner_client.get(lesson.url).status_code == 200  # routed and kept
    return lesson


def test_the_second_request_of_an_address_skips_the_route(learner_client, lesson):
    first = len(routes._entries)
    _response, cached = queries_of(learner_client, lesson.url)
    routes.clear()
    _response, routed = queries_of(learner_client, lesson.url)
    assert first == 1 and routed - cached == LESSON_ROUTE_QUERIES, (routed, cached)


def test_a_published_change_shows_on_the_next_request(learner_client, lesson):
    before = current_generation()
    lesson.title = "改过的标题"
    lesson.save_revision().publish()
    assert current_generation() != before
    assert "改过的标题" in learner_client.get(lesson.url).content.decode()


def test_a_lessons_body_is_rendered_once_and_kept_with_its_route(learner_client, lesson):
    _site, (page, _args, _kwargs) = routes.get(next(iter(routes._entries)))
    assert "正文" in page._lms_body_html
    lesson.body = [("paragraph", RichText("<p>新的正文</p>"))]
    lesson.save_revision().publish()
    assert "新的正文" in learner_client.get(lesson.url).content.decode()


def test_an_unpublished_lesson_is_gone_at_once(learner_client, lesson):
    lesson.unpublish()
    assert learner_client.get(lesson.url).status_code == 404


def test_a_moved_course_is_not_served_at_its_old_address(learner_client, catalog, course, lesson):
    other = make_course(catalog, title="另一门课", slug="other", lessons=0)
    old = lesson.url
    lesson.move(other, pos="last-child")
    assert learner_client.get(old).status_code == 301  # Wagtail's automatic redirect, not the page
    lesson.refresh_from_db()
    assert learner_client.get(lesson.url).status_code == 200


def test_a_deleted_lesson_is_gone_at_once(learner_client, lesson):
    url = lesson.url
    lesson.delete()
    assert learner_client.get(url).status_code == 404


def test_a_restriction_added_after_the_route_was_kept_still_holds(learner_client, catalog, lesson):
    auditors = Group.objects.create(name="审计")
    restriction = PageViewRestriction.objects.create(
        page=catalog, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(auditors)
    assert learner_client.get(lesson.url).status_code in {302, 403}
    # Its groups changed (m2m): the learner's group is now allowed.
    tellers = Group.objects.create(name="柜员")
    learner = learner_client.get(lesson.url).wsgi_request.user
    learner.groups.add(tellers)
    assert learner_client.get(lesson.url).status_code in {302, 403}
    restriction.groups.add(tellers)
    assert learner_client.get(lesson.url).status_code == 200
    restriction.delete()
    assert learner_client.get(lesson.url).status_code == 200


def test_a_change_made_by_another_process_is_seen(learner_client, lesson):
    # Another process changed the content: all this process knows is the generation it wrote.
    ContentGeneration.objects.filter(pk=1).update(value=current_generation() + 1)
    _response, routed = queries_of(learner_client, lesson.url)
    _response, cached = queries_of(learner_client, lesson.url)
    assert routed - cached == LESSON_ROUTE_QUERIES


def test_each_request_gets_its_own_objects(learner_client, lesson):
    served = learner_client.get(lesson.url).context["page"]
    served.title = "只在这一次请求里"
    served.get_parent().title = "也只在这一次"
    html = learner_client.get(lesson.url).content.decode()
    assert lesson.title in html and "只在这一次" not in html


def test_anonymous_visitors_are_still_sent_to_log_in(lesson):
    response = Client().get(lesson.url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_posts_are_routed_as_before(learner_client, lesson):
    routes.clear()
    learner_client.post(lesson.url + "complete/")
    assert not routes._entries


@override_settings(LMS_ROUTE_CACHE_SIZE=2)
def test_the_cache_keeps_at_most_its_size(learner_client, course, lesson):
    for each in lessons_of(course):
        assert learner_client.get(each.url).status_code == 200
    assert len(routes._entries) == 2


@override_settings(LMS_ROUTE_CACHE_SIZE=0)
def test_size_zero_turns_it_off(learner_client, lesson):
    routes.clear()
    _response, first = queries_of(learner_client, lesson.url)
    _response, second = queries_of(learner_client, lesson.url)
    assert not routes._entries and first == second


def test_the_language_is_part_of_the_address(learner_client, lesson):
    learner_client.cookies["django_language"] = "en"
    assert learner_client.get(lesson.url).status_code == 200
    assert len(routes._entries) == 2


def test_a_documents_new_title_shows_in_a_kept_lesson_body(learner_client, course):
    document = get_document_model().objects.create(
        title="消保制度汇编", file=ContentFile(b"%PDF-1.4", name="rules.pdf")
    )
    lesson = lessons_of(course)[0]
    lesson.body = [("document", {"document": document, "label": ""})]
    lesson.save_revision().publish()
    assert "消保制度汇编" in learner_client.get(lesson.url).content.decode()
    document.title = "消保制度汇编（2026年版）"
    document.save()
    assert "（2026年版）" in learner_client.get(lesson.url).content.decode()
