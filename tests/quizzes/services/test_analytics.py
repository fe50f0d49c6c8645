"""Item analysis and quiz statistics: exact numbers for known answer patterns, final attempts
only, constant queries, and the admin reports."""

import csv
import io
import math
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from quizzes import services
from quizzes.models import Attempt
from quizzes.services import analytics
from quizzes.views.analytics import (
    question_analysis_menu_item,
    quiz_results_menu_item,
    score_chart,
)
from tests.factories import UserFactory, make_category, make_question, make_quiz

RIGHT, WRONG, OTHER = "甲", "乙", "丙"  # the default single-choice question's choices

# Six learners, five single-choice questions (1 point each), pass mark 60 %. None = unanswered.
#   Q1 everybody right; Q2 right for the three best; Q3 right only for two of the weakest;
#   Q4 right for four, unrelated to the rest; Q5 right for the best only.
PATTERN = [
    # Q1     Q2     Q3     Q4     Q5       total
    (RIGHT, RIGHT, WRONG, RIGHT, RIGHT),  # 4 -> 80 %
    (RIGHT, RIGHT, WRONG, RIGHT, WRONG),  # 3 -> 60 %
    (RIGHT, RIGHT, WRONG, RIGHT, WRONG),  # 3 -> 60 %
    (RIGHT, WRONG, WRONG, RIGHT, WRONG),  # 2 -> 40 %
    (RIGHT, WRONG, RIGHT, OTHER, WRONG),  # 2 -> 40 %
    (RIGHT, None, RIGHT, None, OTHER),  # 2 -> 40 %
]


def sit(user, quiz, picks, submit=True):
    """One attempt answering each question with the choice of that text (None: skip it)."""
    attempt, _created = services.start_attempt(user, quiz)
    for question, pick in picks:
        if pick is None:
            continue
        entry = attempt.question(question.pk)
        if entry["type"] == "essay":
            services.save_answer(attempt, question.pk, text=pick)
        else:
            ids = [c["id"] for c in entry["choices"] if c["text"] == pick]
            services.save_answer(attempt, question.pk, ids)
    return services.submit_attempt(attempt) if submit else attempt


@pytest.fixture
def questions(db):
    category = make_category()
    return [make_question(category, "single", stem=f"第{n}题") for n in range(1, 6)]


@pytest.fixture
def quiz(questions):
    return make_quiz(questions, pass_mark=60, title="消保知识测验")


@pytest.fixture
def sat(quiz, questions):
    """The six final attempts of PATTERN."""
    return [sit(UserFactory(), quiz, zip(questions, picks, strict=True)) for picks in PATTERN]


def by_question(items):
    return {item.question_id: item for item in items}


@pytest.mark.django_db
def test_item_statistics_of_a_known_pattern(quiz, questions, sat):
    assert [a.score for a in sat] == [Decimal(s) for s in (80, 60, 60, 40, 40, 40)]
    items = by_question(analytics.item_statistics(quiz=quiz))
    q1, q2, q3, q4, q5 = (items[q.pk] for q in questions)

    assert [(i.presented, i.answered) for i in (q1, q2, q3, q4, q5)] == [
        (6, 6),
        (6, 5),
        (6, 6),
        (6, 5),
        (6, 6),
    ]
    # p: unanswered counts as wrong.
    assert [i.p for i in (q1, q2, q3, q4, q5)] == pytest.approx([1, 3 / 6, 2 / 6, 4 / 6, 1 / 6])

    # Q2 by hand: x = 1,1,1,0,0,0; rest score (other 4 points) = 3,1,1,1,1,1 / 4, so
    # M1 = 0.5833, M0 = 0.5, s_rest = 0.09317, sqrt(pq) = 0.5 and
    # r_pb = (M1 - M0) / s * sqrt(pq) = 0.0833 / 0.09317 * 0.5 = 1 / sqrt(5) = 0.4472.
    assert q2.r_pb == pytest.approx(1 / math.sqrt(5), abs=1e-4)
    assert q5.r_pb == pytest.approx(1 / math.sqrt(5), abs=1e-4)
    assert q4.r_pb == pytest.approx(0, abs=1e-4)  # right answers have the same mean rest score
    assert q3.r_pb < 0
    assert q1.r_pb is None  # everybody right: no variance

    # D with groups of round(0.27 * 6) = 2: lower = the 40 % attempts of L4, L5 (ties by id),
    # upper = L3 (60 %) and L1 (80 %).
    assert [i.d_index for i in (q1, q2, q3, q4, q5)] == pytest.approx([0, 1, -0.5, 0.5, 0.5])

    assert q1.flags == [analytics.TOO_EASY]
    assert q2.flags == []
    assert q3.flags == [analytics.NEGATIVE_DISCRIMINATION]
    assert q4.flags == [analytics.LOW_DISCRIMINATION]
    assert q5.flags == [analytics.TOO_HARD]


@pytest.mark.django_db
def test_choice_picks_are_counted_per_choice(quiz, questions, sat):
    items = by_question(analytics.item_statistics(quiz=quiz))
    q2, q4, q5 = items[questions[1].pk], items[questions[3].pk], items[questions[4].pk]
    assert [(c.text, c.correct, c.picks) for c in q2.choices] == [
        (RIGHT, True, 3),
        (WRONG, False, 2),
        (OTHER, False, 0),
    ]
    assert [c.proportion for c in q2.choices] == pytest.approx([0.5, 2 / 6, 0])
    assert [c.picks for c in q4.choices] == [4, 0, 1]
    assert [c.picks for c in q5.choices] == [1, 4, 1]
    assert {c.id for c in q2.choices} == {c.pk for c in questions[1].choices.all()}


@pytest.mark.django_db
def test_quiz_statistics_of_a_known_pattern(quiz, sat):
    stats = analytics.quiz_statistics(quiz)
    assert (stats.attempts, stats.learners, stats.passed, stats.learners_passed) == (6, 6, 3, 3)
    assert stats.pass_rate == 0.5
    assert stats.mean_score == Decimal("53.33")
    assert stats.median_score == Decimal("50.00")
    assert [band.count for band in stats.bands] == [0, 0, 0, 0, 3, 0, 2, 0, 1, 0]
    assert [band.label for band in stats.bands][:2] == ["0–9", "10–19"]
    assert stats.bands[-1].label == "90–100"
    assert stats.bands[4].proportion == 0.5


@pytest.mark.django_db
def test_retakes_count_attempts_and_learners_apart_and_band_edges(questions):
    quiz = make_quiz(questions[:1], pass_mark=100)
    learner = UserFactory()
    sit(learner, quiz, [(questions[0], WRONG)])
    sit(learner, quiz, [(questions[0], RIGHT)])
    stats = analytics.quiz_statistics(quiz)
    assert (stats.attempts, stats.learners, stats.passed, stats.learners_passed) == (2, 1, 1, 1)
    assert stats.pass_rate == 0.5
    assert stats.bands[0].count == 1 and stats.bands[-1].count == 1  # 0 % and 100 %
    assert stats.median_score == Decimal("50.00")


@pytest.mark.django_db
def test_only_final_attempts_count_and_essays_use_their_points(admin_user):
    category = make_category()
    single = make_question(category, "single")
    essay = make_question(category, "essay", points=2)
    quiz = make_quiz([single, essay])
    marks = ["2", "1"]
    for mark in marks:
        attempt = sit(UserFactory(), quiz, [(single, RIGHT), (essay, "先安抚客户")])
        assert attempt.status == Attempt.AWAITING_MARKING
        services.mark_answer(attempt.answers.get(question_id=essay.pk), mark, "", admin_user)
    awaiting = sit(UserFactory(), quiz, [(single, WRONG), (essay, "不知道")])
    in_progress = sit(UserFactory(), quiz, [(single, WRONG)], submit=False)
    assert awaiting.status == Attempt.AWAITING_MARKING
    assert in_progress.status == Attempt.IN_PROGRESS

    stats = analytics.quiz_statistics(quiz)
    assert (stats.attempts, stats.learners) == (2, 2)
    assert stats.mean_score == Decimal("83.34")  # of the stored scores 100.00 and 66.67
    items = by_question(analytics.item_statistics(quiz=quiz))
    assert items[single.pk].presented == 2 and items[single.pk].p == 1
    assert [c.picks for c in items[single.pk].choices] == [2, 0, 0]
    assert items[essay.pk].presented == 2 and items[essay.pk].answered == 2
    assert items[essay.pk].p == pytest.approx(0.75)  # (2/2 + 1/2) / 2
    assert items[essay.pk].choices == []


@pytest.mark.django_db
def test_few_attempts_give_no_discrimination_and_no_flags(quiz, questions):
    for picks in PATTERN[:2]:
        sit(UserFactory(), quiz, zip(questions, picks, strict=True))
    item = by_question(analytics.item_statistics(quiz=quiz))[questions[0].pk]
    assert item.p == 1 and item.presented == 2
    assert (item.r_pb, item.d_index, item.flags) == (None, None, [])


@pytest.mark.django_db
def test_questions_are_analysed_across_quizzes_from_their_snapshots(quiz, questions, sat):
    other = make_quiz(questions[:2], title="另一测验")
    sit(UserFactory(), other, [(questions[0], WRONG), (questions[1], RIGHT)])
    questions[0].stem = "改过的题干"
    questions[0].save()

    items = analytics.item_statistics(question_ids=[questions[0].pk])
    assert [item.question_id for item in items] == [questions[0].pk]
    assert items[0].presented == 7
    assert items[0].p == pytest.approx(6 / 7)
    assert items[0].stem == "第1题"  # what the learners saw
    assert len(analytics.item_statistics(quiz=other)) == 2
    assert analytics.item_statistics(question_ids=[]) == []


@pytest.mark.django_db
def test_query_count_does_not_grow_with_attempts(quiz, questions):
    def count_queries():
        with CaptureQueriesContext(connection) as items_queries:
            analytics.item_statistics(quiz=quiz)
        with CaptureQueriesContext(connection) as quiz_queries:
            analytics.quiz_statistics(quiz)
        with CaptureQueriesContext(connection) as bank_queries:
            analytics.item_statistics(question_ids=[q.pk for q in questions])
        return len(items_queries), len(quiz_queries), len(bank_queries)

    for picks in PATTERN[:2]:
        sit(UserFactory(), quiz, zip(questions, picks, strict=True))
    few = count_queries()
    for picks in PATTERN * 3:
        sit(UserFactory(), quiz, zip(questions, picks, strict=True))
    assert count_queries() == few == (2, 1, 2)


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
    for user, shown in (
        (admin_user, True),
        (staff("trainer", "change_quiz"), True),
        (staff("editor", "change_question"), False),
    ):
        request.user = user
        assert quiz_results_menu_item().is_shown(request) is shown
        assert question_analysis_menu_item().is_shown(request) is shown
