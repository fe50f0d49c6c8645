"""Importing the complaint register: all or nothing with row-numbered errors, .xlsx and CSV in
UTF-8, UTF-8 with BOM and GB18030, a dry run that writes nothing, re-import updating by number,
masking counted, and queries that do not grow with the rows."""

from datetime import date

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from lms.models import Complaint
from lms.services.complaints.register_import import import_complaints, template_workbook
from tests.lms import register_support
from tests.lms.register_support import SUMMARY_WITH_NUMBERS, csv_bytes, row, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(roles):
    return register_support.build(roles)


def english(data, filename="register.xlsx", **kwargs):
    with translation.override("en"):
        return import_complaints(data, filename, **kwargs)


def staff_of(number):
    return sorted(Complaint.objects.get(number=number).staff.values_list("employee_no", flat=True))


def test_an_import_registers_every_row_and_masks_the_summaries(world):
    rows = [
        row("TS001", summary=SUMMARY_WITH_NUMBERS),
        row(
            "TS002",
            channel="电子渠道/移动客户端",
            business="银行卡/借记卡盗刷",
            reason="C.10",
            unit="东岗网点",
            staff="000103",
            summary="客户反映手机银行转账限额调整未提前通知。",
            closed_on="",
            at_fault="",
        ),
    ]
    report = english(xlsx_bytes(rows))
    assert report.ok and report.written, report.errors
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    assert (report.masked, report.masked_summaries) == (3, 1)
    with translation.override("en"):
        assert "masked: 3 (in 1 summaries)" in report.counts
    assert [c.number for c in report.saved.changed] == ["TS001", "TS002"]

    first = Complaint.objects.get(number="TS001")
    assert first.source == Complaint.IMPORT and first.masked == 3
    assert "13812345678" not in first.summary and "11010519491231002X" not in first.summary
    assert "6222" not in first.summary and "2026-03-01" in first.summary
    assert "12,345.67元" in first.summary
    assert (first.channel.code, first.business.code, first.reason.code) == ("A.1.1", "B.5", "C.5")
    assert first.org_unit.code == "LZ0101" and first.at_fault is True
    assert (first.received_on, first.closed_on) == (date(2026, 3, 2), date(2026, 3, 9))
    assert staff_of("TS001") == ["000101", "000102"]

    second = Complaint.objects.get(number="TS002")
    assert (second.channel.code, second.business.code, second.reason.code) == (
        "A.1.3.3",
        "B.3.3",
        "C.10",
    )
    assert second.org_unit.code == "LZ0102" and second.closed_on is None
    assert second.at_fault is None and second.masked == 0
    assert staff_of("TS002") == ["000103"]


def test_one_bad_row_and_nothing_is_imported_with_every_problem_numbered(world):
    rows = [
        row("TS001"),
        row("TS002", reason="服务太差", unit="LZ9999"),
        row("TS003", staff="000101, 999999；000102", received_on="2026-02-30"),
        row("TS001", at_fault="也许"),
        row("TS005", channel="其他", closed_on=date(2026, 3, 1)),
    ]
    report = english(xlsx_bytes(rows))
    assert not report.ok and not Complaint.objects.exists()
    by_row = {}
    for number, message in report.errors:
        by_row.setdefault(number, []).append(message)
    assert sorted(by_row) == [3, 4, 5, 6]
    assert any("投诉原因 “服务太差”" in m for m in by_row[3])
    assert any("LZ9999" in m for m in by_row[3])
    assert any("受理日期 “2026-02-30” is not a date" in m for m in by_row[4])
    assert any("是否有责 “也许”" in m for m in by_row[5])
    assert any("A.1.3.6" in m and "A.1.5" in m for m in by_row[6])
    with translation.override("en"):
        assert report.summary == "No complaint was imported"


def test_unknown_staff_numbers_duplicates_and_date_order_are_errors(world):
    rows = [
        row("TS001", staff="000101 999999"),
        row("TS002"),
        row("TS002"),
        row("TS004", closed_on=date(2026, 3, 1)),
    ]
    report = english(csv_bytes(rows), "register.csv")
    assert not report.ok and not Complaint.objects.exists()
    messages = dict(report.errors)
    assert "999999" in messages[2] and "000101" not in messages[2]
    assert messages[4] == "Complaint TS002 is also on row 3."
    assert "before the day received" in messages[5]


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-8"])
def test_csv_in_gb18030_and_utf8_with_or_without_bom(world, encoding):
    data = csv_bytes([row("TS001", summary="客户13812345678反映")], encoding=encoding)
    report = english(data, "投诉登记.csv")
    assert report.ok and report.written, report.errors
    complaint = Complaint.objects.get()
    assert complaint.summary == "客户***********反映" and complaint.reason.code == "C.5"


def test_a_dry_run_writes_nothing_and_says_what_would_happen(world):
    report = english(xlsx_bytes([row("TS001", summary=SUMMARY_WITH_NUMBERS)]), dry_run=True)
    assert report.ok and not report.written
    assert (report.created, report.masked) == (1, 3)
    with translation.override("en"):
        assert report.summary == "Dry run: nothing was written"
    assert not Complaint.objects.exists()


def test_importing_again_updates_by_number_and_replaces_the_staff(world):
    english(xlsx_bytes([row("TS001"), row("TS002")]))
    created_at = Complaint.objects.get(number="TS001").created_at
    again = [
        row("TS001", staff="000103", reason="C.7", closed_on=date(2026, 3, 20), at_fault="无责"),
        row("TS002"),
        row("TS003"),
    ]
    report = english(xlsx_bytes(again))
    assert (report.created, report.updated, report.unchanged) == (1, 1, 1)
    assert [c.number for c in report.saved.changed] == ["TS001", "TS003"]
    assert Complaint.objects.count() == 3
    first = Complaint.objects.get(number="TS001")
    assert first.reason.code == "C.7" and first.at_fault is False
    assert first.closed_on == date(2026, 3, 20) and first.created_at == created_at
    assert staff_of("TS001") == ["000103"]
    assert staff_of("TS002") == ["000101", "000102"]


def test_a_missing_column_is_refused(world):
    header = [name for name in register_support.HEADER if name != "投诉原因"]
    data = xlsx_bytes([row()[:4] + row()[5:]], header=header)
    report = english(data)
    assert not report.ok and "投诉原因" in report.errors[0][1]


@override_settings(LMS_COMPLAINTS_IMPORT_MAX_ROWS=2)
def test_the_file_size_is_bounded(world):
    report = english(xlsx_bytes([row("TS001"), row("TS002"), row("TS003")]))
    assert not report.ok and "more than 2 complaints" in report.errors[0][1]


def test_the_template_imports_as_it_is(world):
    report = english(template_workbook(), "complaints-template.xlsx", dry_run=True)
    assert report.ok, report.errors
    assert report.created == 2


def queries_for(rows, dry_run=False):
    with CaptureQueriesContext(connection) as queries:
        report = english(xlsx_bytes(rows), dry_run=dry_run)
    assert report.ok, report.errors
    return len(queries)


def test_queries_do_not_grow_with_the_rows(world):
    few = queries_for([row(f"A{n}") for n in range(3)])
    many = queries_for([row(f"B{n}") for n in range(60)])
    assert many == few
    updating = queries_for([row(f"B{n}", staff="000201") for n in range(60)])
    assert updating <= few + 2  # the old staff links are deleted
