"""Roster import: .xlsx and .csv in each encoding, Chinese and English headers, leading zeros,
row-numbered errors with nothing written, duplicates, unknown units and positions, dry-run diffs,
leavers, transfers and reactivation with plan sync, the management command and the admin page."""

import csv
import io
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from unittest.mock import patch

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook
from wagtail.models import ModelLogEntry

from lms import services
from lms.models import Assignment, OrgUnit, Position, RosterImport, StaffProfile
from lms.services.plans import sync_many
from lms.services.roster import import_roster, runs
from lms.services.roster.report import StaffChange
from lms.viewsets.roster import RosterImportViewSet
from tests.factories import UserFactory, make_item, make_org, make_plan, make_position, make_staff

ZH = ["工号", "姓名", "机构", "岗位", "入职日期", "状态"]
EN = ["Employee No", "NAME", "org_unit", "Position", "hire_date", "status"]
ROWS = [
    ["000101", "张三", "LZ0101", "柜员", "2020-03-01", "在职"],
    ["000102", "李四", "东岗网点", "柜员", "2026/2/1", ""],
    ["000201", "王五", "LZ0201", "网点负责人", "20190501", "active"],
]
User = get_user_model()


@pytest.fixture
def org(db):
    return make_org()


@pytest.fixture
def positions(db):
    return {"柜员": make_position("柜员"), "网点负责人": make_position("网点负责人")}


def xlsx_bytes(rows, header=ZH):
    """A workbook; a cell given as ``(value, number_format)`` gets that format."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for values in rows:
        sheet.append([value[0] if isinstance(value, tuple) else value for value in values])
        for column, value in enumerate(values, start=1):
            if isinstance(value, tuple):
                sheet.cell(row=sheet.max_row, column=column).number_format = value[1]
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, header=ZH, encoding="utf-8"):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def roster():
    return {
        s.employee_no: (s.name, s.org_unit.code, s.position.name if s.position else "", s.hire_date)
        for s in StaffProfile.objects.select_related("org_unit", "position")
    }


def snapshot():
    """Everything an import may write."""
    return (
        sorted(
            StaffProfile.objects.values_list(
                "employee_no",
                "name",
                "org_unit_id",
                "position_id",
                "hire_date",
                "is_active",
                "left_at",
                "updated_at",
            )
        ),
        sorted(User.objects.values_list("username", "first_name", "is_active", "password")),
        sorted(Position.objects.values_list("name", flat=True)),
        sorted(Assignment.objects.values_list("staff_id", "plan_item_id", "status", "org_unit_id")),
        ModelLogEntry.objects.count(),
    )


def error_rows(report):
    return [row for row, _message in report.errors]


# --- Reading ---------------------------------------------------------------------------------


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


# --- Errors: row-numbered, all or nothing ------------------------------------------------------


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


# --- Updates, dry runs, leavers, transfers ----------------------------------------------------


@pytest.fixture
def staffed(org, positions):
    """Four people on the roster, as test_plans has them."""
    teller, manager = positions["柜员"], positions["网点负责人"]
    return {
        "000101": make_staff("000101", org["LZ0101"], teller, date(2020, 3, 1), name="张三"),
        "000102": make_staff("000102", org["LZ0102"], teller, date(2026, 2, 1), name="李四"),
        "000103": make_staff("000103", org["LZ0101"], manager, date(2015, 1, 1), name="王五"),
        "000201": make_staff("000201", org["LZ0201"], teller, date(2019, 5, 1), name="赵六"),
    }


CHANGES = [
    ["000101", "张三", "LZ0201", "柜员", "2020-03-01", "在职"],  # transfer
    ["000102", "李思", "LZ0102", "柜员", "2026-02-01", "在职"],  # renamed
    ["000103", "王五", "LZ0101", "网点负责人", "2015-01-01", "离职"],  # leaving
    ["000301", "新人", "LZ0102", "柜员", "2026-09-01", ""],  # new
    ["000302", "早走了", "LZ0102", "柜员", "", "离职"],  # a leaver never on the roster
]  # 000201 is not in the file: untouched


@pytest.mark.django_db
def test_dry_run_reports_the_diff_and_writes_nothing(staffed):
    before = snapshot()
    with translation.override("en"):
        report = import_roster(csv_bytes(CHANGES), "changes.csv", dry_run=True)
    assert report.ok and not report.written
    assert (report.created, report.changed, report.leaving, report.unchanged) == (1, 2, 1, 0)
    assert (report.transfers, report.skipped, report.reactivated) == (1, 1, 0)
    assert snapshot() == before
    changes = {change.employee_no: change for change in report.changes}
    assert set(changes) == {"000101", "000102", "000103", "000301"}
    assert changes["000101"].transfer and changes["000101"].action == StaffChange.CHANGED
    assert changes["000101"].changes == [("unit", "城关营业部 (LZ0101)", "西站网点 (LZ0201)")]
    assert changes["000102"].changes == [("name", "李四", "李思")]
    assert changes["000102"].fields == ["name"] and not changes["000102"].transfer
    assert changes["000103"].action == StaffChange.LEAVING
    assert changes["000103"].changes == [("status", "active", "inactive")]
    assert changes["000301"].action == StaffChange.NEW
    assert any("000302" in warning for warning in report.warnings)

    report = import_roster(csv_bytes(CHANGES), "changes.csv")
    assert report.written
    assert (report.created, report.changed, report.leaving, report.skipped) == (1, 2, 1, 1)
    assert not StaffProfile.objects.filter(employee_no="000302").exists()


@pytest.mark.django_db
def test_reimport_of_the_same_file_changes_nothing(org, positions):
    data = xlsx_bytes([[(int(r[0]), "000000"), *r[1:]] for r in ROWS])
    assert import_roster(data, "roster.xlsx").created == 3
    before = snapshot()
    report = import_roster(data, "roster.xlsx")
    assert report.ok and report.written
    assert (report.created, report.changed, report.leaving, report.unchanged) == (0, 0, 0, 3)
    assert report.changes == []
    assert snapshot() == before


@pytest.fixture
def plan(org, staffed, positions):
    plan = make_plan()
    items = {
        "everyone": make_item(plan, "全员", everyone=True),
        "chengguan": make_item(plan, "城关支行", units=[org["LZ01"]]),
        "qilihe": make_item(plan, "七里河支行", units=[org["LZ02"]]),
        "tellers": make_item(plan, "柜员", positions=[positions["柜员"]]),
    }
    services.publish_plan(plan)
    return items


def statuses(employee_no):
    return {
        a.plan_item.title: (a.status, a.org_unit.code)
        for a in Assignment.objects.filter(staff__employee_no=employee_no).select_related(
            "plan_item", "org_unit"
        )
    }


@pytest.mark.django_db
def test_leaver_is_deactivated_never_deleted_and_absent_people_are_untouched(plan, staffed):
    report = import_roster(csv_bytes(CHANGES), "changes.csv")
    assert report.written
    leaver = StaffProfile.objects.select_related("user").get(employee_no="000103")
    assert not leaver.is_active and leaver.left_at is not None
    assert not leaver.user.is_active
    assert statuses("000103") == {
        "全员": (Assignment.WITHDRAWN, "LZ0101"),
        "城关支行": (Assignment.WITHDRAWN, "LZ0101"),
    }
    absent = StaffProfile.objects.select_related("user").get(employee_no="000201")
    assert absent.is_active and absent.user.is_active
    assert absent.updated_at == staffed["000201"].updated_at
    assert StaffProfile.objects.count() == 5  # four, one new, none deleted

    # A file without a status column leaves the leaver a leaver.
    data = csv_bytes([["000103", "王五", "LZ0101"]], ["工号", "姓名", "机构"])
    report = import_roster(data, "names.csv")
    assert report.unchanged == 1
    assert not StaffProfile.objects.get(employee_no="000103").is_active


@pytest.mark.django_db
def test_transfer_moves_the_person_and_their_assignments(plan, staffed):
    assert statuses("000101") == {
        "全员": (Assignment.OPEN, "LZ0101"),
        "城关支行": (Assignment.OPEN, "LZ0101"),
        "柜员": (Assignment.OPEN, "LZ0101"),
    }
    report = import_roster(csv_bytes(CHANGES), "changes.csv")
    assert report.written and report.transfers == 1
    mover = StaffProfile.objects.get(employee_no="000101")
    assert mover.org_unit.code == "LZ0201" and mover.pk == staffed["000101"].pk
    # 城关's item is withdrawn (kept), 七里河's assigned, open work follows to the new outlet.
    assert statuses("000101") == {
        "全员": (Assignment.OPEN, "LZ0201"),
        "城关支行": (Assignment.WITHDRAWN, "LZ0101"),
        "七里河支行": (Assignment.OPEN, "LZ0201"),
        "柜员": (Assignment.OPEN, "LZ0201"),
    }
    # The new hire gets everyone's, their sub-branch's and the tellers' items.
    assert statuses("000301") == {
        "全员": (Assignment.OPEN, "LZ0102"),
        "城关支行": (Assignment.OPEN, "LZ0102"),
        "柜员": (Assignment.OPEN, "LZ0102"),
    }
    # A rename alone changes no assignment.
    assert statuses("000102") == {
        "全员": (Assignment.OPEN, "LZ0102"),
        "城关支行": (Assignment.OPEN, "LZ0102"),
        "柜员": (Assignment.OPEN, "LZ0102"),
    }
    assert report.synced == {"created": 4, "withdrawn": 3, "reopened": 0, "moved": 2}

    # A change of position withdraws the tellers' item.
    report = import_roster(
        csv_bytes([["000201", "赵六", "LZ0201", "网点负责人"]], ZH[:4]), "position.csv"
    )
    assert report.changed == 1 and not report.transfers
    assert statuses("000201")["柜员"] == (Assignment.WITHDRAWN, "LZ0201")


@pytest.mark.django_db
def test_a_leaver_can_come_back(plan, staffed):
    import_roster(csv_bytes([CHANGES[2]]), "leave.csv")
    assert not StaffProfile.objects.get(employee_no="000103").is_active
    back = ["000103", "王五", "LZ0201", "网点负责人", "2015-01-01", "在职"]
    report = import_roster(csv_bytes([back]), "back.csv")
    assert (report.changed, report.reactivated, report.transfers) == (1, 1, 1)
    person = StaffProfile.objects.select_related("user").get(employee_no="000103")
    assert person.is_active and person.left_at is None and person.user.is_active
    # Everyone's item is open again, at the new unit; 城关's stays withdrawn; 七里河's is new.
    assert statuses("000103") == {
        "全员": (Assignment.OPEN, "LZ0201"),
        "城关支行": (Assignment.WITHDRAWN, "LZ0101"),
        "七里河支行": (Assignment.OPEN, "LZ0201"),
    }


@pytest.mark.django_db
def test_sync_many_does_what_sync_staff_does(plan, staffed, org, positions):
    def state():
        rows = Assignment.objects.values_list(
            "staff_id", "plan_item_id", "status", "org_unit_id", "withdrawn_at"
        )
        return sorted((*row[:4], row[4] is None) for row in rows)

    changes = [
        ("000101", {"org_unit": org["LZ0201"]}),
        ("000102", {"position": positions["网点负责人"]}),
        ("000103", {"is_active": False}),
        ("000201", {"org_unit": org["LZ0101"], "hire_date": date(2026, 1, 5)}),
    ]
    for employee_no, values in changes:
        StaffProfile.objects.filter(employee_no=employee_no).update(**values)
    people = [staffed[number] for number, _values in changes]
    with transaction.atomic():
        for person in people:
            services.sync_staff(person)
        expected = state()
        transaction.set_rollback(True)
    assert state() != expected
    sync_many([person.pk for person in people])
    assert state() == expected


@pytest.mark.django_db
def test_without_a_published_plan_nothing_is_synced(staffed):
    report = import_roster(csv_bytes(CHANGES), "changes.csv")
    assert report.synced == {"created": 0, "withdrawn": 0, "reopened": 0, "moved": 0}
    assert not Assignment.objects.exists()


@pytest.mark.django_db
def test_an_existing_account_without_a_profile_is_linked(org, positions, staffed):
    account = UserFactory(username="000401", first_name="旧名")
    rows = [["000401", "孙八", "LZ0101", "柜员", "", ""]]
    report = import_roster(csv_bytes(rows), "link.csv")
    assert report.created == 1
    account.refresh_from_db()
    assert account.staff_profile.name == "孙八" and account.first_name == "孙八"
    assert account.has_usable_password()  # an existing password is kept

    # An account that already belongs to someone else is an error.
    other = UserFactory(username="000402")
    StaffProfile.objects.filter(employee_no="000201").update(user=other)
    report = import_roster(csv_bytes([["000402", "周九", "LZ0101", "柜员", "", ""]]), "x.csv")
    assert error_rows(report) == [2] and "000201" in report.errors[0][1]


# --- The management command --------------------------------------------------------------------


@pytest.mark.django_db
def test_command_dry_runs_and_imports(staffed, tmp_path):
    path = tmp_path / "花名册.csv"
    path.write_bytes(csv_bytes(CHANGES, encoding="gb18030"))
    out = io.StringIO()
    with translation.override("en"):
        call_command("lms_import_roster", str(path), "--dry-run", stdout=out, stderr=io.StringIO())
    text = out.getvalue()
    assert "Dry run: 1 new, 2 changed (1 transfers), 1 leaving" in text
    assert "000101" in text and "西站网点 (LZ0201)" in text
    assert StaffProfile.objects.get(employee_no="000101").org_unit.code == "LZ0101"

    out = io.StringIO()
    call_command("lms_import_roster", str(path), stdout=out, stderr=io.StringIO())
    assert StaffProfile.objects.get(employee_no="000101").org_unit.code == "LZ0201"


@pytest.mark.django_db
def test_command_fails_on_errors_and_creates_positions_when_asked(org, tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(xlsx_bytes([ROWS[0], ["000102", "", "LZ0101", "", "", ""]]))
    err = io.StringIO()
    with translation.override("en"), pytest.raises(CommandError, match="nothing was imported"):
        call_command("lms_import_roster", str(path), stderr=err)
    assert "Row 3:" in err.getvalue() and "Row 2:" in err.getvalue()  # 柜员 is unknown too
    assert not StaffProfile.objects.exists()
    with pytest.raises(CommandError):
        call_command("lms_import_roster", str(tmp_path / "missing.csv"))

    path.write_bytes(xlsx_bytes([ROWS[0]]))
    call_command("lms_import_roster", str(path), "--create-positions", stdout=io.StringIO())
    assert StaffProfile.objects.get().position.name == "柜员"


def test_command_exits_non_zero_on_errors(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes(b"hello")
    manage = Path(__file__).resolve().parents[2] / "manage.py"
    result = subprocess.run(  # noqa: S603
        [sys.executable, str(manage), "lms_import_roster", str(path)],
        capture_output=True,
        text=True,
        check=False,
        env={"DJANGO_SETTINGS_MODULE": "config.settings.test", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 1
    assert "notes.txt" in result.stderr


# --- The admin page ----------------------------------------------------------------------------


def admin_user(username, *permissions):
    user = UserFactory(username=username)
    wanted = [("wagtailadmin", "access_admin"), *permissions]
    user.user_permissions.add(
        *[
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in wanted
        ]
    )
    return user


@pytest.fixture
def roster_admin(db):
    return admin_user("hr", ("lms_core", "add_staffprofile"))


def upload(client, data, name, **options):
    """POST the file and follow to the run's page (the default ImmediateBackend runs the task
    inside the request, so the run has finished by then)."""
    file = io.BytesIO(data)
    file.name = name
    payload = {"file": file, **{key: "on" for key, value in options.items() if value}}
    return client.post(reverse("lms_roster_import:import"), payload, follow=True)


def last_run():
    return RosterImport.objects.order_by("-pk").first()


@pytest.mark.django_db
def test_admin_page_dry_runs_then_imports_the_same_file(client, roster_admin, staffed):
    client.force_login(roster_admin)
    response = client.get(reverse("lms_roster_import:import"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'type="file"' in html and reverse("lms_roster_import:template") in html
    assert "create_positions" not in html  # this user may not add positions
    # The header names the page (not just 首页).
    assert [item["label"] for item in response.context["breadcrumbs_items"]][-1] == "导入员工名册"

    response = upload(client, xlsx_bytes(CHANGES), "花名册.xlsx", dry_run=True)
    dry_run = last_run()
    assert response.redirect_chain == [(reverse("lms_roster_import:run", args=[dry_run.pk]), 302)]
    assert dry_run.status == RosterImport.FINISHED and dry_run.uploaded_by == roster_admin
    report = response.context["report"]
    assert report["ok"] and report["dry_run"] and not report["written"]
    assert (report["created"], report["changed"], report["leaving"]) == (1, 2, 1)
    html = response.content.decode()
    assert "data-roster-changes" in html and "西站网点 (LZ0201)" in html
    assert "data-roster-confirm" in html  # "import this file"
    assert StaffProfile.objects.get(employee_no="000101").org_unit.code == "LZ0101"

    # Import the checked file without uploading it again.
    response = client.post(reverse("lms_roster_import:confirm", args=[dry_run.pk]), follow=True)
    run = last_run()
    assert run.pk != dry_run.pk and run.confirms == dry_run and not run.dry_run
    assert run.file.name == dry_run.file.name
    assert response.context["report"]["written"]
    assert StaffProfile.objects.get(employee_no="000101").org_unit.code == "LZ0201"
    entry = ModelLogEntry.objects.filter(action="wagtail.edit").first()
    assert entry.user == roster_admin
    # A second confirmation (a double tap) imports nothing more.
    response = client.post(reverse("lms_roster_import:confirm", args=[dry_run.pk]), follow=True)
    assert RosterImport.objects.count() == 2
    assert "已经导入" in response.content.decode()
    # Both runs are listed under the form, newest first, and the file is kept as uploaded.
    listed = client.get(reverse("lms_roster_import:import")).context["recent_runs"]
    assert [r.pk for r in listed] == [run.pk, dry_run.pk]
    response = client.get(reverse("lms_roster_import:file", args=[run.pk]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    with dry_run.file.open("rb") as stored:
        assert b"".join(response.streaming_content) == stored.read()
    dry_run.file.storage.delete(dry_run.file.name)  # gone from the media storage: a 404
    assert client.get(reverse("lms_roster_import:file", args=[run.pk])).status_code == 404


@pytest.mark.django_db
def test_admin_page_shows_row_errors_and_can_create_positions(client, org):
    user = admin_user("hr", ("lms_core", "add_staffprofile"), ("lms_core", "add_position"))
    client.force_login(user)
    response = upload(client, csv_bytes(ROWS, encoding="gb18030"), "bad.csv")
    html = response.content.decode()
    assert "data-import-errors" in html and "网点负责人" in html
    assert [row for row, _message in response.context["report"]["errors"]] == [2, 3, 4]
    assert "data-roster-confirm" not in html
    assert not StaffProfile.objects.exists()

    assert "create_positions" in client.get(reverse("lms_roster_import:import")).content.decode()
    response = upload(client, csv_bytes(ROWS, encoding="gb18030"), "ok.csv", create_positions=True)
    assert response.context["report"]["written"]
    assert StaffProfile.objects.count() == 3


@pytest.mark.django_db
def test_a_file_too_big_is_refused_before_it_is_stored(client, roster_admin, org, settings):
    settings.LMS_ROSTER_IMPORT_MAX_BYTES = 1024 * 1024
    client.force_login(roster_admin)
    response = upload(client, csv_bytes(ROWS * 12000), "big.csv")
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["文件大小超过 1 MB。"]
    assert not RosterImport.objects.exists()


@pytest.mark.django_db
@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
def test_with_a_task_queue_the_page_follows_the_run(client, roster_admin, staffed):
    """With a real queue the upload only queues the import; the page says so and reloads itself
    until a worker has run it; a second delivery of the task does nothing."""
    client.force_login(roster_admin)
    response = upload(client, csv_bytes(CHANGES), "changes.csv")
    run = last_run()
    assert run.status == RosterImport.QUEUED
    html = response.content.decode()
    assert 'data-roster-run="queued"' in html and "window.location.reload" in html
    assert StaffProfile.objects.get(employee_no="000101").org_unit.code == "LZ0101"
    # Nobody picked it up for over a minute: the page asks whether a worker runs.
    RosterImport.objects.filter(pk=run.pk).update(created_at=timezone.now() - timedelta(minutes=2))
    assert (
        "db_worker" in client.get(reverse("lms_roster_import:run", args=[run.pk])).content.decode()
    )

    result = runs.run_import(run.pk)  # what the worker does
    assert result["written"] and result["changes_total"] == 4
    assert runs.run_import(run.pk) is None  # delivered twice: imported once
    run.refresh_from_db()
    assert run.status == RosterImport.FINISHED and run.started_at <= run.finished_at
    assert StaffProfile.objects.get(employee_no="000101").org_unit.code == "LZ0201"
    html = client.get(reverse("lms_roster_import:run", args=[run.pk])).content.decode()
    assert 'data-roster-run="finished"' in html and "window.location.reload" not in html


@pytest.mark.django_db
@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
def test_a_failed_or_abandoned_run_writes_nothing_and_says_so(client, roster_admin, staffed):
    client.force_login(roster_admin)
    upload(client, csv_bytes(CHANGES), "changes.csv")
    run = last_run()
    before = snapshot()
    with (
        patch("lms.services.roster.writing.sync_many", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        runs.run_import(run.pk)
    run.refresh_from_db()
    assert run.status == RosterImport.FAILED and "disk full" in run.error
    assert snapshot() == before  # the rows written before the failure were rolled back
    html = client.get(reverse("lms_roster_import:run", args=[run.pk])).content.decode()
    assert 'data-roster-run="failed"' in html and "没有写入任何数据" in html

    # A run whose worker died mid-import stays "running"; after half an hour it is shown as
    # stopped (its transaction never committed).
    upload(client, csv_bytes(CHANGES), "changes.csv")
    stuck = last_run()
    RosterImport.objects.filter(pk=stuck.pk).update(
        status=RosterImport.RUNNING, started_at=timezone.now() - timedelta(hours=1)
    )
    html = client.get(reverse("lms_roster_import:run", args=[stuck.pk])).content.decode()
    assert 'data-roster-run="stale"' in html and "window.location.reload" not in html


@pytest.mark.django_db
def test_only_a_clean_finished_dry_run_can_be_confirmed(client, roster_admin, staffed):
    client.force_login(roster_admin)
    upload(
        client, csv_bytes([["000909", "某人", "LZ9999", "柜员", "", ""]]), "bad.csv", dry_run=True
    )
    with_errors = last_run()
    assert with_errors.outcome["errors_total"] == 1
    upload(client, csv_bytes(CHANGES), "changes.csv")  # a real import, not a dry run
    real = last_run()
    for run in (with_errors, real):
        response = client.post(reverse("lms_roster_import:confirm", args=[run.pk]), follow=True)
        assert "只有没有问题的试运行" in response.content.decode()
    assert not RosterImport.objects.filter(confirms__isnull=False).exists()
    assert client.get(reverse("lms_roster_import:confirm", args=[real.pk])).status_code == 405


@pytest.mark.django_db
def test_admin_template_download_round_trips(client, roster_admin, org, positions):
    make_position("大堂经理")
    client.force_login(roster_admin)
    response = client.get(reverse("lms_roster_import:template"))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    header = next(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows())
    assert [cell.value for cell in header] == ZH
    report = import_roster(response.content, "template.xlsx")
    assert report.ok, report.errors
    assert report.created == 2 and report.skipped == 1  # the example leaver is not on the roster
    assert StaffProfile.objects.get(employee_no="000101").org_unit.code == "LZ0101"


@pytest.mark.django_db
def test_users_without_the_permission_are_turned_away(client, roster_admin, org):
    client.force_login(roster_admin)
    upload(client, csv_bytes(ROWS), "roster.csv", dry_run=True)
    run = last_run()
    client.force_login(admin_user("viewer", ("lms_core", "change_staffprofile")))
    for name, args in [("import", []), ("template", []), ("run", [run.pk]), ("file", [run.pk])]:
        response = client.get(reverse(f"lms_roster_import:{name}", args=args))
        assert response.status_code in (302, 403), name
    response = client.post(reverse("lms_roster_import:confirm", args=[run.pk]))
    assert response.status_code in (302, 403)
    # An id that does not exist tells them nothing more.
    assert client.get(reverse("lms_roster_import:run", args=[run.pk + 1])).status_code in (302, 403)
    response = upload(client, csv_bytes(ROWS), "roster.csv")
    assert RosterImport.objects.count() == 1
    assert not StaffProfile.objects.exists()
    client.logout()
    assert client.get(reverse("lms_roster_import:import")).status_code == 302


@pytest.mark.django_db
def test_menu_item_follows_the_permission(roster_admin):
    request = RequestFactory().get("/admin/")
    item = RosterImportViewSet().get_menu_item()
    request.user = roster_admin
    assert item.is_shown(request)
    request.user = admin_user("viewer", ("lms_core", "change_staffprofile"))
    assert not item.is_shown(request)


@pytest.mark.django_db
def test_the_recent_imports_list_costs_the_same_queries_for_many_runs(client, roster_admin):
    client.force_login(roster_admin)

    def add_runs(count):
        RosterImport.objects.bulk_create(
            RosterImport(
                file="roster-imports/x.csv",
                filename=f"{n}.csv",
                uploaded_by=UserFactory(),
                status=RosterImport.FINISHED,
                outcome={"ok": True, "created": n, "changed": 0, "leaving": 0},
                details={"changes": [{"row": 2}] * 500},
            )
            for n in range(count)
        )

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("lms_roster_import:import"))
        assert response.status_code == 200
        # The rows of each run stay in the database: the list reads only the counts.
        assert all(
            '"details"' not in query["sql"]
            for query in captured.captured_queries
            if "lms_core_rosterimport" in query["sql"]
        )
        return len(captured), len(response.context["recent_runs"])

    client.get(reverse("lms_roster_import:import"))  # first request's one-off lookups
    add_runs(2)
    few = queries()
    add_runs(20)
    many = queries()
    assert few[0] == many[0] and (few[1], many[1]) == (2, 20)
