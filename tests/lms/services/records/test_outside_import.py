"""Bulk entry of trainings held elsewhere from a spreadsheet: all or nothing, row-numbered
problems, a dry run that stores nothing, one attachment for every record, and a constant number
of queries whatever the number of rows."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from openpyxl import Workbook

from lms import services
from lms.models import Assignment, Certificate, CompletionRecord, PlanItem
from lms.services.records import outside
from lms.services.records.outside_import import import_outside
from tests.factories import UserFactory, make_item, make_org, make_plan, make_staff

pytestmark = pytest.mark.django_db

PDF = ("签到表.pdf", b"%PDF-1.4\n% scanned\n")
HEADER = ("工号", "培训项目", "完成日期", "学时", "形式", "原因")


def xlsx(rows, header=HEADER):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def world(officer):
    org = make_org()
    today = timezone.localdate()
    plan = make_plan(today.year)
    item = make_item(plan, "反洗钱讲座", kind=PlanItem.OFFLINE, everyone=True, credit_hours=2)
    people = [
        make_staff(f"0001{n:02d}", org["LZ0101"], name=f"员工{n}", user=UserFactory())
        for n in range(8)
    ]
    services.publish_plan(plan)
    day = (today - datetime.timedelta(days=2)).isoformat()
    return {"plan": plan, "item": item, "people": people, "officer": officer, "day": day}


def rows_for(world, people):
    return [
        [p.employee_no, "反洗钱讲座", world["day"], "2", "监管讲座", "人行讲座"] for p in people
    ]


def stored_files():
    storage = outside.private_storage()
    try:
        _dirs, _files = storage.listdir(outside.ATTACHMENT_DIR)
    except FileNotFoundError:
        return 0
    count = 0
    for year in _dirs:
        for month in storage.listdir(f"{outside.ATTACHMENT_DIR}/{year}")[0]:
            count += len(storage.listdir(f"{outside.ATTACHMENT_DIR}/{year}/{month}")[1])
    return count


def test_every_row_is_recorded_with_the_one_attachment(world):
    before = stored_files()
    report = import_outside(
        world["plan"], world["officer"], xlsx(rows_for(world, world["people"][:3])), "a.xlsx", PDF
    )
    assert report.ok and report.written and len(report.recorded) == 3
    assert stored_files() == before + 1
    records = CompletionRecord.objects.all()
    assert {r.evidence["attachment"]["path"] for r in records} == {
        report.recorded[0].evidence["attachment"]["path"]
    }
    assert {r.method for r in records} == {CompletionRecord.OFFICER_IMPORT}
    assert Assignment.objects.filter(status=Assignment.COMPLETED).count() == 3
    assert Certificate.objects.count() == 3


def test_one_bad_row_records_nothing_and_every_problem_has_its_row(world):
    rows = rows_for(world, world["people"][:2]) + [
        ["000100", "反洗钱讲座", world["day"], "2", "监管讲座", "重复"],
        ["", "反洗钱讲座", "明天", "2", "监管讲座", "人行讲座"],
        ["000103", "反洗钱讲座", world["day"], "abc", "监管讲座", ""],
    ]
    with translation.override("en"):
        report = import_outside(world["plan"], world["officer"], xlsx(rows), "a.xlsx", PDF)
    assert not report.ok
    rows_with_problems = sorted({row for row, _message in report.errors})
    assert rows_with_problems == [4, 5, 6]
    messages = " ".join(message for _row, message in report.errors)
    assert "also on row 2" in messages and "employee number" in messages
    assert "is not a date" in messages
    assert not CompletionRecord.objects.exists()
    assert not Assignment.objects.filter(status=Assignment.COMPLETED).exists()


def test_a_dry_run_stores_nothing_and_an_officer_is_required(world, trainer):
    before = stored_files()
    sheet = xlsx(rows_for(world, world["people"][:2]))
    report = import_outside(world["plan"], world["officer"], sheet, "a.xlsx", PDF, dry_run=True)
    assert report.ok and not report.written and len(report.changes) == 2
    assert stored_files() == before and not CompletionRecord.objects.exists()
    with translation.override("en"):
        report = import_outside(world["plan"], trainer, sheet, "a.xlsx", PDF)
        assert report.errors == [(None, "Only the consumer-protection officer may do this.")]
        report = import_outside(world["plan"], world["officer"], sheet, "a.xlsx", ("a.pdf", b""))
        assert report.errors == [(None, "The attachment is empty.")]
    assert not CompletionRecord.objects.exists()


def test_english_headers_and_item_ids_are_accepted(world):
    header = ("employee_no", "plan_item", "completed_on", "hours", "held_as", "reason")
    rows = [
        [world["people"][0].employee_no, str(world["item"].pk), world["day"], "1.5", "video", "x"]
    ]
    report = import_outside(world["plan"], world["officer"], xlsx(rows, header), "a.xlsx", PDF)
    assert report.written
    record = CompletionRecord.objects.get()
    assert record.evidence["held_as"] == outside.VIDEO_MEETING and str(record.credit_hours) == "1.5"


def test_the_queries_do_not_grow_with_the_rows(world):
    def queries(people):
        with CaptureQueriesContext(connection) as captured:
            report = import_outside(
                world["plan"], world["officer"], xlsx(rows_for(world, people)), "a.xlsx", PDF
            )
        assert report.written
        return len(captured)

    queries(world["people"][:1])  # the chain head created, the officer's permissions cached
    small = queries(world["people"][1:3])
    large = queries(world["people"][3:8])
    assert large == small, (small, large)
