"""Item analysis and quiz statistics: exact numbers for known answer patterns, final attempts
only, constant queries."""

import math
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quizzes import services
from quizzes.models import Attempt
from quizzes.services import analytics
from tests.factories import UserFactory, make_category, make_question, make_quiz
from tests.quizzes.analytics_data import (
    OTHER,
    PATTERN,
    RIGHT,
    WRONG,
    five_questions,
    pattern_quiz,
    sit,
    sit_pattern,
)


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
