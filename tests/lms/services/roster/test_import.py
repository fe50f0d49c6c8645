"""Importing a roster: dry-run diffs, re-imports that change nothing, leavers, transfers and
reactivation with the plan kept in step, existing accounts linked."""

from datetime import date

import pytest
from django.db import transaction
from django.utils import translation

from lms import services
from lms.models import Assignment, StaffProfile
from lms.services.plans import sync_many
from lms.services.roster import import_roster
from lms.services.roster.report import StaffChange
from tests.factories import UserFactory, make_item, make_plan
from tests.lms.roster_support import (
    CHANGES,
    ROWS,
    ZH,
    csv_bytes,
    error_rows,
    snapshot,
    xlsx_bytes,
)


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
