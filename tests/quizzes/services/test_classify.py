"""Classification questions (投诉分类): the key's validation, the snapshot (codes in tree order,
the key only as ``correct`` flags), saving picks (one per dimension), partial credit per
dimension, and the item analysis per dimension."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quizzes import services
from quizzes.exceptions import InvalidAnswer
from quizzes.models import Answer, ClassificationCode, Question
from quizzes.services.analytics import item_statistics
from quizzes.services.bank import validate_choices
from quizzes.services.classify import dimension_groups
from quizzes.services.papers import draw_paper
from tests.factories import (
    UserFactory,
    code_ids,
    make_category,
    make_classify_question,
    make_question,
    make_quiz,
)

KEY = ("A.1.1", "B.3.3", "C.10")


@pytest.fixture
def drill(db):
    category = make_category("投诉分类练习")
    return make_quiz(
        [make_classify_question(category, key=KEY)], title="投诉分类练习", review_policy="always"
    )


def _attempt(quiz, user=None):
    attempt, _created = services.start_attempt(user or UserFactory(), quiz)
    return attempt


@pytest.mark.django_db
def test_the_key_needs_one_code_of_each_dimension():
    category = make_category()
    codes = ClassificationCode.objects.in_bulk(["A.1.1", "B.3.3", "C.10"], field_name="code")
    question = Question(type=Question.CLASSIFY, category=category, stem="案例")
    with pytest.raises(ValidationError) as missing:
        question.full_clean()
    assert set(missing.value.message_dict) == {"key_channel", "key_business", "key_reason"}
    question.key_channel, question.key_business = codes["A.1.1"], codes["C.10"]  # wrong one
    question.key_reason = codes["C.10"]
    with pytest.raises(ValidationError) as wrong:
        question.full_clean()
    assert set(wrong.value.message_dict) == {"key_business"}
    question.key_business = codes["B.3.3"]
    question.full_clean()
    # Other types ignore the key fields; a classification question takes no choices.
    Question(type=Question.SINGLE, category=category, stem="单选").clean()
    assert validate_choices(Question.CLASSIFY, []) == []
    assert len(validate_choices(Question.CLASSIFY, [("甲", True), ("乙", False)])) == 1


@pytest.mark.django_db
def test_the_snapshot_offers_the_active_codes_in_tree_order_with_the_key(drill):
    ClassificationCode.objects.filter(code="C.12").update(is_active=False)
    ClassificationCode.objects.filter(code="C.10").update(is_active=False)  # the key's: kept
    entry = _attempt(drill).questions[0]
    codes = [c["code"] for c in entry["choices"]]
    assert "C.12" not in codes and "C.10" in codes
    assert codes.index("A.1.3") < codes.index("A.1.3.1") < codes.index("A.1.4") < codes.index("A.2")
    assert codes.index("B.9") < codes.index("B.10") < codes.index("B.14") < codes.index("C.1")
    assert [c["code"] for c in entry["choices"] if c["correct"]] == list(KEY)
    depth = {c["code"]: c["depth"] for c in entry["choices"]}
    assert (depth["A.1"], depth["A.1.3"], depth["A.1.3.3"], depth["B.1"]) == (0, 1, 2, 0)
    # While answering only ids, texts and the tree position leave: no key.
    public = services.public_questions(_attempt(drill))[0]["choices"]
    assert {key for choice in public for key in choice} == {
        "id",
        "text",
        "dimension",
        "code",
        "depth",
    }


@pytest.mark.django_db
def test_drawing_classification_questions_costs_one_query_for_the_codes():
    category = make_category("投诉分类练习")

    def queries(count):
        questions = [
            make_classify_question(category, stem=f"案例{n}-{count}") for n in range(count)
        ]
        quiz = make_quiz(questions, title=f"练习{count}")
        with CaptureQueriesContext(connection) as captured:
            paper = draw_paper(quiz)
        assert len(paper) == count
        return len(captured)

    assert queries(1) == queries(6)


@pytest.mark.django_db
def test_one_code_per_dimension_and_only_offered_codes(drill):
    attempt = _attempt(drill)
    question_id = attempt.questions[0]["id"]
    a1, a2, b = code_ids("A.1.1", "A.1.2", "B.3.3")
    with pytest.raises(InvalidAnswer):
        services.save_answer(attempt, question_id, choice_ids=[a1, a2])
    ClassificationCode.objects.filter(code="C.12").update(is_active=False)
    other = _attempt(drill)  # a paper drawn without C.12
    (c12,) = code_ids("C.12")
    with pytest.raises(InvalidAnswer):
        services.save_answer(other, question_id, choice_ids=[c12])
    answer = services.save_answer(attempt, question_id, choice_ids=[b, a1])
    assert answer.choice_ids == sorted([a1, b])  # a dimension may be left empty


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("picked", "earned"),
    [
        ((), "0.00"),
        (("A.1.2", "B.3.1", "C.11"), "0.00"),
        (("A.1.1", "B.3", "C.11"), "1.00"),  # the parent of the key's B.3.3 does not score
        (("A.1.1", "B.3.3"), "2.00"),
        (("A.1.1", "B.3.3", "C.10"), "3.00"),
    ],
)
def test_a_third_of_the_points_per_dimension(drill, picked, earned):
    attempt = _attempt(drill)
    question_id = attempt.questions[0]["id"]
    if picked:
        services.save_answer(attempt, question_id, choice_ids=code_ids(*picked))
    attempt = services.submit_attempt(attempt)
    assert attempt.points == Decimal(earned) and attempt.max_points == Decimal(3)
    if picked:
        answer = Answer.objects.get(attempt=attempt)
        assert answer.points == Decimal(earned) and answer.is_correct == (earned == "3.00")


@pytest.mark.django_db
def test_thirds_of_one_point_round_to_the_cent():
    category = make_category("投诉分类练习")
    quiz = make_quiz([make_classify_question(category, points=1)], title="一分")
    results = []
    for picked in ((), ("A.1.1",), ("A.1.1", "B.3.3"), KEY):
        attempt = _attempt(quiz)
        if picked:
            services.save_answer(attempt, attempt.questions[0]["id"], choice_ids=code_ids(*picked))
        results.append(services.submit_attempt(attempt).points)
    assert results == [Decimal("0"), Decimal("0.33"), Decimal("0.67"), Decimal("1.00")]


@pytest.mark.django_db
def test_review_per_dimension_only_once_final(drill):
    attempt = _attempt(drill)
    question_id = attempt.questions[0]["id"]
    services.save_answer(attempt, question_id, choice_ids=code_ids("A.1.1", "B.3.1"))
    assert services.review_for(attempt) is None
    attempt = services.submit_attempt(attempt)
    (item,) = services.review_for(attempt)
    groups = dimension_groups(item["choices"], item["chosen"], reveal=True)
    assert [(g["dimension"], g["right"]) for g in groups] == [
        ("A", True),
        ("B", False),
        ("C", False),
    ]
    assert [g["key"]["code"] for g in groups] == list(KEY)
    assert [g["picked"] and g["picked"]["code"] for g in groups] == ["A.1.1", "B.3.1", None]
    # Not revealed: no key, nothing right.
    hidden = dimension_groups(item["choices"], item["chosen"])
    assert [g["key"] for g in hidden] == [None] * 3 and not any(g["right"] for g in hidden)


@pytest.mark.django_db
def test_item_analysis_per_dimension(drill):
    picks = [
        KEY,  # all right
        ("A.1.1", "B.3.3", "C.11"),
        ("A.1.1", "B.3.1", "C.11"),
        ("A.1.2", "B.3.1", "C.1"),
        ("A.1.2", "B.3.3", "C.11"),
        (),  # presented, unanswered
    ]
    for picked in picks:
        attempt = _attempt(drill)
        if picked:
            services.save_answer(attempt, attempt.questions[0]["id"], choice_ids=code_ids(*picked))
        services.submit_attempt(attempt)
    (item,) = item_statistics(quiz=drill)
    assert (item.type, item.presented, item.answered) == ("classify", 6, 5)
    # x is the share of the points: (3 + 2 + 1 + 0 + 1 + 0) / 3 / 6
    assert item.p == pytest.approx(7 / 18)
    assert item.choices == []  # the code lists are summarised per dimension instead
    summary = [
        (d.dimension, d.code, d.right, round(d.share, 4), d.wrong_code, d.wrong_picks)
        for d in item.dimensions
    ]
    assert summary == [
        ("A", "A.1.1", 3, 0.5, "A.1.2", 2),
        ("B", "B.3.3", 3, 0.5, "B.3.1", 2),
        ("C", "C.10", 1, round(1 / 6, 4), "C.11", 3),
    ]


@pytest.mark.django_db
def test_item_analysis_reads_constant_queries(drill):
    for _n in range(2):
        services.submit_attempt(_attempt(drill))
    with CaptureQueriesContext(connection) as few:
        item_statistics(quiz=drill)
    for _n in range(6):
        attempt = _attempt(drill)
        services.save_answer(attempt, attempt.questions[0]["id"], choice_ids=code_ids(*KEY))
        services.submit_attempt(attempt)
    with CaptureQueriesContext(connection) as many:
        item_statistics(quiz=drill)
    assert len(few) == len(many)


@pytest.mark.django_db
def test_the_mistake_book_skips_classification_questions():
    category = make_category("投诉分类练习")
    quiz = make_quiz(
        [make_classify_question(category), make_question(category, "single")],
        title="混合",
        review_policy="always",
    )
    user = UserFactory()
    services.submit_attempt(_attempt(quiz, user))  # both wrong (unanswered)
    book = services.mistake_book(user)
    assert [item.entry["type"] for item in book.items] == ["single"]
