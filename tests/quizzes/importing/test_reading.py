"""Reading question files: .xlsx and .csv in each encoding, Chinese or English headers and type
names, the answer rules, and clear messages for files that cannot be read."""

import pytest
from django.test import override_settings
from django.utils import translation

from quizzes.models import Question
from quizzes.services.importing import import_questions
from tests.quizzes.question_files import (
    EN,
    ROWS,
    assert_sample_imported,
    csv_bytes,
    snapshot,
    xlsx_bytes,
)


@pytest.mark.django_db
def test_xlsx_import_creates_questions_and_categories():
    report = import_questions(xlsx_bytes(ROWS), "题库.xlsx")
    assert report.errors == []
    assert (report.created, report.updated, report.rows) == (4, 0, 4)
    assert report.new_categories == ["消保知识", "消保知识/投诉处理", "消保知识/适当性"]
    assert_sample_imported()


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_import_in_each_encoding_with_chinese_headers(encoding):
    data = csv_bytes(ROWS, encoding=encoding)
    if encoding == "gb18030":
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")  # really not UTF-8
    report = import_questions(data, "questions.CSV")
    assert report.errors == []
    assert report.created == 4
    assert_sample_imported()


@pytest.mark.django_db
def test_english_headers_ignore_case_and_spaces_and_extra_columns_warn():
    header = ["Type", "CATEGORY", " Stem ", "Option A", "option_b", "OPTION_C", "Option-D",
              "Answer", "explanation", "Difficulty", "Tags", "备注"]  # fmt: skip
    rows = [[*row, "随便写"] for row in ROWS]
    report = import_questions(csv_bytes(rows, header=header), "q.csv")
    assert report.errors == []
    assert report.created == 4
    assert len(report.warnings) == 1 and "备注" in report.warnings[0]
    assert_sample_imported()


@pytest.mark.django_db
def test_english_type_names_and_true_false_spellings():
    rows = [
        ["single", "A", "s", "x", "y", "", "", "a", "", "", ""],
        ["truefalse", "A", "t1", "", "", "", "", "T", "", "", ""],
        ["TrueFalse", "A", "t2", "", "", "", "", "false", "", "", ""],
        ["判断题", "A", "t3", "", "", "", "", "正确", "", "", ""],
        ["essay", "A", "e", "", "", "", "", "", "", "", ""],
    ]
    report = import_questions(csv_bytes(rows, header=EN), "q.csv")
    assert report.errors == []
    truths = {
        stem: snapshot(Question.objects.get(stem=stem))["choices"][0][1]
        for stem in ("t1", "t2", "t3")
    }
    assert truths == {"t1": True, "t2": False, "t3": True}


@pytest.mark.django_db
def test_answer_rules_for_lettered_options():
    with translation.override("en"):
        cases = {
            "gap": ["单选", "A", "q", "甲", "", "丙", "", "A", "", "", ""],
            "one option": ["单选", "A", "q", "甲", "", "", "", "A", "", "", ""],
            "no answer": ["多选", "A", "q", "甲", "乙", "", "", "", "", "", ""],
            "not letters": ["多选", "A", "q", "甲", "乙", "", "", "A1", "", "", ""],
            "no category": ["单选", "", "q", "甲", "乙", "", "", "A", "", "", ""],
            "too hard": ["单选", "A", "q", "甲", "乙", "", "", "A", "", "7", ""],
            "half": ["单选", "A", "q", "甲", "乙", "", "", "A", "", "2.5", ""],
        }
        for name, row in cases.items():
            report = import_questions(csv_bytes([row]), "q.csv")
            assert [number for number, _message in report.errors] == [2], name
        fine = ["多选", "A", "q", "甲", "乙", "丙", "", "Ａ、c", "", "4.0", ""]
        report = import_questions(csv_bytes([fine]), "q.csv")
    assert report.errors == []
    assert snapshot(Question.objects.get())["choices"] == [
        ("甲", True),
        ("乙", False),
        ("丙", True),
    ]
    assert Question.objects.get().difficulty == 4


@pytest.mark.django_db
def test_file_level_problems_are_clear(monkeypatch):
    with translation.override("en"):
        report = import_questions(b"x" * (5 * 1024 * 1024 + 1), "big.csv")
        assert report.errors == [(None, "The file is larger than 5 MB.")]
        report = import_questions(xlsx_bytes(ROWS), "questions.xls")
        assert report.errors == [(None, "“questions.xls” is not an .xlsx or .csv file.")]
        report = import_questions(b"not a zip", "broken.xlsx")
        assert report.errors == [(None, "This is not a readable .xlsx workbook.")]
        report = import_questions(b"", "empty.csv")
        assert report.errors == [(None, "The file is empty.")]
        report = import_questions(csv_bytes([], header=["题干", "答案"]), "q.csv")
        assert [row for row, _message in report.errors] == [1]
        assert "题型/type" in report.errors[0][1]
        with override_settings(LMS_QUESTION_IMPORT_MAX_ROWS=3):
            report = import_questions(xlsx_bytes(ROWS), "long.xlsx")
        assert report.errors == [
            (None, "The file has more than 3 questions: split it into smaller files.")
        ]
        report = import_questions(xlsx_bytes(ROWS[:3]), "ok.xlsx")
    assert report.errors == []
    assert Question.objects.count() == 3
