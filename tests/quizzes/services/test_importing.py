"""Question import/export: formats, encodings, row-numbered errors, all-or-nothing, dry runs,
updates by (category, stem), round-trips, the management command and the admin page."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from quizzes.importing import export_questions, template_workbook
from quizzes.models import Question, QuestionCategory
from quizzes.services.importing import import_questions
from quizzes.viewsets.importing import QuestionImportViewSet
from tests.factories import UserFactory, make_category, make_question

ZH = ["题型", "分类", "题干", "选项A", "选项B", "选项C", "选项D", "答案", "解析", "难度", "标签"]
EN = ["type", "category", "stem", "option_a", "option_b", "option_c", "option_d", "answer",
      "explanation", "difficulty", "tags"]  # fmt: skip
ROWS = [
    ["单选", "消保知识/投诉处理", "投诉应先做什么？", "推诿", "安抚", "挂断", "", "B", "先安抚",
     "3", "投诉，基础"],
    ["多选", "消保知识/适当性", "销售理财要做到？", "风险测评", "双录", "承诺保本", "", "ab", "",
     "", "理财;双录 销售"],
    ["判断", "消保知识/投诉处理", "可以泄露客户信息。", "", "", "", "", "错", "不可以", "1", ""],
    ["简答", "消保知识", "简述投诉流程。", "", "", "", "", "", "受理、调查、回复", "5", "流程"],
]  # fmt: skip
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_bytes(rows, header=ZH):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, header=ZH, encoding="utf-8"):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def snapshot(question):
    question.refresh_from_db()
    return {
        "type": question.type,
        "category": question.category.full_name,
        "stem": question.stem,
        "choices": [(c.text, c.is_correct) for c in question.choices.order_by("sort_order", "pk")],
        "explanation": question.explanation,
        "difficulty": question.difficulty,
        "tags": sorted(t.name for t in question.tags.all()),
    }


def bank_snapshot():
    return {q.pk: snapshot(q) for q in Question.objects.all()}


def assert_sample_imported():
    single = Question.objects.get(stem="投诉应先做什么？")
    assert snapshot(single) == {
        "type": "single",
        "category": "消保知识/投诉处理",
        "stem": "投诉应先做什么？",
        "choices": [("推诿", False), ("安抚", True), ("挂断", False)],
        "explanation": "先安抚",
        "difficulty": 3,
        "tags": ["基础", "投诉"],
    }
    multiple = snapshot(Question.objects.get(stem="销售理财要做到？"))
    assert multiple["choices"] == [("风险测评", True), ("双录", True), ("承诺保本", False)]
    assert multiple["difficulty"] == 2  # blank → default
    assert multiple["tags"] == sorted(["理财", "双录", "销售"])
    truefalse = snapshot(Question.objects.get(stem="可以泄露客户信息。"))
    assert truefalse["choices"] == [("对", False), ("错", True)]
    essay = snapshot(Question.objects.get(stem="简述投诉流程。"))
    assert essay["type"] == "essay" and essay["choices"] == []
    assert set(QuestionCategory.objects.values_list("full_name", flat=True)) == {
        "消保知识",
        "消保知识/投诉处理",
        "消保知识/适当性",
    }


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
        "答案", "解析", "难度", "标签",
    ]  # fmt: skip
    assert len(values) == 5
    by_type = {row[0]: row for row in values[1:]}
    assert by_type["单选"][3:10] == ["甲", "乙", "丙", None, None, None, "A"]
    assert by_type["多选"][9:] == ["AB", None, 5, "双录,理财"]
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
    assert header[:3] == ("题型", "分类", "题干") and header[-1] == "标签"
    assert workbook.worksheets[1].max_row > 5  # the instructions
    report = import_questions(data, "template.xlsx")
    assert report.errors == []
    assert report.created == 4
    assert set(Question.objects.values_list("type", flat=True)) == {
        "single",
        "multiple",
        "truefalse",
        "essay",
    }


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


# --- Admin page ----------------------------------------------------------------------------


def admin_user(username, *codenames):
    user = UserFactory(username=username)
    permissions = [
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    ]
    permissions += [
        Permission.objects.get(content_type__app_label="lms_quizzes", codename=codename)
        for codename in codenames
    ]
    user.user_permissions.add(*permissions)
    return user


@pytest.fixture
def question_editor(db):
    return admin_user("editor", "add_question", "change_question")


def upload(client, data, name, dry_run=False):
    file = io.BytesIO(data)
    file.name = name
    payload = {"file": file}
    if dry_run:
        payload["dry_run"] = "on"
    return client.post(reverse("lms_quizzes_import:import"), payload)


@pytest.mark.django_db
def test_admin_page_uploads_with_dry_run_then_imports(client, question_editor):
    client.force_login(question_editor)
    response = client.get(reverse("lms_quizzes_import:import"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'type="file"' in html
    assert reverse("lms_quizzes_import:template") in html
    assert reverse("lms_quizzes_import:export") in html

    response = upload(client, xlsx_bytes(ROWS), "题库.xlsx", dry_run=True)
    assert response.status_code == 200
    assert response.context["report"].created == 4
    assert "data-import-counts" in response.content.decode()
    assert not Question.objects.exists()

    response = upload(client, xlsx_bytes(ROWS), "题库.xlsx")
    assert response.status_code == 200
    assert response.context["report"].written
    assert Question.objects.count() == 4


@pytest.mark.django_db
def test_admin_page_shows_row_errors(client, question_editor):
    client.force_login(question_editor)
    rows = [ROWS[0], ["填空", "A", "题", "", "", "", "", "", "", "", ""]]
    response = upload(client, csv_bytes(rows, encoding="gb18030"), "bad.csv")
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-import-errors" in html and "填空" in html
    assert response.context["report"].errors[0][0] == 3
    assert not Question.objects.exists()
    response = upload(client, b"whatever", "notes.txt")
    assert "notes.txt" in response.content.decode()


@pytest.mark.django_db
def test_admin_downloads_template_and_export(client, question_editor):
    make_question(make_category(), "single", stem="导出题")
    client.force_login(question_editor)
    response = client.get(reverse("lms_quizzes_import:template"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    header = next(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows())
    assert [cell.value for cell in header][:3] == ["题型", "分类", "题干"]

    response = client.get(reverse("lms_quizzes_import:export"))
    assert response.status_code == 200
    rows = list(
        load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True)
    )
    assert rows[1][2] == "导出题"


@pytest.mark.django_db
def test_users_without_the_permission_are_turned_away(client):
    client.force_login(admin_user("viewer", "change_question"))
    for name in ("import", "template", "export"):
        response = client.get(reverse(f"lms_quizzes_import:{name}"))
        assert response.status_code in (302, 403), name
    response = upload(client, xlsx_bytes(ROWS), "题库.xlsx")
    assert response.status_code in (302, 403)
    assert not Question.objects.exists()

    client.logout()
    response = client.get(reverse("lms_quizzes_import:import"))
    assert response.status_code == 302


@pytest.mark.django_db
def test_menu_item_follows_the_permission(question_editor):
    request = RequestFactory().get("/admin/")
    item = QuestionImportViewSet().get_menu_item()
    request.user = question_editor
    assert item.is_shown(request)
    request.user = admin_user("viewer", "change_question")
    assert not item.is_shown(request)
