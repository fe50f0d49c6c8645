"""What a manager (outlet head) reaches in the Wagtail admin: their training reports and team
pages, and nothing that lists the question bank. Wagtail's snippet choosers answer any admin
user by default (``…/chosen/<pk>/`` hands back the question's text by id), and the site
history lists every logged object the user has any model permission on, across all units; both
are closed to people without a permission on the model or the page tree."""

import json

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.log_actions import log

from lms.services.roles import MANAGERS
from tests.factories import make_category, make_question, make_quiz
from tests.lms.report_world import build_world

pytestmark = pytest.mark.django_db

STEM = "客户投诉时柜员首先应当做什么（机密题干）"
QUIZ_TITLE = "年度消保考试（机密）"


@pytest.fixture
def world(catalog):
    world = build_world(catalog)
    question = make_question(make_category(), stem=STEM)
    quiz = make_quiz([question], title=QUIZ_TITLE)
    log(question, "wagtail.create", user=world.users["trainer"])
    log(quiz, "wagtail.create", user=world.users["trainer"])
    world.question, world.quiz = question, quiz
    return world


def chooser_urls(world):
    urls = []
    for model, obj in (("question", world.question), ("quiz", world.quiz)):
        name = f"wagtailsnippetchoosers_lms_quizzes_{model}"
        urls += [
            reverse(f"{name}:choose"),
            reverse(f"{name}:choose_results") + "?q=" + STEM[:4],
            reverse(f"{name}:chosen", args=[obj.pk]),
            reverse(f"{name}:chosen_multiple") + f"?id={obj.pk}",
        ]
    urls.append(
        reverse("wagtailsnippetchoosers_lms_quizzes_questioncategory:chosen_multiple")
        + f"?id={world.question.category_id}"
    )
    return urls


def body(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def shows(text, secret):
    """``secret`` in a page, or in a JSON answer (which escapes Chinese)."""
    return secret in text or json.dumps(secret)[1:-1] in text


def assert_refused(client, url):
    response = client.get(url)
    assert response.status_code in (302, 403), (url, response.status_code)
    text = body(response)
    assert not shows(text, STEM) and not shows(text, QUIZ_TITLE), url


def test_the_managers_group_holds_admin_access_exemption_requests_and_complaint_reading(world):
    codenames = set(Group.objects.get(name=MANAGERS).permissions.values_list("codename", flat=True))
    assert codenames == {"access_admin", "add_exemption", "view_exemption", "view_complaint"}


def test_a_manager_cannot_read_questions_through_the_choosers(client, world):
    client.force_login(world.users["manager"])
    for url in chooser_urls(world):
        assert_refused(client, url)


def test_a_manager_cannot_list_the_question_bank(client, world):
    client.force_login(world.users["manager"])
    for url in (
        reverse("wagtailsnippets_lms_quizzes_question:list"),
        reverse("wagtailsnippets_lms_quizzes_question:list_results") + "?q=" + STEM[:4],
        reverse("wagtailsnippets_lms_quizzes_quiz:list"),
        reverse("wagtailsnippets_lms_quizzes_question:history", args=[world.question.pk]),
    ):
        assert_refused(client, url)


def test_a_manager_gets_no_site_history(client, world):
    client.force_login(world.users["manager"])
    for url in (
        reverse("wagtailadmin_reports:site_history"),
        reverse("wagtailadmin_reports:site_history_results"),
        reverse("wagtailadmin_reports:site_history") + "?export=csv",
    ):
        assert_refused(client, url)


def test_a_manager_granted_record_permissions_still_gets_no_site_history(client, world):
    """A bank that lets outlet heads read completion records in the training menu (scoped to
    their units there) must not hand them every unit's record log through the site history."""
    Group.objects.get(name=MANAGERS).permissions.add(
        Permission.objects.get(codename="view_completionrecord")
    )
    log(world.records["200101"], "wagtail.create", user=world.users["officer"])
    client.force_login(world.users["manager"])
    response = client.get(reverse("wagtailadmin_reports:site_history"))
    assert response.status_code in (302, 403)
    assert "孙六" not in body(response)


def test_the_managers_own_reports_and_team_pages_still_work(client, world):
    client.force_login(world.users["manager"])
    for url in (
        reverse("wagtailadmin_home"),
        reverse("lms_reports:assignments"),
        reverse("lms:team"),
    ):
        assert client.get(url).status_code == 200, url


def test_trainers_and_officers_keep_their_choosers_and_site_history(client, world):
    for who in ("trainer", "officer"):
        client.force_login(world.users[who])
        chosen = reverse(
            "wagtailsnippetchoosers_lms_quizzes_question:chosen", args=[world.question.pk]
        )
        response = client.get(chosen)
        assert response.status_code == 200 and shows(body(response), STEM), who
        choose = reverse("wagtailsnippetchoosers_lms_quizzes_quiz:choose")
        assert client.get(choose).status_code == 200, who
        history = client.get(reverse("wagtailadmin_reports:site_history"))
        assert history.status_code == 200, who
