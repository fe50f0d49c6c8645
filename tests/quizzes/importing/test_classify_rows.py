"""Classification questions in the question file: type 投诉分类, no options, the answer the
three codes of the key; checked, imported, updated and exported."""

import io

import pytest
from openpyxl import load_workbook

from quizzes.importing.workbooks import export_questions
from quizzes.models import Question
from quizzes.services.importing import import_questions
from tests.quizzes.question_files import csv_bytes

CASE = "客户在手机银行转账时被多收手续费。"


def _row(answer="A.1.3.3 B.4.4 C.7", options=("", "", "", ""), kind="投诉分类"):
    return [kind, "投诉分类练习", CASE, *options, answer, "解析", "2", ""]


def _key(question):
    return [code.code if code else None for code in question.classify_key().values()]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "row",
    [
        _row(answer="A.1.3.3 B.4.4"),  # a dimension missing
        _row(answer="A.1.3.3 A.1.1 C.7"),  # two of one dimension
        _row(answer=""),
        _row(options=("甲", "", "", "")),
        _row(answer="A.1.3.3 B.4.4 C.99"),  # no such code
    ],
)
def test_a_bad_classification_row_is_refused(row):
    report = import_questions(csv_bytes([row]), "q.csv")
    assert [number for number, _message in report.errors] == [2]
    assert not Question.objects.exists()


@pytest.mark.django_db
def test_a_classification_row_is_imported_updated_and_exported():
    report = import_questions(csv_bytes([_row(kind="分类题")]), "q.csv")
    assert report.errors == [] and report.created == 1
    question = Question.objects.get()
    assert question.type == Question.CLASSIFY and _key(question) == ["A.1.3.3", "B.4.4", "C.7"]
    assert not question.choices.exists()
    again = import_questions(csv_bytes([_row(answer="a.1.3.3，b.4.4，c.10")]), "q.csv")
    assert again.updated == 1 and again.changes[0].changes == ["key"]
    question.refresh_from_db()
    assert _key(question) == ["A.1.3.3", "B.4.4", "C.10"]
    sheet = load_workbook(io.BytesIO(export_questions(Question.objects.all()))).worksheets[0]
    header, row = list(sheet.iter_rows(values_only=True))
    values = dict(zip(header, row, strict=True))
    assert values["题型"] == "投诉分类" and values["答案"] == "A.1.3.3 B.4.4 C.10"
    assert import_questions(export_questions(Question.objects.all()), "back.xlsx").unchanged == 1
