"""Builders shared by the reminder tests: a small bank with managers and a published plan."""

from datetime import date, timedelta

from lms import services
from lms.models import Assignment, Reminder
from lms.services.reminders.daily import send_due_reminders
from tests.factories import make_item, make_org, make_plan, make_staff

# A Wednesday; the Monday before it is 2026-06-08.
TODAY = date(2026, 6, 10)
MONDAY = date(2026, 6, 8)


def days(n):
    return timedelta(days=n)


def bank():
    """Units from ``make_org`` and their people:

    - LZ0101 城关营业部: ``head01`` (manages it) and ``teller01``;
    - LZ0102 东岗网点: ``teller02`` (no manager: the sub-branch head is the nearest);
    - LZ0201 西站网点: ``head21`` (manages it) and ``teller21``;
    - LZ01 城关支行: ``subhead`` (manages LZ01 and everything below).
    """
    units = make_org()
    people = {}
    for employee_no, code, name in [
        ("head01", "LZ0101", "张一"),
        ("teller01", "LZ0101", "李二"),
        ("teller02", "LZ0102", "王三"),
        ("head21", "LZ0201", "赵四"),
        ("teller21", "LZ0201", "钱五"),
        ("subhead", "LZ01", "孙六"),
    ]:
        staff = make_staff(employee_no, units[code], name=name)
        staff.user.email = f"{employee_no}@bank.example"
        staff.user.save(update_fields=["email"])
        people[employee_no] = staff
    people["head01"].managed_units.add(units["LZ0101"])
    people["head21"].managed_units.add(units["LZ0201"])
    people["subhead"].managed_units.add(units["LZ01"])
    return units, people


def publish(title="反洗钱与消保培训", due=None, **kwargs):
    """A published plan with one item for everyone (or for ``units``), due ``due``; returns
    the item. ``due`` defaults to a week from ``TODAY``."""
    due = due or TODAY + days(7)
    plan = make_plan(year=due.year)
    kwargs.setdefault("everyone", not kwargs.get("units"))
    item = make_item(plan, title, due_date=due, **kwargs)
    services.publish_plan(plan)
    return item


def assignment(staff, item):
    return Assignment.objects.get(staff=staff, plan_item=item)


def run(capture, day, **kwargs):
    """``send_due_reminders(day)`` with its on-commit emails sent."""
    with capture(execute=True):
        return send_due_reminders(day, **kwargs)


def sent(kind, **filters):
    return Reminder.objects.filter(kind=kind, **filters)
