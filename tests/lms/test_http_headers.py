"""Security headers on every page (``lms.middleware``): a Content-Security-Policy without inline
script for everything outside the Wagtail admin (whose own looser policy is checked too), a
Permissions-Policy, and ``Cache-Control: no-store`` on personal answers.

The learner pages are found by crawling the demo bank's site as a teller and as a manager
(every same-site link from 我的学习, the course catalog and 团队进度, plus a started quiz), so a
page added later is checked without being listed here."""

from collections import deque
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from config.demo.loader import load_demo
from quizzes.exceptions import QuizError
from quizzes.models import Quiz
from quizzes.services.attempts import start_attempt
from tests.factories import UserFactory, ensure_wagtail_root

pytestmark = pytest.mark.django_db

SKIPPED = ("/admin/", "/documents/", "/static/", "/media/", "/accounts/logout/", "/i18n/")
#: Downloads, not pages (their own tests check them); the crawl still checks their headers.
DOWNLOADS = (".pdf", ".xlsx", ".csv")


class InlineCode(HTMLParser):
    """Inline ``<script>`` (without src, other than JSON data blocks), ``on…=`` attributes
    and ``javascript:`` URLs in a page, and its same-site links."""

    def __init__(self):
        super().__init__()
        self.problems, self.links, self._in_script = [], [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"<{tag} {name}=javascript:…>")
        if tag == "script":
            data = (attrs.get("type") or "").lower() in ("application/json", "application/ld+json")
            self._in_script = None if "src" in attrs or data else tag
        if tag == "a" and (attrs.get("href") or "").startswith("/"):
            self.links.append(attrs["href"].split("#")[0])

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.problems.append(f"inline <script>{data.strip()[:40]}…")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None


def directives(response):
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def assert_strict_page(url, response):
    assert "Content-Security-Policy" in response, url
    policy = directives(response)
    assert policy["script-src"] == ["'self'"], (url, policy["script-src"])
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"], url
    assert "camera=()" in response["Permissions-Policy"], url
    if "text/html" in response.get("Content-Type", ""):
        parser = InlineCode()
        parser.feed(response.content.decode())
        assert not parser.problems, (url, parser.problems)
        return parser.links
    return []


def crawl(client, starts, limit=150):
    seen, queue, pages = set(), deque(starts), {}
    while queue and len(seen) < limit:
        url = queue.popleft()
        path = url.split("?")[0]
        if url in seen or path.startswith(SKIPPED):
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200:
            continue
        pages[url] = response
        if not path.endswith(DOWNLOADS):
            queue.extend(assert_strict_page(url, response))
    return pages


@pytest.fixture
def demo(db):
    ensure_wagtail_root()
    load_demo(simulate=False)
    return get_user_model().objects


def first_startable_attempt(user):
    """An attempt of the first demo quiz the user may start (course checks need lessons)."""
    for quiz in Quiz.objects.order_by("pk"):
        try:
            return start_attempt(user, quiz, confirmed=True)[0]
        except QuizError:
            continue
    raise AssertionError("no demo quiz can be started")


def personal(response):
    return "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_learner_and_team_pages_have_a_strict_policy_and_no_inline_code(client, demo):
    teller = demo.get(username="teller")
    attempt = first_startable_attempt(teller)
    attempt_url = reverse("quizzes:attempt", args=[attempt.pk])
    client.force_login(teller)
    pages = crawl(
        client, ["/learn/", "/learn/mistakes/", "/learn/check-in/", "/quizzes/", attempt_url, "/"]
    )
    visited = set(pages)
    assert attempt_url in visited and "/learn/" in visited
    assert any(url.startswith("/courses/") and url.count("/") > 3 for url in visited), visited
    assert any(url.startswith("/quizzes/") for url in visited)
    assert len(pages) >= 15, sorted(visited)
    for url, response in pages.items():
        assert personal(response), (url, response.get("Cache-Control"))

    client.force_login(demo.get(username="manager"))
    team = crawl(client, ["/learn/team/"])
    assert any("/learn/team/units/" in url for url in team), sorted(team)
    assert any("/learn/team/people/" in url for url in team), sorted(team)
    for url, response in team.items():
        assert personal(response), url


def test_public_pages_have_the_strict_policy(client, db):
    for url in (reverse("lms_site:login"), reverse("lms:verify_form")):
        response = client.get(url)
        assert response.status_code == 200
        assert_strict_page(url, response)


def test_the_admin_has_its_looser_policy_and_still_renders(client, catalog):
    client.force_login(UserFactory(username="root", is_superuser=True))
    for url in (reverse("wagtailadmin_home"), reverse("wagtailadmin_explore", args=[catalog.pk])):
        response = client.get(url)
        assert response.status_code == 200, url
        policy = directives(response)
        assert "'unsafe-inline'" in policy["script-src"], url
        assert policy["frame-ancestors"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"], url
        assert personal(response)


def test_api_answers_are_never_stored(client, learner):
    assert (
        "no-store" in client.get("/api/v1/me/assignments")["Cache-Control"]
    )  # 401, still personal
    client.force_login(learner)
    for url in ("/api/v1/me/assignments", "/api/v1/nothing-here/"):
        response = client.get(url)
        assert personal(response), (url, response.status_code, response.get("Cache-Control"))


def test_public_pages_for_visitors_are_not_marked_personal(client, db):
    response = client.get(reverse("lms:verify_form"))
    assert "no-store" not in response.get("Cache-Control", "")
    assert "Permissions-Policy" in response
