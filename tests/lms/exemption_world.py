"""A small bank for the exemption tests: two tellers of 城关支行 (LZ01) and one of 七里河支行
(LZ02), a published plan with an item due yesterday (overdue) and one due in a month, the
officer and the head of 城关支行 (a manager, in the Managers group)."""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import Group
from django.utils import timezone

from lms import services
from lms.services.roles import MANAGERS
from tests.factories import make_item, make_org, make_plan, make_staff


@dataclass
class World:
    org: dict
    plan: object
    overdue_item: object
    later_item: object
    people: dict
    officer: object
    manager: object
    other_manager: object


def build(officer):
    """Needs the roles (``ensure_roles``) and ``officer`` in the Officers group."""
    org = make_org()
    today = timezone.localdate()
    plan = make_plan(today.year)
    overdue_item = make_item(
        plan,
        "消保知识必修课",
        everyone=True,
        open_date=today - timedelta(days=30),
        due_date=today - timedelta(days=1),
    )
    later_item = make_item(
        plan,
        "投诉处理",
        everyone=True,
        open_date=today - timedelta(days=30),
        due_date=today + timedelta(days=30),
    )
    people = {
        "000101": make_staff("000101", org["LZ0101"], name="李一"),
        "000102": make_staff("000102", org["LZ0102"], name="王二"),
        "000201": make_staff("000201", org["LZ0201"], name="孙四"),
        "head01": make_staff("900001", org["LZ01"], name="城关行长"),
        "head02": make_staff("900002", org["LZ02"], name="七里河行长"),
    }
    people["head01"].managed_units.add(org["LZ01"])
    people["head02"].managed_units.add(org["LZ02"])
    managers = Group.objects.get(name=MANAGERS)
    people["head01"].user.groups.add(managers)
    people["head02"].user.groups.add(managers)
    services.publish_plan(plan)
    return World(
        org=org,
        plan=plan,
        overdue_item=overdue_item,
        later_item=later_item,
        people=people,
        officer=officer,
        manager=people["head01"].user,
        other_manager=people["head02"].user,
    )
