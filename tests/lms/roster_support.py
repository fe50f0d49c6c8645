"""Roster files for the tests: the columns, sample rows and changes, workbooks and CSV in any
encoding, and snapshots of everything an import may write."""

import csv
import io

from django.contrib.auth import get_user_model
from openpyxl import Workbook
from wagtail.models import ModelLogEntry

from lms.models import Assignment, Position, StaffProfile

ZH = ["工号", "姓名", "机构", "岗位", "入职日期", "状态"]


EN = ["Employee No", "NAME", "org_unit", "Position", "hire_date", "status"]


ROWS = [
    ["000101", "张三", "LZ0101", "柜员", "2020-03-01", "在职"],
    ["000102", "李四", "东岗网点", "柜员", "2026/2/1", ""],
    ["000201", "王五", "LZ0201", "网点负责人", "20190501", "active"],
]


User = get_user_model()


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


CHANGES = [
    ["000101", "张三", "LZ0201", "柜员", "2020-03-01", "在职"],  # transfer
    ["000102", "李思", "LZ0102", "柜员", "2026-02-01", "在职"],  # renamed
    ["000103", "王五", "LZ0101", "网点负责人", "2015-01-01", "离职"],  # leaving
    ["000301", "新人", "LZ0102", "柜员", "2026-09-01", ""],  # new
    ["000302", "早走了", "LZ0102", "柜员", "", "离职"],  # a leaver never on the roster
]  # 000201 is not in the file: untouched
