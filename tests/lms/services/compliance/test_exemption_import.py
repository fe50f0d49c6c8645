"""Granting exemptions and extensions from a spreadsheet: all or nothing, row-numbered errors,
dry run, officers only."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook

from lms.models import Assignment, Exemption
from lms.services.compliance.exemption_import import import_exemptions, template_workbook
from tests.lms import exemption_world

pytestmark = pytest.mark.django_db

HEADER = ("工号", "培训项目", "类型", "延期至", "原因")


@pytest.fixture
def world(roles, officer):
    return exemption_world.build(officer)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def xlsx(rows, header=HEADER):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def statuses(world):
    return dict(
        Assignment.objects.filter(plan_item=world.overdue_item).values_list(
            "staff__employee_no", "status"
        )
    )


def test_a_valid_sheet_grants_everything_and_a_dry_run_nothing(world):
    later = timezone.localdate() + timedelta(days=20)
    data = xlsx(
        [
            ["000101", "消保知识必修课", "豁免", "", "长期病假"],
            ["000102", str(world.overdue_item.pk), "延期", later, "外派学习"],
            ["000201", "投诉处理", "exempt", "", "调岗"],
        ]
    )
    dry = import_exemptions(world.plan, world.officer, data, "豁免.xlsx", dry_run=True)
    assert dry.ok and not dry.written and len(dry.granted) == 3, dry.errors
    assert Exemption.objects.count() == 0
    report = import_exemptions(world.plan, world.officer, data, "豁免.xlsx")
    assert report.ok and report.written, report.errors
    rows = Exemption.objects.order_by("pk")
    assert [(r.staff.employee_no, r.kind, r.status) for r in rows] == [
        ("000101", Exemption.EXEMPT, Exemption.APPROVED),
        ("000102", Exemption.EXTENSION, Exemption.APPROVED),
        ("000201", Exemption.EXEMPT, Exemption.APPROVED),
    ]
    assert all(r.decided_by == world.officer for r in rows)
    assert statuses(world)["000101"] == Assignment.EXEMPT
    assert (
        Assignment.objects.get(staff__employee_no="000102", plan_item=world.overdue_item).due_date
        == later
    )


def test_one_bad_row_grants_nothing_and_every_problem_has_its_row(world):
    yesterday = world.overdue_item.due_date
    data = xlsx(
        [
            ["000101", "消保知识必修课", "豁免", "", "长期病假"],  # row 2: fine
            ["999999", "消保知识必修课", "豁免", "", "x"],  # 3: nobody
            ["000102", "没有这个项目", "豁免", "", "x"],  # 4: no item
            ["000102", "消保知识必修课", "请假", "", "x"],  # 5: kind
            ["000102", "消保知识必修课", "延期", yesterday, "x"],  # 6: not later
            ["000201", "消保知识必修课", "延期", "明天", "x"],  # 7: no date
            ["000201", "投诉处理", "豁免", "", ""],  # 8: no reason
            ["000101", "消保知识必修课", "豁免", "", "again"],  # 9: twice
        ]
    )
    report = import_exemptions(world.plan, world.officer, data, "豁免.xlsx")
    assert not report.ok and not report.written
    rows = [row for row, _message in report.errors]
    assert rows == [3, 4, 5, 6, 7, 8, 9], report.errors
    messages = dict(report.errors)
    assert "999999" in messages[3]
    assert "没有这个项目" in messages[4]
    assert "must be after the current one" in messages[6]
    assert "also on row 2" in messages[9]
    assert Exemption.objects.count() == 0
    assert set(statuses(world).values()) == {Assignment.OPEN}


def test_only_officers_import(world):
    data = xlsx([["000101", "消保知识必修课", "豁免", "", "x"]])
    report = import_exemptions(world.plan, world.manager, data, "豁免.xlsx")
    assert not report.ok and report.errors[0][0] is None
    assert Exemption.objects.count() == 0


def test_the_template_has_the_headers_and_imports_as_a_dry_run(world):
    sheet = load_workbook(io.BytesIO(template_workbook())).active
    assert [cell.value for cell in sheet[1]] == list(HEADER)
    report = import_exemptions(
        world.plan, world.officer, template_workbook(), "t.xlsx", dry_run=True
    )
    # The example's extension date may be in the past; the first row (an exemption) is valid.
    assert 2 not in [row for row, _message in report.errors]
