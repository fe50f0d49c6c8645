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
from lms.services.reports import status_text
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


def pdf_text(pdf):
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        if os.environ.get("CI"):
            pytest.fail("poppler-utils (pdftotext) is required in CI; .ci/run installs it")
        pytest.skip("pdftotext (poppler-utils) not installed")
    return subprocess.run(  # noqa: S603
        [pdftotext, "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def test_my_learning_links_to_my_transcript_in_both_formats(client, world):
    client.force_login(world.users["teller"])
    with translation.override("zh-hans"):
        html = client.get(reverse("lms:learn"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    pdf_url, xlsx_url = reverse("lms:my_transcript_pdf"), reverse("lms:my_transcript_xlsx")
    assert f'href="{pdf_url}"' in html and f'href="{xlsx_url}"' in html
    assert "我的培训档案" in html and "培训档案（PDF）" in html and "培训档案（Excel）" in html
    # The links work for the learner.
    assert client.get(pdf_url).status_code == 200
    assert client.get(xlsx_url).status_code == 200


def late_world(world):
    """teller completes the second item three days after its due date (00:30 in Beijing on
    the third day after: still the second day in UTC)."""
    item = world.items[1]
    at = datetime.datetime.combine(
        item.due_date + datetime.timedelta(days=2), datetime.time(16, 30), tzinfo=datetime.UTC
    )
    complete(world.assignments["teller", 1], at=at)
    return world


def test_the_plan_column_names_the_year_once(client, world):
    teller = world.staff["teller"]
    untitled_year = world.plan.__class__.objects.create(year=2025, title="消保与服务培训计划")
    old_item = untitled_year.items.create(
        title="旧课程", open_date=world.items[0].open_date, due_date=world.today
    )
    complete(assign(teller, old_item))
    client.force_login(world.users["manager"])
    book = workbook(client.get(reverse("lms_reports:transcript_xlsx", args=[teller.pk])))
    plans = [row[0] for row in book.worksheets[1].iter_rows(min_row=2, values_only=True)]
    title = world.plan.title
    assert title.startswith(str(world.plan.year)) and title.count(str(world.plan.year)) == 1
    assert plans == [title, title, "2025 消保与服务培训计划"]
    text = pdf_text(client.get(reverse("lms_reports:transcript_pdf", args=[teller.pk])).content)
    assert f"{world.plan.year} {world.plan.year}" not in text
    assert str(world.plan.year) in text


def test_a_late_completion_is_marked_late_in_the_transcript(client, world):
    late_world(world)
    client.force_login(world.users["teller"])
    book = workbook(client.get(reverse("lms:my_transcript_xlsx")))
    statuses = {row[1]: row[3] for row in book.worksheets[1].iter_rows(min_row=2, values_only=True)}
    # Transcripts are in the site's language (zh-hans).
    assert statuses == {"'+消保基础": "已完成", "投诉处理": "已完成（逾期3天）"}
    text = pdf_text(client.get(reverse("lms:my_transcript_pdf")).content)
    assert "已完成（逾期3天）" in "".join(text.split())


def test_late_label_in_english():
    due = datetime.date(2026, 6, 30)
    done = datetime.datetime(2026, 7, 2, 16, 30, tzinfo=datetime.UTC)  # 3 July 00:30 Beijing
    with translation.override("en"):
        assert status_text("completed", due, done) == "Completed (3 days late)"
        assert status_text("completed", due, due) == "Completed"
        early = datetime.datetime(2026, 6, 30, 15, 59, tzinfo=datetime.UTC)  # 23:59 Beijing
        assert status_text("completed", due, early) == "Completed"
        one = datetime.datetime(2026, 6, 30, 16, 0, tzinfo=datetime.UTC)  # 1 July 00:00
        assert status_text("completed", due, one) == "Completed (1 day late)"
