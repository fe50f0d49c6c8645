"""What serving a learner costs, beyond the pages' own queries (tests/courses/models/
test_queries.py): the middleware loads the user only when something needs it, HTML pages go out
gzip-compressed (JSON, streams and other types untouched), a lesson's first load stays small,
and the editors' view restrictions still hold although they are read in one query."""

import gzip
import re

import pytest
from django.contrib.auth.models import Group
from django.contrib.staticfiles import finders
from django.db import connection
from django.http import HttpResponse, StreamingHttpResponse
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from config.demo.content import COURSES
from config.demo.loader import stream
from courses.templatetags import courses_tags
from lms.middleware import CompressedPagesMiddleware
from tests.factories import lessons_of, make_lesson

pytestmark = pytest.mark.django_db

#: A lesson's first load on a phone: its HTML, our stylesheet and script, gzip-compressed
#: (images are lazy-loaded renditions and come later).
FIRST_LOAD_LIMIT = 10 * 1024


@override_settings(ROOT_URLCONF="bench.urls")
def test_a_logged_in_request_reads_only_the_session_when_nothing_needs_the_user(learner_client):
    learner_client.get("/bench/bare/")  # the session's first touch is saved once
    with CaptureQueriesContext(connection) as queries:
        response = learner_client.get("/bench/bare/")
    assert response.status_code == 200
    # The session, not the user (two queries before: the idle-session and privacy middleware
    # loaded the user to ask whether someone was logged in).
    assert len(queries) == 1, [query["sql"] for query in queries]
    assert response["Cache-Control"] == "no-store, private"  # still a personal answer


@override_settings(ROOT_URLCONF="bench.urls")
def test_an_anonymous_request_is_not_marked_personal_and_reads_nothing(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/bench/bare/")
    assert len(queries) == 0 and "Cache-Control" not in response


def test_pages_go_out_compressed_to_browsers_that_accept_gzip(learner_client, course):
    lesson = lessons_of(course)[0]
    plain = learner_client.get(lesson.url)
    assert "Content-Encoding" not in plain  # no Accept-Encoding: as before
    response = learner_client.get(lesson.url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    html = gzip.decompress(response.content).decode()
    assert lesson.title in html and 'name="csrfmiddlewaretoken"' in html
    assert len(response.content) < len(plain.content) / 2

    api = learner_client.get("/api/v1/openapi.json", HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in api  # JSON: small answers, and clients that do not decode


def test_streams_and_other_types_are_not_compressed(rf):
    middleware = CompressedPagesMiddleware(lambda request: None)
    request = rf.get("/", HTTP_ACCEPT_ENCODING="gzip")
    text = "行" * 2000
    page = middleware.process_response(request, HttpResponse(text))
    assert page["Content-Encoding"] == "gzip"
    for content_type in ("application/pdf", "application/json"):
        other = HttpResponse(text.encode(), content_type=content_type)
        assert "Content-Encoding" not in middleware.process_response(request, other)
    export = StreamingHttpResponse(iter([text] * 3), content_type="text/csv")
    export = middleware.process_response(request, export)
    assert "Content-Encoding" not in export and b"".join(export).decode() == text * 3


def test_the_compressed_size_varies_against_breach(learner_client, course):
    lesson = lessons_of(course)[0]
    sizes = {
        len(learner_client.get(lesson.url, HTTP_ACCEPT_ENCODING="gzip").content) for _ in range(8)
    }
    # Django pads each compressed answer with 0-99 random bytes: the same page varies in size.
    assert len(sizes) > 1


def test_a_lessons_first_load_is_under_10_kb_compressed(learner_client, course):
    body = max(
        (lesson["body"] for data in COURSES for lesson in data["lessons"]),
        key=lambda blocks: len(str(blocks)),
    )
    lesson = make_lesson(course, "最长的一课", "longest", body=stream(body))
    response = learner_client.get(lesson.url, HTTP_ACCEPT_ENCODING="gzip")
    html = gzip.decompress(response.content).decode()
    assets = re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="/static/([^"]+)"', html)
    assets += re.findall(r'<script[^>]+src="/static/([^"]+)"', html)
    assert assets, "the lesson links our stylesheet and script"
    total = len(response.content)
    for name in assets:
        with open(finders.find(name), "rb") as handle:
            total += len(gzip.compress(handle.read()))
    assert total <= FIRST_LOAD_LIMIT, total


def test_view_restrictions_of_every_ancestor_still_hold(client, learner, catalog, course):
    lesson = lessons_of(course)[0]
    auditors = Group.objects.create(name="审计")
    restriction = PageViewRestriction.objects.create(
        page=catalog, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(auditors)
    client.force_login(learner)
    for url in (catalog.url, course.url, lesson.url):
        assert client.get(url).status_code in {302, 403}, url
    learner.groups.add(auditors)
    for url in (catalog.url, course.url, lesson.url):
        assert client.get(url).status_code == 200, url


def test_a_password_on_a_lesson_still_asks_for_it(learner_client, course):
    lesson = make_lesson(course, "加密课", "locked")
    PageViewRestriction.objects.create(
        page=lesson, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    response = learner_client.get(lesson.url)
    assert response.status_code == 200 and b'name="password"' in response.content
    assert b"\xe6\xad\xa3\xe6\x96\x87" not in response.content  # the body (正文) is not shown


def test_the_learner_pages_carry_their_stylesheet_instead_of_linking_it(learner_client, course):
    # On a slow phone network a linked stylesheet costs a round trip before the first paint
    # (bench/lcp.py); the learner's own CSS comes with the HTML. The static file stays.
    lesson = lessons_of(course)[0]
    html = learner_client.get(lesson.url).content.decode()
    with open(finders.find("courses/learner.css"), encoding="utf-8") as handle:
        css = handle.read()
    assert 'rel="stylesheet"' not in html
    assert f"<style>{css}</style>" in html
    learn = learner_client.get("/learn/").content.decode()
    assert 'rel="stylesheet"' not in learn and learn.count("<style>") == 2


def test_the_inlined_stylesheet_is_read_once_but_anew_while_developing(tmp_path, monkeypatch):
    sheet = tmp_path / "sheet.css"
    monkeypatch.setattr(courses_tags.finders, "find", lambda name: str(sheet))
    courses_tags._kept_stylesheet.cache_clear()
    sheet.write_text("a { color: red }", encoding="utf-8")
    with override_settings(DEBUG=True):
        assert "red" in courses_tags.inline_stylesheet("dev.css")
        sheet.write_text("a { color: blue }", encoding="utf-8")
        assert "blue" in courses_tags.inline_stylesheet("dev.css")  # an edit shows at once
    assert "blue" in courses_tags.inline_stylesheet("prod.css")
    sheet.write_text("a { color: green }", encoding="utf-8")
    assert "blue" in courses_tags.inline_stylesheet("prod.css")  # read once per process
    courses_tags._kept_stylesheet.cache_clear()
