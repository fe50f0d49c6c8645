"""Broken files and characters a database cannot store: a clear import error (row-numbered where
there is a row), the same in the dry run and the real run, never a 500 and nothing written."""

import io
import re
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from quizzes.models import Question
from quizzes.services.importing import import_questions
from tests.quizzes.question_files import ROWS, csv_bytes, xlsx_bytes
from tests.quizzes.viewsets.test_importing import admin_user, upload


@pytest.fixture
def question_editor(db):
    return admin_user("editor", "add_question", "change_question")


def rewrite(data, name, change):
    """The workbook ``data`` with its part ``name`` passed through ``change``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == name:
                content = change(content)
            target.writestr(item, content)
    return buffer.getvalue()


def broken_sheet_xml():
    return rewrite(xlsx_bytes(ROWS), "xl/worksheets/sheet1.xml", lambda xml: xml[: len(xml) // 2])


def no_worksheets():
    return rewrite(
        xlsx_bytes(ROWS),
        "xl/workbook.xml",
        lambda xml: re.sub(rb"<sheets>.*</sheets>", b"<sheets/>", xml, flags=re.S),
    )


def nul_rows():
    rows = [list(row) for row in ROWS]
    rows[1][2] = "销售理财\x00要做到？"
    return rows


BROKEN = [
    pytest.param(broken_sheet_xml, "broken.xlsx", "无法读取", id="broken-sheet-xml"),
    pytest.param(no_worksheets, "empty.xlsx", "没有工作表", id="no-worksheets"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("make", "name", "expected"), BROKEN)
@pytest.mark.parametrize("dry_run", [True, False])
def test_a_broken_workbook_is_a_clear_error(make, name, expected, dry_run):
    report = import_questions(make(), name, dry_run=dry_run)
    assert not report.ok
    assert any(expected in message for _row, message in report.errors), report.errors
    assert not Question.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("make", "name", "expected"), BROKEN)
def test_the_admin_page_shows_a_broken_workbook_as_an_error(
    client, question_editor, make, name, expected
):
    client.force_login(question_editor)
    response = upload(client, make(), name)
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert not Question.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("make", "name", "expected"), BROKEN)
def test_the_command_reports_a_broken_workbook(tmp_path, make, name, expected):
    path = tmp_path / name
    path.write_bytes(make())
    err = io.StringIO()
    with translation.override("zh-hans"), pytest.raises(CommandError):
        call_command("lms_import_questions", str(path), stdout=io.StringIO(), stderr=err)
    assert expected in err.getvalue()
    assert not Question.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("dry_run", [True, False])
def test_a_nul_character_is_refused_with_its_row_in_dry_run_and_real_run(dry_run):
    report = import_questions(csv_bytes(nul_rows()), "题库.csv", dry_run=dry_run)
    assert not report.ok
    assert [row for row, _message in report.errors] == [3]
    assert "NUL" in report.errors[0][1]
    assert not Question.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_nul_character_never_reaches_postgresql(client, question_editor):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite stores NUL characters")
    client.force_login(question_editor)
    response = upload(client, csv_bytes(nul_rows()), "题库.csv")
    assert response.status_code == 200
    assert response.context["report"].errors[0][0] == 3
    assert not Question.objects.exists()
