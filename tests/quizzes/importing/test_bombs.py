"""Files small on disk but huge inside (many blank rows or cells, a part that unpacks to a lot, an
absurd compression ratio, too many parts): a clear import error before or while reading, for
every import (questions and the roster here), through the service, the admin page and the
command; never a 500, nothing written. The files are built here, a few KB each; the limits are
lowered where that keeps the tests fast. Timing is measured in ``bench/import_bombs.py``."""

import io
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import translation

from lms.models import StaffProfile
from lms.services.roster import import_roster
from quizzes.models import Question
from quizzes.services.importing import import_questions
from tests.factories import make_org, make_position
from tests.lms import roster_support
from tests.lms.viewsets.test_roster import admin_user as roster_admin_user
from tests.lms.viewsets.test_roster import upload as roster_upload
from tests.quizzes import question_files
from tests.quizzes.viewsets.test_importing import admin_user, upload

SHEET = "xl/worksheets/sheet1.xml"
HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
TAIL = "</sheetData></worksheet>"

ROWS_MESSAGE = "空行也计算在内"
CELLS_MESSAGE = "空单元格也计算在内"


def _row(number, values):
    cells = "".join(
        f'<c r="{chr(65 + index)}{number}" t="inlineStr"><is><t>{value}</t></is></c>'
        for index, value in enumerate(values)
        if value != ""
    )
    return f'<row r="{number}">{cells}</row>'


def data_rows(kind):
    """The header and valid rows of the import ``kind`` as sheet XML."""
    support = question_files if kind == "questions" else roster_support
    rows = [support.ZH, *support.ROWS]
    return "".join(_row(number, values) for number, values in enumerate(rows, start=1))


def bomb(kind, middle, extra=()):
    """A workbook of the import ``kind``: its header and valid rows, then ``middle`` (sheet XML),
    deflated; ``extra`` adds parts ``(name, bytes)``."""
    buffer = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(question_files.xlsx_bytes([])))
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == SHEET:
                content = (HEAD + data_rows(kind) + middle + TAIL).encode()
            target.writestr(item.filename, content)
        for name, content in extra:
            target.writestr(name, content)
    return buffer.getvalue()


def blank_rows(kind):
    """200,000 blank rows below the data, each written out."""
    return bomb(kind, "".join(f'<row r="{n}"/>' for n in range(10, 200_010)))


def far_row(kind):
    """One cell on row 10,000,000: openpyxl yields the rows in between as blank rows."""
    return bomb(kind, _row(10_000_000, ["x"]))


def wide_rows(kind):
    """Rows of one empty cell in column XFD: 16,384 cells a row as openpyxl reads them."""
    return bomb(kind, "".join(f'<row r="{n}"><c r="XFD{n}"/></row>' for n in range(10, 200)))


def many_cells(kind):
    """One row of 150,000 empty cells written out."""
    return bomb(kind, '<row r="10">' + "<c/>" * 150_000 + "</row>")


def big_part(kind):
    """A part unpacking to 60 MB of zeros (60 KB on disk)."""
    return bomb(kind, "", [("xl/media/image1.bin", bytes(60 * 2**20))])


def compressed_part(kind):
    """A part of 2 MB of zeros, compressed about 1,000 to 1."""
    return bomb(kind, "", [("xl/media/image1.bin", bytes(2 * 2**20))])


def many_parts(kind):
    return bomb(kind, "", [(f"xl/media/image{n}.png", b"x") for n in range(600)])


def blank_csv(kind):
    support = question_files if kind == "questions" else roster_support
    return support.csv_bytes(support.ROWS) + b"\r\n" * 200_000


def comma_csv(kind):
    support = question_files if kind == "questions" else roster_support
    return support.csv_bytes(support.ROWS) + b"," * 150_000 + b"\r\n"


# The roster allows 50,000 people and questions 5,000: lowered to 100 (rows past 1,101 are over,
# the margin for blank rows being 1,000), and the cells to 100,000.
LIMITS = {
    "LMS_QUESTION_IMPORT_MAX_ROWS": 100,
    "LMS_ROSTER_IMPORT_MAX_ROWS": 100,
    "LMS_IMPORT_MAX_CELLS": 100_000,
}
BOMBS = [
    pytest.param(blank_rows, "bomb.xlsx", ["第 1,102 行", "上限 1,101 行", ROWS_MESSAGE],
                 id="blank-rows"),
    pytest.param(far_row, "bomb.xlsx", ["第 1,102 行", ROWS_MESSAGE], id="far-row"),
    pytest.param(wide_rows, "bomb.xlsx", ["100,000", CELLS_MESSAGE], id="wide-rows"),
    pytest.param(many_cells, "bomb.xlsx", ["100,000", CELLS_MESSAGE], id="many-cells"),
    pytest.param(big_part, "bomb.xlsx", ["解压后超过 50 MB"], id="unpacks-big"),
    pytest.param(compressed_part, "bomb.xlsx", ["image1.bin", "压缩比超过 100"], id="ratio"),
    pytest.param(many_parts, "bomb.xlsx", ["组成部分超过 500 个"], id="many-parts"),
    pytest.param(blank_csv, "bomb.csv", ["第 1,102 行", ROWS_MESSAGE], id="csv-blank-rows"),
    pytest.param(comma_csv, "bomb.csv", ["100,000", CELLS_MESSAGE], id="csv-many-cells"),
]  # fmt: skip


def assert_refused(errors, expected):
    assert len(errors) == 1, errors
    row, message = errors[0]
    assert row is None
    for text in expected:
        assert text in message, message


@pytest.fixture
def org(db):
    return make_org()


@pytest.fixture
def positions(db):
    return {"柜员": make_position("柜员"), "网点负责人": make_position("网点负责人")}


@pytest.fixture
def question_editor(db):
    return admin_user("editor", "add_question", "change_question")


@pytest.fixture
def roster_admin(db):
    return roster_admin_user("hr", ("lms_core", "add_staffprofile"))


@pytest.mark.django_db
@override_settings(**LIMITS)
@pytest.mark.parametrize(("make", "name", "expected"), BOMBS)
@pytest.mark.parametrize("dry_run", [True, False])
def test_a_question_bomb_is_refused(make, name, expected, dry_run):
    report = import_questions(make("questions"), name, dry_run=dry_run)
    assert_refused(report.errors, expected)
    assert not Question.objects.exists()


@pytest.mark.django_db
@override_settings(**LIMITS)
@pytest.mark.parametrize(("make", "name", "expected"), BOMBS)
@pytest.mark.parametrize("dry_run", [True, False])
def test_a_roster_bomb_is_refused(org, positions, make, name, expected, dry_run):
    report = import_roster(make("roster"), name, dry_run=dry_run)
    assert_refused(report.errors, expected)
    assert not StaffProfile.objects.exists()


@pytest.mark.django_db
@override_settings(LMS_IMPORT_MAX_SECONDS=0)
def test_reading_stops_at_the_time_limit():
    report = import_questions(question_files.xlsx_bytes(question_files.ROWS), "题库.xlsx")
    assert_refused(report.errors, ["读取文件超过 0 秒", "第 1 行"])
    assert not Question.objects.exists()


@pytest.mark.django_db
@override_settings(**LIMITS)
def test_the_rows_of_the_limit_and_the_margin_are_read():
    """100 questions, and a file whose last row is row 1,101 (the header, the margin of 1,000
    blank rows and 100 rows): within the limits."""
    rows = [[*row[:2], f"{row[2]}{n}", *row[3:]] for n in range(25) for row in question_files.ROWS]
    report = import_questions(question_files.xlsx_bytes(rows), "题库.xlsx", dry_run=True)
    assert report.ok, report.errors
    data = bomb("questions", "".join(f'<row r="{n}"/>' for n in range(6, 1102)))
    report = import_questions(data, "题库.xlsx", dry_run=True)
    assert report.ok, report.errors


@pytest.mark.django_db
@override_settings(**LIMITS)
@pytest.mark.parametrize(("make", "name", "expected"), BOMBS)
def test_the_admin_question_import_shows_the_error(client, question_editor, make, name, expected):
    client.force_login(question_editor)
    response = upload(client, make("questions"), name, dry_run=True)
    assert response.status_code == 200
    assert_refused(response.context["report"].errors, expected)
    html = response.content.decode()
    assert all(text in html for text in expected)
    assert not Question.objects.exists()


@pytest.mark.django_db
@override_settings(**LIMITS)
@pytest.mark.parametrize(("make", "name", "expected"), BOMBS)
def test_the_admin_roster_import_shows_the_error(
    client, roster_admin, org, positions, make, name, expected
):
    client.force_login(roster_admin)
    response = roster_upload(client, make("roster"), name, dry_run=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert all(text in html for text in expected), html
    assert not StaffProfile.objects.exists()


@pytest.mark.django_db
@override_settings(**LIMITS)
@pytest.mark.parametrize(("make", "name", "expected"), BOMBS)
@pytest.mark.parametrize(
    ("command", "kind", "model"),
    [
        ("lms_import_questions", "questions", Question),
        ("lms_import_roster", "roster", StaffProfile),
    ],
)
def test_the_commands_report_the_error(tmp_path, org, command, kind, model, make, name, expected):
    path = tmp_path / name
    path.write_bytes(make(kind))
    err = io.StringIO()
    with translation.override("zh-hans"), pytest.raises(CommandError, match=" 1 个问题"):
        call_command(command, str(path), stdout=io.StringIO(), stderr=err)
    assert all(text in err.getvalue() for text in expected), err.getvalue()
    assert not model.objects.exists()
