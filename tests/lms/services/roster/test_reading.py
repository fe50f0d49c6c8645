"""Reading a roster: .xlsx and .csv in each encoding, Chinese and English headers, leading
zeros and Excel dates, optional and unknown columns, row-numbered errors with nothing written,
duplicates, unknown units and positions, problems with the whole file."""

from datetime import date, datetime

import pytest
from django.conf import settings as django_settings
from django.utils import translation
from wagtail.models import ModelLogEntry

from lms.models import OrgUnit, StaffProfile
from lms.services.roster import import_roster
from tests.factories import make_staff
from tests.lms.roster_support import (
    EN,
    ROWS,
    ZH,
    User,
    csv_bytes,
    error_rows,
    roster,
    snapshot,
    xlsx_bytes,
)


@pytest.mark.django_db
def test_xlsx_keeps_leading_zeros_and_reads_excel_dates(org, positions):
    rows = [
        [(101, "000000"), "张三", "LZ0101", "柜员", datetime(2020, 3, 1), "在职"],
        ["000102", "李四", "东岗网点", "柜员", (date(2026, 2, 1), "yyyy/m/d"), None],
        [123, "赵六", "LZ0201", None, (20260301, "General"), "active"],
        [(105, '"E"0000'), "钱七", "LZ0201", "网点负责人", "2026年3月1日", None],
        [(106.0, "000000"), "孙八", "LZ0102", "柜员", "2026.3.1", None],
    ]
    report = import_roster(xlsx_bytes(rows), "花名册.xlsx")
    assert report.ok and report.written, report.errors
    assert report.created == 5
    assert roster() == {
        "000101": ("张三", "LZ0101", "柜员", date(2020, 3, 1)),
        "000102": ("李四", "LZ0102", "柜员", date(2026, 2, 1)),
        "123": ("赵六", "LZ0201", "", date(2026, 3, 1)),
        "E0105": ("钱七", "LZ0201", "网点负责人", date(2026, 3, 1)),
        "000106": ("孙八", "LZ0102", "柜员", date(2026, 3, 1)),
    }
    user = User.objects.get(username="000101")
    assert user.staff_profile.employee_no == "000101"
    assert user.first_name == "张三" and user.is_active
    # The bank's sign-on or an administrator sets passwords: none can be used yet.
    assert not any(u.has_usable_password() for u in User.objects.all())
    assert ModelLogEntry.objects.filter(action="wagtail.create").count() == 5


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
@pytest.mark.parametrize("header", [ZH, EN], ids=["zh", "en"])
def test_csv_in_each_encoding_with_chinese_or_english_headers(org, positions, encoding, header):
    report = import_roster(csv_bytes(ROWS, header, encoding), "roster.csv")
    assert report.ok, report.errors
    assert report.created == 3
    assert roster() == {
        "000101": ("张三", "LZ0101", "柜员", date(2020, 3, 1)),
        "000102": ("李四", "LZ0102", "柜员", date(2026, 2, 1)),
        "000201": ("王五", "LZ0201", "网点负责人", date(2019, 5, 1)),
    }


@pytest.mark.django_db
def test_optional_columns_and_unknown_columns(org, positions):
    header = ["工号", "姓名", "机构", "备注"]
    data = csv_bytes([["000101", " 张  三 ", "城关营业部", "备注"]], header)
    report = import_roster(data, "minimal.csv")
    assert report.ok, report.errors
    assert any("备注" in warning for warning in report.warnings)
    staff = StaffProfile.objects.get()
    assert (staff.name, staff.org_unit.code, staff.position, staff.hire_date, staff.is_active) == (
        "张 三",
        "LZ0101",
        None,
        None,
        True,
    )


@pytest.mark.django_db
def test_every_bad_row_is_reported_by_number_and_nothing_is_written(org, positions):
    make_staff("000900", org["LZ0101"], positions["柜员"])
    before = snapshot()
    rows = [
        ROWS[0],  # row 2: valid
        ["", "无工号", "LZ0101", "柜员", "", ""],  # row 3
        ["", "", "", "", "", ""],  # blank: skipped, but numbering follows the sheet
        ["000104", "", "LZ0101", "柜员", "", ""],  # row 5
        ["000105", "日期错", "LZ0101", "柜员", "2026-02-30", ""],  # row 6
        ["000106", "状态错", "LZ0101", "柜员", "", "休假"],  # row 7
        ["000 107", "空格", "LZ0101", "柜员", "", ""],  # row 8
        ["000108", "名" * 51, "", "柜员", "", ""],  # row 9: two problems
    ]
    for data, name in ((csv_bytes(rows), "bad.csv"), (xlsx_bytes(rows), "bad.xlsx")):
        report = import_roster(data, name)
        assert not report.ok and not report.written
        assert error_rows(report) == [3, 5, 6, 7, 8, 9, 9], report.errors
        assert report.changes == []
        assert snapshot() == before


@pytest.mark.django_db
def test_employee_numbers_that_lost_their_leading_zeros_are_errors(staffed):
    # Excel opened and saved the CSV: 000101 became 101. That is not a new person.
    rows = [["101", "张三", "LZ0101", "柜员", "", ""], ["7", "新人", "LZ0101", "柜员", "", ""]]
    report = import_roster(csv_bytes(rows), "excel-saved.csv")
    assert error_rows(report) == [2] and "000101" in report.errors[0][1]
    assert StaffProfile.objects.count() == 4


@pytest.mark.django_db
def test_duplicate_employee_numbers_are_errors_on_each_duplicate_row(org, positions):
    rows = [ROWS[0], ROWS[1], ["000101", "张三丰", "LZ0102", "柜员", "", ""], ROWS[2]]
    report = import_roster(xlsx_bytes(rows), "dup.xlsx")
    assert error_rows(report) == [2, 4]
    assert "000101" in report.errors[0][1] and "4" in report.errors[0][1]
    assert not StaffProfile.objects.exists() and not User.objects.exists()


@pytest.mark.django_db
def test_unknown_and_ambiguous_units_and_positions(org, positions):
    OrgUnit.objects.get(pk=org["LZ01"].pk).add_child(code="LZ0103", name="营业部")
    OrgUnit.objects.get(pk=org["LZ02"].pk).add_child(code="LZ0202", name="营业部")
    rows = [
        ROWS[0],
        ["000102", "李四", "XX99", "柜员", "", ""],  # row 3: unknown unit
        ["000103", "王五", "营业部", "柜员", "", ""],  # row 4: two units have this name
        ["000104", "赵六", "LZ0202", "柜员", "", ""],  # row 5: by code it is fine
        ["000105", "钱七", "LZ0101", "保洁", "", ""],  # row 6: unknown position
    ]
    report = import_roster(csv_bytes(rows), "units.csv")
    assert error_rows(report) == [3, 4, 6]
    assert "XX99" in report.errors[0][1]
    assert "2" in report.errors[1][1]
    assert "保洁" in report.errors[2][1]
    assert not StaffProfile.objects.exists()

    rows[1][2], rows[2][2] = "LZ0102", "LZ0103"
    report = import_roster(csv_bytes(rows), "units.csv", create_positions=True)
    assert report.ok, report.errors
    assert report.new_positions == ["保洁"]
    assert StaffProfile.objects.get(employee_no="000105").position.name == "保洁"
    assert StaffProfile.objects.get(employee_no="000103").org_unit.code == "LZ0103"


@pytest.mark.django_db
def test_inactive_unit_takes_no_active_people(org, positions):
    OrgUnit.objects.filter(pk=org["LZ0102"].pk).update(is_active=False)
    report = import_roster(csv_bytes([ROWS[1]]), "closed.csv")
    assert error_rows(report) == [2]
    assert not StaffProfile.objects.exists()


@pytest.mark.django_db
def test_file_level_problems_are_clear(org):
    def only_error(data, name):
        report = import_roster(data, name)
        assert len(report.errors) == 1 and report.errors[0][0] in (None, 1), report.errors
        return report.errors[0][1]

    with translation.override("en"):
        assert "notes.txt" in only_error(b"hello", "notes.txt")
        assert "xlsx" in only_error(b"not a zip", "roster.xlsx")
        assert "empty" in only_error(b"", "roster.csv")
        assert "UTF-16" in only_error("工号,姓名".encode("utf-16"), "roster.csv")
        assert "no people" in only_error(csv_bytes([]), "roster.csv")
        message = only_error(csv_bytes([["1", "张三"]], ["工号", "姓名"]), "roster.csv")
        assert "机构/org_unit" in message
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(django_settings, "LMS_ROSTER_IMPORT_MAX_ROWS", 2, raising=False)
            assert "more than 2" in only_error(csv_bytes(ROWS), "roster.csv")
