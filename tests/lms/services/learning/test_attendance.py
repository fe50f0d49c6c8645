"""Importing a session's attendance sheet: all or nothing, row-numbered errors, re-importable."""

import datetime
import io
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from openpyxl import Workbook

from lms import services
from lms.models import Assignment, CheckIn, CompletionRecord, PlanItem
from lms.services.learning.attendance import import_attendance
from lms.services.learning.offline import check_in
from tests.factories import make_item, make_org, make_plan, make_session, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    org = make_org()
    today = timezone.localdate()
    plan = make_plan(today.year)
    item = make_item(plan, "工作坊", kind=PlanItem.OFFLINE, everyone=True, credit_hours=2)
    people = {
        "000101": make_staff("000101", org["LZ0101"], name="王芳"),
        "000102": make_staff("000102", org["LZ0102"], name="李强"),
        "000201": make_staff("000201", org["LZ0201"], name="赵敏"),
    }
    services.publish_plan(plan)
    starts = timezone.now() - timedelta(days=2)
    session = make_session(item, org["LZ01"], starts_at=starts)
    return {"org": org, "item": item, "people": people, "session": session}


def xlsx(rows, header=("工号", "姓名", "签到时间")):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_everyone_on_a_valid_sheet_is_checked_in(world):
    session = world["session"]
    at = timezone.localtime(session.starts_at).replace(second=0, microsecond=0, tzinfo=None)
    data = xlsx([["000101", "王芳", at + timedelta(minutes=3)], ["000102", "", ""]])
    report = import_attendance(session, data, "签到表.xlsx")
    assert report.ok and report.written, report.errors
    assert report.checked_in == ["王芳", "李强"] and report.already == []
    rows = {row.staff.employee_no: row for row in CheckIn.objects.select_related("staff")}
    assert set(rows) == {"000101", "000102"}
    assert timezone.localtime(rows["000101"].checked_in_at).replace(tzinfo=None) == at + timedelta(
        minutes=3
    )
    assert rows["000102"].checked_in_at == session.starts_at  # blank: the start
    assert all(row.method == CheckIn.IMPORT for row in rows.values())
    assert CompletionRecord.objects.filter(kind=CompletionRecord.OFFLINE).count() == 2
    assert (
        Assignment.objects.filter(plan_item=world["item"], status=Assignment.COMPLETED).count() == 2
    )
    # The same sheet again: nobody twice.
    again = import_attendance(session, data, "签到表.xlsx")
    assert again.ok and again.checked_in == [] and again.already == ["王芳", "李强"]
    assert CheckIn.objects.count() == 2 and CompletionRecord.objects.count() == 2


def test_one_bad_row_checks_in_nobody_and_every_problem_has_its_row(world):
    session = world["session"]
    data = xlsx(
        [
            ["000101", "王芳", ""],
            ["999999", "", ""],  # row 3: unknown
            ["000102", "王五", ""],  # row 4: name does not match
            ["000201", "赵敏", ""],  # row 5: another sub-branch
            ["000101", "", ""],  # row 6: twice
            ["", "无工号", ""],  # row 7
            ["000102", "", "昨天"],  # row 8: bad time
        ]
    )
    report = import_attendance(session, data, "签到表.xlsx")
    assert not report.ok and not report.written
    assert [row for row, _message in report.errors] == [3, 4, 5, 6, 7, 8]
    assert "999999" in report.errors[0][1] and "李强" in report.errors[1][1]
    assert "赵敏" in report.errors[2][1]
    assert not CheckIn.objects.exists() and not CompletionRecord.objects.exists()


def test_csv_in_gb18030_with_english_headers_and_a_dry_run(world):
    session = world["session"]
    data = "employee_no,name\r\n000101,王芳\r\n".encode("gb18030")
    report = import_attendance(session, data, "attendance.csv", dry_run=True)
    assert report.ok and not report.written and report.checked_in == ["王芳"]
    assert not CheckIn.objects.exists()
    report = import_attendance(session, data, "attendance.csv")
    assert report.written and CheckIn.objects.count() == 1


def test_someone_who_scanned_is_skipped_not_duplicated(world):
    session = world["session"]
    person = world["people"]["000101"]
    check_in(person.user, session, now=session.starts_at + timedelta(minutes=5))
    report = import_attendance(session, xlsx([["000101", "王芳", ""]]), "a.xlsx")
    assert report.ok and report.already == ["王芳"] and report.checked_in == []
    assert CheckIn.objects.count() == 1


def nul_sheet():
    """Row 3 has a NUL character in the employee number, row 4 in the name."""
    return "工号,姓名\r\n000101,王芳\r\n000\x00102,李强\r\n000201,赵\x00敏\r\n".encode()


@pytest.mark.parametrize("dry_run", [True, False])
def test_a_nul_character_is_an_error_on_its_row_and_checks_in_nobody(world, dry_run):
    report = import_attendance(world["session"], nul_sheet(), "签到表.csv", dry_run=dry_run)
    assert not report.ok and not report.written
    assert [row for row, _m in report.errors] == [3, 4]
    assert all("NUL" in message for _row, message in report.errors)
    assert not CheckIn.objects.exists() and not CompletionRecord.objects.exists()


@pytest.mark.postgres
def test_a_nul_character_never_reaches_postgresql(world, client, officer):
    """PostgreSQL refuses NUL in text (a DataError in the roster lookup): the import page says
    which rows, it does not fail."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite stores NUL characters")
    client.force_login(officer)
    url = f"/admin/training/sessions/attendance/{world['session'].pk}/"
    response = client.post(url, {"file": SimpleUploadedFile("签到表.csv", nul_sheet())})
    assert response.status_code == 200 and "data-import-errors" in response.content.decode()
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "a.xlsx", "readable|读取"),
        (b"\xff\xfe garbage", "a.pdf", "xlsx|.csv"),
        ("姓名\r\n王芳\r\n".encode(), "a.csv", "工号"),
        ("工号\r\n".encode(), "a.csv", "no people|没有"),
    ],
)
def test_unusable_files_are_explained(world, data, name, message):
    report = import_attendance(world["session"], data, name)
    assert not report.ok and re.search(message, report.errors[0][1])


def test_times_outside_the_session_day_and_cancelled_sessions_are_refused(world):
    session = world["session"]
    far = timezone.localtime(session.starts_at).date() - datetime.timedelta(days=5)
    report = import_attendance(session, xlsx([["000101", "", far.isoformat()]]), "a.xlsx")
    assert [row for row, _m in report.errors] == [2]
    session.cancelled = True
    session.save()
    report = import_attendance(session, xlsx([["000101", "", ""]]), "a.xlsx")
    assert not report.ok and not CheckIn.objects.exists()


def test_the_admin_page_imports_and_lists_the_check_ins(client, world, officer):
    session = world["session"]
    client.force_login(officer)
    url = f"/admin/training/sessions/attendance/{session.pk}/"
    upload = SimpleUploadedFile("签到表.xlsx", xlsx([["000101", "王芳", ""], ["999999", "", ""]]))
    response = client.post(url, {"file": upload})
    html = response.content.decode()
    assert response.status_code == 200 and "data-import-errors" in html and "999999" in html
    assert not CheckIn.objects.exists()
    upload = SimpleUploadedFile("签到表.xlsx", xlsx([["000101", "王芳", ""]]))
    response = client.post(url, {"file": upload})
    assert response.status_code == 200 and CheckIn.objects.count() == 1
    assert "data-check-ins" in response.content.decode()
    assert CheckIn.objects.get().recorded_by == officer
