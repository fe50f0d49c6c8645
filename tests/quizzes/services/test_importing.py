"""Importing questions: every bad row reported by number and nothing written, duplicates, dry
runs, updates by (category, stem), and the management command."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from quizzes.models import Question, QuestionCategory
from quizzes.services.importing import import_questions
from tests.factories import make_category, make_question
from tests.quizzes.question_files import (
    ROWS,
    bank_snapshot,
    csv_bytes,
    snapshot,
    xlsx_bytes,
)


@pytest.mark.django_db
def test_every_bad_row_is_reported_by_number_and_nothing_is_written():
    make_category("已有分类")
    rows = [
        ["填空", "消保知识", "题1", "甲", "乙", "", "", "A", "", "", ""],  # row 2
        ["单选", "消保知识", "题2", "甲", "乙", "", "", "C", "", "", ""],  # row 3
        ["", "", "", "", "", "", "", "", "", "", ""],  # row 4: blank, skipped
        ["单选", "消保知识", "题3", "甲", "乙", "丙", "", "AB", "", "", ""],  # row 5
        ["多选", "消保知识", "", "甲", "乙", "", "", "A", "", "", ""],  # row 6
        ["单选", "消保知识", "题5", "甲", "乙", "", "", "A", "", "六", ""],  # row 7
        ["判断", "消保知识", "题6", "", "", "", "", "也许", "", "", ""],  # row 8
        ["简答", "消保知识", "题7", "甲", "", "", "", "A", "", "", ""],  # row 9
        ["单选", "消保知识/好的", "好题", "甲", "乙", "", "", "A", "", "", ""],  # row 10: valid
    ]
    with translation.override("en"):
        report = import_questions(xlsx_bytes(rows), "bad.xlsx")
    rows_with_errors = sorted({row for row, _message in report.errors})
    assert rows_with_errors == [2, 3, 5, 6, 7, 8, 9]
    messages = dict(report.errors)
    assert "填空" in messages[2]
    assert "C" in messages[3] and "empty" in messages[3]
    assert messages[5] == "A single-choice question has exactly one correct choice."
    assert "missing" in messages[6]
    assert "1 to 5" in messages[7]
    assert "对" in messages[8]
    essay_errors = [message for row, message in report.errors if row == 9]
    assert len(essay_errors) == 2  # options and an answer
    assert not report.ok and report.created == 0 and report.changes == []
    assert not Question.objects.exists()
    assert list(QuestionCategory.objects.values_list("full_name", flat=True)) == ["已有分类"]


@pytest.mark.django_db
def test_duplicate_rows_in_the_file_are_errors():
    rows = [ROWS[0], ROWS[1], ROWS[0]]
    report = import_questions(xlsx_bytes(rows), "dup.xlsx")
    assert [row for row, _message in report.errors] == [4]
    assert "2" in report.errors[0][1]
    assert not Question.objects.exists()


@pytest.mark.django_db
def test_dry_run_reports_and_writes_nothing():
    existing = make_question(make_category("消保知识/投诉处理"), "single", stem="投诉应先做什么？")
    before = bank_snapshot()
    report = import_questions(xlsx_bytes(ROWS), "题库.xlsx", dry_run=True)
    assert report.ok and report.dry_run and not report.written
    assert (report.created, report.updated, report.unchanged) == (3, 1, 0)
    assert report.new_categories == ["消保知识/适当性"]
    update = next(change for change in report.changes if change.question is not None)
    assert update.row == 2 and update.question.pk == existing.pk
    assert set(update.changes) == {"choices", "explanation", "difficulty", "tags"}
    assert [change.row for change in report.changes] == [2, 3, 4, 5]
    assert bank_snapshot() == before
    assert QuestionCategory.objects.count() == 2


@pytest.mark.django_db
def test_a_row_matching_category_and_stem_updates_that_question():
    category = make_category("消保知识/投诉处理")
    question = make_question(
        category, "single", stem="投诉应先做什么？", points=3, status=Question.DRAFT
    )
    other = make_question(make_category("别的分类"), "single", stem="投诉应先做什么？")
    first_choice_pk = question.choices.order_by("sort_order", "pk").first().pk
    rows = [["多选", "消保知识/投诉处理", "  投诉应先做什么？ ", "甲", "安抚", "报警", "", "AB",
             "新解析", "4", "新标签"]]  # fmt: skip
    report = import_questions(xlsx_bytes(rows), "update.xlsx")
    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    assert Question.objects.count() == 2
    data = snapshot(question)
    assert data["type"] == "multiple"
    assert data["choices"] == [("甲", True), ("安抚", True), ("报警", False)]
    assert (data["explanation"], data["difficulty"], data["tags"]) == ("新解析", 4, ["新标签"])
    # What the file does not describe is kept: points, status, and the unchanged choice's
    # feedback (the choice rows are reused in order).
    assert question.points == 3 and question.status == Question.DRAFT
    choices = list(question.choices.order_by("sort_order"))
    assert choices[0].pk == first_choice_pk and choices[0].feedback == "甲的反馈"
    assert choices[1].feedback == ""
    assert snapshot(other)["type"] == "single"  # same stem, other category: untouched


# --- Management command --------------------------------------------------------------------


@pytest.mark.django_db
def test_command_imports_and_dry_runs(tmp_path):
    path = tmp_path / "题库.csv"
    path.write_bytes(csv_bytes(ROWS, encoding="gb18030"))
    out = io.StringIO()
    call_command("lms_import_questions", str(path), "--dry-run", stdout=out)
    assert not Question.objects.exists()
    assert "4" in out.getvalue() and "投诉应先做什么" in out.getvalue()

    out = io.StringIO()
    call_command("lms_import_questions", str(path), stdout=out)
    assert Question.objects.count() == 4
    out = io.StringIO()
    call_command("lms_import_questions", str(path), stdout=out)
    assert Question.objects.count() == 4  # the second run updates


@pytest.mark.django_db
def test_command_fails_with_row_errors(tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(xlsx_bytes([ROWS[0], ["单选", "A", "", "甲", "乙", "", "", "A"]]))
    err = io.StringIO()
    with translation.override("en"), pytest.raises(CommandError, match="nothing was imported"):
        call_command("lms_import_questions", str(path), stderr=err)
    assert "Row 3:" in err.getvalue()
    assert not Question.objects.exists()
    with pytest.raises(CommandError):
        call_command("lms_import_questions", str(tmp_path / "missing.csv"))
