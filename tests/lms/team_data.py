"""A small bank for the dashboard tests, with the demo's roles: ``manager`` (head of LZ0101),
``manager2`` (head of LZ0201), ``teller`` (a learner in LZ0101), ``trainer`` (Trainers, no
staff records) and ``officer`` (Officers: sees every unit).

Plan 2026: item A (due 31 March, targets 25/50/75/100) and item B (due 30 June, no targets),
both for everyone. Staff: LZ0101 manager, teller, t2; LZ0102 b1; LZ0201 manager2, c1.
"""

from datetime import date, datetime
from unittest import mock
from zoneinfo import ZoneInfo

from lms import services
from lms.models import Assignment, CompletionRecord
from tests.factories import make_item, make_org, make_plan, make_staff

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 4, 15)


def at(day, hour=10):
    return datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


def frozen(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment)


def complete(assignment, when):
    """Complete ``assignment`` as the services do: a record, then the assignment."""
    staff = assignment.staff
    record = services.record_completion(
        staff.user,
        staff=staff,
        kind=CompletionRecord.COURSE,
        title=assignment.plan_item.title,
        completed_at=when,
        method=CompletionRecord.ONLINE,
        credit_hours=1,
        credited_unit=assignment.org_unit,
    )
    Assignment.objects.filter(pk=assignment.pk).update(
        status=Assignment.COMPLETED, completed_at=when, record=record
    )
    return record


def build(officer, trainer):
    units = make_org()
    people = {
        "manager": make_staff("manager", units["LZ0101"], name="经理一"),
        "teller": make_staff("teller", units["LZ0101"], name="柜员甲"),
        "t2": make_staff("t2", units["LZ0101"], name="柜员乙"),
        "b1": make_staff("b1", units["LZ0102"], name="东岗员工"),
        "manager2": make_staff("manager2", units["LZ0201"], name="经理二"),
        "c1": make_staff("c1", units["LZ0201"], name="西站员工"),
    }
    people["manager"].managed_units.add(units["LZ0101"])
    people["manager2"].managed_units.add(units["LZ0201"])
    plan = make_plan(2026)
    item_a = make_item(
        plan,
        "投诉处理",
        everyone=True,
        due_date=date(2026, 3, 31),
        quarterly_targets=[25, 50, 75, 100],
        sort_order=1,
    )
    item_b = make_item(plan, "销售过程", everyone=True, due_date=date(2026, 6, 30), sort_order=2)
    services.publish_plan(plan)
    plan.refresh_from_db()
    return {
        "units": units,
        "people": people,
        "plan": plan,
        "items": (item_a, item_b),
        "users": {
            "manager": people["manager"].user,
            "manager2": people["manager2"].user,
            "teller": people["teller"].user,
            "trainer": trainer,
            "officer": officer,
        },
    }


def assignment(data, person, item):
    return Assignment.objects.select_related("staff__user", "plan_item", "org_unit").get(
        staff=data["people"][person], plan_item=item
    )


def standard_progress(data):
    """LZ0101: teller did A and B, t2 did A, manager nothing (A overdue on TODAY);
    LZ0102: b1 did A; LZ0201: c1 did B, manager2 nothing. Everything completed in Q1."""
    item_a, item_b = data["items"]
    complete(assignment(data, "teller", item_a), at(date(2026, 1, 6)))
    complete(assignment(data, "teller", item_b), at(date(2026, 2, 3)))
    complete(assignment(data, "t2", item_a), at(date(2026, 2, 4)))
    complete(assignment(data, "b1", item_a), at(date(2026, 3, 2)))
    complete(assignment(data, "c1", item_b), at(date(2026, 3, 3)))
