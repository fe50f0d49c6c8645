"""The person transcript (个人培训档案): PDF with the Chinese name, XLSX with every assignment,
every record (superseded marked) and the hours per year, in constant queries."""

import datetime
import io
import os
import shutil
import subprocess

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from lms.services import supersede_record
from lms.services.records.transcripts import transcript
from tests.lms.report_world import FORMULA_NAME, assign, build_world, complete

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(catalog):
    return build_world(catalog)


def site_language(text, context=None):
    with translation.override(settings.LANGUAGE_CODE):
        return translation.pgettext(context, text) if context else translation.gettext(text)


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


def test_pdf_shows_the_chinese_name_and_items(client, world):
    client.force_login(world.users["teller"])
    response = client.get(reverse("lms:my_transcript_pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF") and b"STSong-Light" in pdf
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        if os.environ.get("CI"):
            pytest.fail("poppler-utils (pdftotext) is required in CI; .ci/run installs it")
        pytest.skip("pdftotext (poppler-utils) not installed")
    text = subprocess.run(  # noqa: S603
        [pdftotext, "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "王晓燕" in text and "城关营业部" in text
    assert "+消保基础" in text and "投诉处理" in text
    assert "2026-03-01 10:30:00" in text


def test_xlsx_has_assignments_records_superseded_marks_and_hours(client, world):
    officer = world.users["officer"]
    old = world.records["teller"]
    new = supersede_record(old, reason="学时登记错误", recorded_by=officer, credit_hours=2)
    teller = world.staff["teller"]
    extra = world.plan.items.create(
        title="元旦课程",
        open_date=world.items[0].open_date,
        due_date=world.items[0].due_date,
    )
    # At 01:00 on 1 January in Beijing (still 2025 in UTC): counts in 2026.
    january = complete(
        assign(teller, extra),
        score="88",
        hours="0.5",
        at=datetime.datetime(2025, 12, 31, 17, 0, tzinfo=datetime.UTC),  # 2026-01-01 01:00
    )
    client.force_login(world.users["manager"])
    book = workbook(client.get(reverse("lms_reports:transcript_xlsx", args=[teller.pk])))
    person, assignments, records, hours = (
        [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets
    )
    assert [row[1] for row in person[:4]] == ["王晓燕", "teller", "城关营业部 (LZ0101)", "柜员"]
    # In the plan's order (the new item has sort order 0).
    assert [row[1:4] for row in assignments[1:]] == [
        ["元旦课程", world.items[0].due_date.isoformat(), site_language("Completed")],
        ["'+消保基础", world.items[0].due_date.isoformat(), site_language("Completed")],
        ["投诉处理", world.items[1].due_date.isoformat(), site_language("Not started", "learning")],
    ]
    superseded = site_language("Superseded")
    assert [(row[8], row[7]) for row in records[1:]] == [
        (january.pk, None),
        (old.pk, superseded),
        (new.pk, None),
    ]
    assert records[2][3] == 95 and records[3][4] == 2
    # 2026: the correction (2.0) replaces the original (1.5), plus 0.5 on 1 January.
    assert hours[1:] == [[2026, 2.5]]


def test_xlsx_cells_are_neutralised(client, world):
    client.force_login(world.users["officer"])
    formula = world.staff["100101"]
    book = workbook(client.get(reverse("lms_reports:transcript_xlsx", args=[formula.pk])))
    name_cell = book.worksheets[0]["B1"]
    assert name_cell.value == "'" + FORMULA_NAME and name_cell.data_type == "s"
    assert book.worksheets[1]["B2"].value == "'+消保基础"


def test_transcript_reads_in_constant_queries(world, django_assert_num_queries):
    teller = world.staff["teller"]
    with django_assert_num_queries(2):
        small = transcript(teller)
    for index in range(10):
        item = world.plan.items.create(
            title=f"课程{index}",
            open_date=world.items[0].open_date,
            due_date=world.items[0].due_date,
        )
        complete(assign(teller, item))
    with django_assert_num_queries(2):
        large = transcript(teller)
    assert (len(small.records), len(large.records)) == (1, 11)
    assert len(large.assignments) == 12
