"""The admin quiz reports: quiz results, a quiz's statistics page, the question analysis, their
exports, the score chart, and who may see them."""

import csv
import io
import re

import pytest
from django.contrib.auth.models import Permission
from django.test import RequestFactory
from django.urls import reverse
from openpyxl import load_workbook

from quizzes import services
from quizzes.services import analytics
from quizzes.viewsets.reports import QuizReportsViewSet
from quizzes.viewsets.reports.quiz_results import score_chart
from tests.factories import (
    UserFactory,
    code_ids,
    make_category,
    make_classify_question,
    make_quiz,
)
from tests.quizzes.analytics_data import five_questions, pattern_quiz, sit_pattern


@pytest.fixture
def questions(db):
    return five_questions()


@pytest.fixture
def quiz(questions):
    return pattern_quiz(questions)


@pytest.fixture
def sat(quiz, questions):
    """The six final attempts of PATTERN."""
    return sit_pattern(quiz, questions)


def test_score_chart_scales_the_tallest_bar_to_the_plot():
    bands = [
        analytics.ScoreBand(n * 10, n * 10 + 9, count, None)
        for n, count in enumerate([0, 0, 0, 0, 3, 0, 2, 0, 1, 0])
    ]
    chart = score_chart(bands)
    heights = [bar["height"] for bar in chart["bars"]]
    assert heights[4] == chart["baseline"] - 32 and heights[0] == 0
    assert heights[6] == pytest.approx(heights[4] * 2 / 3, abs=0.1)
    assert all(
        bar["y"] + bar["height"] == pytest.approx(chart["baseline"]) for bar in chart["bars"]
    )


# --- Admin pages ---------------------------------------------------------------------------


def staff(username, *codenames):
    user = UserFactory(username=username)
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        *[
            Permission.objects.get(content_type__app_label="lms_quizzes", codename=codename)
            for codename in codenames
        ],
    )
    return user


@pytest.mark.django_db
def test_admin_pages_for_a_superuser(client, admin_user, quiz, questions, sat):
    client.force_login(admin_user)
    response = client.get(reverse("lms_quiz_analytics:quizzes"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "消保知识测验" in html and reverse("lms_quiz_analytics:quiz", args=[quiz.pk]) in html
    assert "50.0%" in html
    response = client.get(reverse("lms_quiz_analytics:quizzes"), {"q": "没有这个"})
    assert list(response.context["object_list"]) == []

    response = client.get(reverse("lms_quiz_analytics:quiz", args=[quiz.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and "<script" not in html.split("<svg")[1].split("</svg>")[0]
    assert response.context["stats"].attempts == 6
    assert "40–49" in html and "第3题" in html  # the band, and a flagged question

    url = reverse("lms_quiz_analytics:questions")
    response = client.get(url, {"quiz": quiz.pk})
    assert response.status_code == 200
    assert len(response.context["object_list"]) == 5
    assert "第2题" in response.content.decode()

    response = client.get(
        reverse("lms_quiz_analytics:questions_results"), {"quiz": quiz.pk, "flag": "too_hard"}
    )
    assert response.status_code == 200
    assert [i.question_id for i in response.context["object_list"]] == [questions[4].pk]

    response = client.get(url, {"quiz": quiz.pk, "ordering": "-p"})
    assert [i.p for i in response.context["object_list"]][0] == 1


@pytest.mark.django_db
def test_item_report_exports_csv_and_xlsx(client, admin_user, quiz, questions, sat):
    client.force_login(admin_user)
    url = reverse("lms_quiz_analytics:questions")
    response = client.get(url, {"quiz": quiz.pk, "export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 5
    second = next(row for row in rows if row["试题 ID"] == str(questions[1].pk))
    r_pb_heading = next(heading for heading in rows[0] if heading.startswith("r_pb"))
    assert second["出题次数"] == "6" and second["已答次数"] == "5"
    assert float(second[r_pb_heading]) == pytest.approx(0.4472)
    assert "✓ 甲: 3 (50.0%)" in second["选项选择情况"]

    response = client.get(url, {"quiz": quiz.pk, "export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    assert len(list(sheet.iter_rows())) == 6  # heading + five questions

    response = client.get(reverse("lms_quiz_analytics:quizzes"), {"export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[1][:4] == ["消保知识测验", "6", "3", "0.5"]


@pytest.mark.django_db
def test_admin_pages_follow_the_permission(client, quiz, sat):
    urls = [
        reverse("lms_quiz_analytics:quizzes"),
        reverse("lms_quiz_analytics:quiz", args=[quiz.pk]),
        reverse("lms_quiz_analytics:questions"),
        reverse("lms_quiz_analytics:questions") + "?export=csv",
    ]
    client.force_login(staff("trainer", "change_quiz"))
    for url in urls:
        assert client.get(url).status_code == 200, url

    client.force_login(staff("editor", "change_question"))  # admin access, not change_quiz
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")

    client.force_login(UserFactory(username="learner"))
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and reverse("wagtailadmin_login") in response["Location"]


@pytest.mark.django_db
def test_menu_items_follow_the_permission(admin_user):
    request = RequestFactory().get("/admin/")
    reports = QuizReportsViewSet()
    for user, shown in (
        (admin_user, True),
        (staff("trainer", "change_quiz"), True),
        (staff("editor", "change_question"), False),
    ):
        request.user = user
        assert reports.get_menu_item().is_shown(request) is shown
        assert reports.get_question_analysis_menu_item().is_shown(request) is shown


@pytest.mark.django_db
def test_item_report_shows_a_classification_question_per_dimension(client, admin_user):
    drill = make_quiz([make_classify_question(make_category("投诉分类练习"))], title="投诉分类练习")
    for picked in (("A.1.1", "B.3.1", "C.10"), ("A.1.2", "B.3.1", "C.10")):
        attempt, _created = services.start_attempt(UserFactory(), drill)
        services.save_answer(attempt, attempt.questions[0]["id"], choice_ids=code_ids(*picked))
        services.submit_attempt(attempt)
    client.force_login(admin_user)
    url = reverse("lms_quiz_analytics:questions_results")
    html = client.get(url, {"quiz": drill.pk}).content.decode()
    cell = html[html.index("data-dimensions") :]
    cell = cell[: cell.index("</ul>")]
    assert re.findall(r'data-dimension="([ABC])"', cell) == ["A", "B", "C"]
    assert "A.1.1 营业现场 — 50%" in cell and "A.1.2 自助机具" in cell
    assert "B.3.3 借记卡盗刷 — 0%" in cell and "B.3.1 借记卡使用" in cell
    assert "C.10 消费者资金安全 — 100%" in cell
    export = client.get(
        reverse("lms_quiz_analytics:questions"), {"quiz": drill.pk, "export": "csv"}
    )
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "A ✓ A.1.1 营业现场: 50.0%, ✗ A.1.2 自助机具: 1" in text
