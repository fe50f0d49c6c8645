"""A small bank for the complaint loop's tests: 营业部 (LZ0101) with tellers 甲 and 乙 and a head
丙, 东岗 (LZ0102) with teller 丁; this year's published plan with two targeted courses; a rule
"信息披露" (reason C.5 → the disclosure course, for the staff named, due in 14 days) and a rule
"银行卡" (business B.3 → the card course, for the unit's front-line staff, due in 30 days)."""

from datetime import date

from django.utils import timezone

from lms import services
from lms.models import Complaint, ComplaintRule, Position, TrainingPlan
from quizzes.models import ClassificationCode
from tests.factories import make_course, make_item, make_org, make_plan, make_staff


def code(value):
    return ClassificationCode.objects.get(code=value)


def build_world(catalog):
    org = make_org()
    teller = Position.objects.create(name="柜员", staff_level=Position.FRONT_LINE)
    head = Position.objects.create(name="网点负责人", staff_level=Position.MANAGEMENT)
    today = timezone.localdate()
    plan = make_plan(year=today.year, status=TrainingPlan.PUBLISHED)
    course = make_course(catalog, title="信息披露要点", slug="disclosure", lessons=1)
    card = make_course(catalog, title="银行卡风险提示", slug="card", lessons=1)
    item = make_item(
        plan, "信息披露要点", course=course, targeted=True, due_date=date(today.year, 12, 31)
    )
    card_item = make_item(plan, "银行卡风险提示", course=card, targeted=True)
    people = {
        "T1": make_staff("3001", org["LZ0101"], teller, name="甲"),
        "T2": make_staff("3002", org["LZ0101"], teller, name="乙"),
        "H": make_staff("3003", org["LZ0101"], head, name="丙"),
        "T3": make_staff("3004", org["LZ0102"], teller, name="丁"),
    }
    services.publish_plan(plan)
    rule = ComplaintRule.objects.create(name="信息披露", reason=code("C.5"), due_days=14)
    rule.items.set([item])
    card_rule = ComplaintRule.objects.create(
        name="银行卡", business=code("B.3"), audience=ComplaintRule.FRONT_LINE, due_days=30
    )
    card_rule.items.set([card_item])
    return {
        "org": org,
        "plan": plan,
        "item": item,
        "card_item": card_item,
        "course": course,
        "people": people,
        "today": today,
    }


def complaint(world, number, reason="C.5", business="B.1", staff=("T1",), unit="LZ0101"):
    row = Complaint.objects.create(
        number=number,
        received_on=world["today"],
        channel=code("A.1.1"),
        business=code(business),
        reason=code(reason),
        org_unit=world["org"][unit],
        source=Complaint.IMPORT,
    )
    row.staff.set([world["people"][name] for name in staff])
    return row
