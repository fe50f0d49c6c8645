"""The complaint register's tests (services, API, admin, command): a small bank with people,
an outlet manager, and register rows as a file would have them."""

from datetime import date

from django.contrib.auth.models import Group

from lms.services.roles import MANAGERS
from tests.factories import UserFactory, make_org, make_position, make_staff
from tests.lms.roster_support import csv_bytes as _csv_bytes
from tests.lms.roster_support import xlsx_bytes as _xlsx_bytes

HEADER = [
    "投诉编号",
    "受理日期",
    "受理渠道",
    "业务类别",
    "投诉原因",
    "涉及机构",
    "涉及员工工号",
    "摘要",
    "办结日期",
    "是否有责",
]
# An invented ID number, mobile and card number (none is a real person's).
SUMMARY_WITH_NUMBERS = (
    "客户张某（身份证11010519491231002X，手机13812345678）称卡号6222 0212 3456 7890 123"
    "于2026-03-01被扣费12,345.67元"
)


def row(number="TS001", **values):
    """A register row; keyword arguments override columns by their key."""
    base = {
        "number": number,
        "received_on": date(2026, 3, 2),
        "channel": "营业现场",
        "business": "B.5",
        "reason": "C.5 信息披露",
        "unit": "LZ0101",
        "staff": "000101、000102",
        "summary": "客户称购买理财时未被告知风险等级。",
        "closed_on": date(2026, 3, 9),
        "at_fault": "有责",
    }
    base.update(values)
    return list(base.values())


def xlsx_bytes(rows, header=HEADER):
    return _xlsx_bytes(rows, header=header)


def csv_bytes(rows, header=HEADER, encoding="utf-8"):
    return _csv_bytes(rows, header=header, encoding=encoding)


def build(roles):
    """兰州分行's units (``make_org``), four people and 城关支行's manager (LZ01 and below)."""
    units = make_org()
    teller = make_position("柜员")
    people = {
        "000101": make_staff("000101", units["LZ0101"], teller, name="李一"),
        "000102": make_staff("000102", units["LZ0101"], teller, name="王二"),
        "000103": make_staff("000103", units["LZ0102"], teller, name="赵三"),
        "000201": make_staff("000201", units["LZ0201"], teller, name="孙四"),
    }
    manager_user = UserFactory(username="900001")
    manager = make_staff("900001", units["LZ01"], name="周经理", user=manager_user)
    manager.managed_units.add(units["LZ01"])
    manager_user.groups.add(Group.objects.get(name=MANAGERS))
    return {"units": units, "people": people, "manager": manager_user}
