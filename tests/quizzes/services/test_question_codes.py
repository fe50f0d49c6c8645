"""A question's classification codes are part of its revisions: a trainer's draft keeps the
live question's codes until the officer publishes; the import's 分类编码 column sets them."""

import pytest
from django.utils import translation

from quizzes.models import ClassificationCode, Question
from quizzes.services.classification import content_for
from quizzes.services.importing import import_questions
from tests.factories import make_category, make_question

pytestmark = pytest.mark.django_db


def code(key):
    return ClassificationCode.objects.get(code=key)


def test_codes_wait_in_the_draft_revision_until_published():
    question = make_question(make_category())
    question.classification_codes = [code("C.4")]
    question.save()
    question.save_revision().publish()
    draft = Question.objects.get(pk=question.pk)
    draft.classification_codes = [code("C.5"), code("C.6")]
    revision = draft.save_revision()
    live = Question.objects.get(pk=question.pk)
    assert [c.code for c in live.classification_codes.all()] == ["C.4"]
    assert sorted(c.code for c in revision.as_object().classification_codes.all()) == [
        "C.5",
        "C.6",
    ]
    assert list(content_for(["C.5"])) == []
    revision.publish()
    live = Question.objects.get(pk=question.pk)
    assert sorted(c.code for c in live.classification_codes.all()) == ["C.5", "C.6"]
    assert list(content_for(["C.5"])) == [live]


HEADER = "题型,分类,题干,选项A,选项B,答案,分类编码\n"


def csv(*lines):
    return (HEADER + "".join(line + "\n" for line in lines)).encode()


def test_the_import_sets_codes_by_key_or_name_and_updates_them():
    data = csv(
        '单选,投诉处理,题一,甲,乙,A,"C.5,借记卡盗刷"',
        "单选,投诉处理,题二,甲,乙,A,",
        "单选,投诉处理,题三,甲,乙,A,c.10；A.1.3.3",
    )
    report = import_questions(data, "q.csv")
    assert report.errors == [] and report.created == 3
    codes = {
        q.stem: sorted(c.code for c in q.classification_codes.all())
        for q in Question.objects.prefetch_related("classification_codes")
    }
    assert codes == {"题一": ["B.3.3", "C.5"], "题二": [], "题三": ["A.1.3.3", "C.10"]}
    assert sorted(q.stem for q in content_for(["B.3"])) == ["题一"]
    # Re-importing with other codes updates them (and only them); the same file is unchanged.
    report = import_questions(csv("单选,投诉处理,题二,甲,乙,A,C.1"), "q.csv")
    assert (report.updated, report.unchanged) == (1, 0)
    assert report.changes[0].changes == ["classification_codes"]
    assert [c.code for c in Question.objects.get(stem="题二").classification_codes.all()] == ["C.1"]
    assert import_questions(csv("单选,投诉处理,题二,甲,乙,A,C.1"), "q.csv").unchanged == 1


def test_unknown_or_ambiguous_codes_are_row_errors_and_nothing_is_imported():
    data = csv(
        "单选,投诉处理,题一,甲,乙,A,C.5",
        "单选,投诉处理,题二,甲,乙,A,C.99",
        "单选,投诉处理,题三,甲,乙,A,其他",
    )
    with translation.override("en"):
        report = import_questions(data, "q.csv")
    rows = {row: message for row, message in report.errors}
    assert set(rows) == {3, 4}
    assert rows[3] == "Unknown classification code “C.99”."
    assert "Several classification codes are named “其他”" in rows[4]
    assert not Question.objects.exists()


def test_the_column_is_optional():
    report = import_questions(
        "题型,分类,题干,选项A,选项B,答案\n单选,投诉处理,题一,甲,乙,A\n".encode(), "q.csv"
    )
    assert report.errors == [] and report.created == 1
    assert not Question.objects.get().classification_codes.exists()
