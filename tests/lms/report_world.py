"""A small organisation for the report, export and transcript tests.

LZ0101 (managed by ``manager``): manager, teller, 100101 (named like a formula), 100103 (a
leaver). LZ0102: 100102 (a leaver). LZ0201 (managed by ``manager2``): manager2, 200101.
One plan of this year, two items: "+消保基础" due yesterday, "投诉处理" due today; everyone has
both. teller completed the first (a record of 95 points, 1.5 hours); 200101 too; manager
started the second; 100103's second was withdrawn.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.users.models import UserProfile

from lms.models import Assignment, CompletionRecord, TrainingPlan
from lms.services import MANAGERS, ensure_roles, record_completion
from tests.factories import UserFactory, make_item, make_org, make_plan, make_position, make_staff

FORMULA_NAME = '=HYPERLINK("http://evil.example/","点我")'
COMPLETED_AT = datetime.datetime(2026, 3, 1, 2, 30, tzinfo=datetime.UTC)  # 10:30 in Beijing


@dataclass
class World:
    units: dict
    staff: dict
    users: dict
    plan: TrainingPlan
    items: list
    records: dict
    today: datetime.date
    assignments: dict = None


def english(user, language="en"):
    """Admin pages follow the user's profile language: English keeps the tests independent of
    the catalogs (``language`` another one, for the tests of the translations)."""
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


def assign(staff, item, **fields):
    return Assignment.objects.create(
        staff=staff, plan_item=item, org_unit=staff.org_unit, due_date=item.due_date, **fields
    )


def complete(assignment, score="95", hours="1.5", at=COMPLETED_AT, **fields):
    record = record_completion(
        assignment.staff.user,
        staff=assignment.staff,
        kind=CompletionRecord.COURSE,
        title=assignment.plan_item.title,
        completed_at=at,
        method=CompletionRecord.ONLINE,
        score=Decimal(score),
        credit_hours=Decimal(hours),
        credited_unit=assignment.org_unit,
        **fields,
    )
    assignment.status, assignment.completed_at, assignment.record = (
        Assignment.COMPLETED,
        at,
        record,
    )
    assignment.save()
    return record


def build_world(catalog):
    trainers, officers, _workflow = ensure_roles(catalog)
    managers = Group.objects.get(name=MANAGERS)
    units = make_org()
    teller_position = make_position("柜员")
    head = make_position("网点负责人")
    staff = {
        "manager": make_staff("manager", units["LZ0101"], head, name="张建国"),
        "teller": make_staff("teller", units["LZ0101"], teller_position, name="王晓燕"),
        "100101": make_staff("100101", units["LZ0101"], teller_position, name=FORMULA_NAME),
        "100103": make_staff("100103", units["LZ0101"], teller_position, name="钱五"),
        "100102": make_staff("100102", units["LZ0102"], teller_position, name="李四"),
        "manager2": make_staff("manager2", units["LZ0201"], head, name="赵敏"),
        "200101": make_staff("200101", units["LZ0201"], teller_position, name="孙六"),
    }
    for code in ("100102", "100103"):
        staff[code].is_active = False
        staff[code].left_at = timezone.now()
        staff[code].save()
    staff["manager"].managed_units.add(units["LZ0101"])
    staff["manager2"].managed_units.add(units["LZ0201"])
    for name in ("manager", "manager2"):
        staff[name].user.groups.add(managers)
    users = {name: english(staff[name].user) for name in ("manager", "manager2", "teller")}
    users["trainer"] = english(UserFactory(username="trainer"))
    users["trainer"].groups.add(trainers)
    users["officer"] = english(UserFactory(username="officer"))
    users["officer"].groups.add(officers)

    today = timezone.localdate()
    plan = make_plan(year=today.year, status=TrainingPlan.PUBLISHED)
    items = [
        make_item(plan, "+消保基础", sort_order=1, due_date=today - datetime.timedelta(days=1)),
        make_item(plan, "投诉处理", sort_order=2, due_date=today),
    ]
    assignments = {
        (code, index): assign(person, item)
        for code, person in staff.items()
        for index, item in enumerate(items)
    }
    records = {
        "teller": complete(assignments["teller", 0]),
        "200101": complete(assignments["200101", 0], score="80", hours="1.0"),
    }
    started = assignments["manager", 1]
    started.started_at = timezone.now()
    started.save()
    withdrawn = assignments["100103", 1]
    withdrawn.status, withdrawn.withdrawn_at = Assignment.WITHDRAWN, timezone.now()
    withdrawn.save()
    return World(units, staff, users, plan, items, records, today, assignments)
