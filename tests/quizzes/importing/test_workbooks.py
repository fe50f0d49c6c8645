"""The question workbooks: the export round-trips through the import, and the template's
examples import."""

import io

import pytest
from openpyxl import load_workbook

from quizzes.importing import export_questions, template_workbook
from quizzes.models import Question
from quizzes.services.importing import import_questions
from tests.factories import make_category, make_question
from tests.quizzes.question_files import (
    bank_snapshot,
)


@pytest.mark.django_db
def test_export_then_import_round_trips():
    complaints = make_category("消保知识/投诉处理")
    suitability = make_category("消保知识/适当性")
    single = make_question(complaints, "single", explanation="解析一", difficulty=1)
    single.tags.add("投诉")
    single.save()
    multiple = make_question(suitability, "multiple", stem="=SUM(A1) 不是公式", difficulty=5)
    multiple.tags.add("理财", "双录")
    multiple.save()
    make_question(complaints, "truefalse", choices=[("对", False), ("错", True)])
    make_question(suitability, "essay", explanation="要点：受理、调查")
    before = bank_snapshot()
    assert before[multiple.pk]["tags"] == ["双录", "理财"]

    exported = export_questions(Question.objects.all())
    sheet = load_workbook(io.BytesIO(exported)).worksheets[0]
    rows = list(sheet.iter_rows())
    values = [[cell.value for cell in row] for row in rows]
    assert values[0] == [
        "题型", "分类", "题干", "选项A", "选项B", "选项C", "选项D", "选项E", "选项F",
        "答案", "解析", "难度", "标签", "分类编码",
    ]  # fmt: skip
    assert len(values) == 5
    by_type = {row[0]: row for row in values[1:]}
    assert by_type["单选"][3:10] == ["甲", "乙", "丙", None, None, None, "A"]
    assert by_type["多选"][9:] == ["AB", None, 5, "双录,理财", None]
    assert by_type["判断"][3:10] == [None] * 6 + ["错"]
    assert by_type["简答"][9:11] == [None, "要点：受理、调查"]
    formula_like = next(row for row in rows if row[0].value == "多选")[2]
    assert formula_like.value == "=SUM(A1) 不是公式" and formula_like.data_type == "s"

    report = import_questions(exported, "export.xlsx")
    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (0, 4, 4)
    assert bank_snapshot() == before


@pytest.mark.django_db
def test_template_is_a_valid_workbook_whose_examples_import():
    data = template_workbook()
    workbook = load_workbook(io.BytesIO(data))
    assert len(workbook.worksheets) == 2
    header = next(workbook.worksheets[0].iter_rows(values_only=True))
    assert header[:3] == ("题型", "分类", "题干") and header[-2:] == ("标签", "分类编码")
    assert workbook.worksheets[1].max_row > 5  # the instructions
    report = import_questions(data, "template.xlsx")
    assert report.errors == []
    assert report.created == 5
    assert set(Question.objects.values_list("type", flat=True)) == {
        "single",
        "multiple",
        "truefalse",
        "essay",
        "classify",
    }
    drill = Question.objects.get(type="classify")
    assert [code.code for code in drill.classify_key().values()] == ["A.1.3.3", "B.4.4", "C.7"]
