"""The demo's complaint register and its loop (投诉溯源整改): about 200 invented complaints over
the year so far (no real person, no personal data), classified on the three dimensions, two
targeted items in the plan, three rules, the training they caused — some done, some overdue —
and one outlet (城关支行营业部, LZ0101) whose sales-disclosure complaints fell after its staff
took the targeted course in April.

Everything goes through the services with the clock set to each complaint's day
(``config.demo.clock.at``), so the assignments, records and links carry those days."""

import random
from datetime import date, datetime, timedelta

from django.utils import timezone

from config.demo.clock import at
from config.demo.people import _read_and_complete
from courses.models import LessonPage
from lms.models import Complaint, ComplaintRule, PlanItem, StaffProfile
from lms.services.complaints.targeting import apply_rules
from quizzes.models import ClassificationCode

TARGETED = [  # (title, course index in the demo plan's courses, credit hours)
    ("针对性培训：销售过程中的告知与适当性", 1, 1),
    ("针对性培训：典型投诉案例复盘", 2, 1),
]
RULES = [  # (name, reason code, item index, audience, due days)
    ("营销方式和手段类投诉 → 销售告知培训", "C.4", 0, ComplaintRule.NAMED_STAFF, 14),
    ("信息披露类投诉 → 销售告知培训", "C.5", 0, ComplaintRule.NAMED_STAFF, 14),
    ("服务态度及服务质量类投诉 → 网点一线人员案例复盘", "C.1", 1, ComplaintRule.FRONT_LINE, 21),
]
# Weighted code lists: (code, weight).
CHANNELS = [("A.1.1", 55), ("A.1.3.3", 18), ("A.1.3.2", 12), ("A.1.2", 8), ("A.1.4", 4), ("A.2", 3)]
BUSINESS = [
    ("B.1", 20),
    ("B.3.1", 15),
    ("B.5", 18),
    ("B.4.1", 10),
    ("B.2", 12),
    ("B.6", 10),
    ("B.3.3", 5),
    ("B.14", 10),
]
REASONS = [
    ("C.1", 30),
    ("C.2", 8),
    ("C.3", 12),
    ("C.4", 14),
    ("C.5", 12),
    ("C.7", 10),
    ("C.9", 4),
    ("C.10", 6),
    ("C.11", 4),
]
SUMMARIES = {
    "C.1": ["客户反映柜面等候时间长，工作人员解释不耐心。", "客户认为大堂经理引导时态度生硬。"],
    "C.2": ["客户反映自助设备吞卡后处理缓慢。", "手机银行升级期间无法转账，客户不满。"],
    "C.3": ["客户对挂失补卡需本人到场的规定有异议。", "客户认为开户资料要求繁琐且前后说法不一。"],
    "C.4": [
        "客户称办理存款时被推荐购买保险产品，未说明是代销。",
        "客户反映理财经理以“保本”字样推介净值型产品。",
    ],
    "C.5": ["客户称购买理财时未被告知赎回费用。", "客户反映产品风险等级未向其充分揭示。"],
    "C.7": ["客户对账户管理费收取有异议，称事先不知情。", "客户认为短信通知服务费未经同意开通。"],
    "C.9": ["客户对贷款合同中提前还款条款理解有分歧。"],
    "C.10": ["客户反映银行卡被盗刷，要求说明处理进度。"],
    "C.11": ["客户担心个人信息被用于营销电话。"],
}
FEW_AFTER_TRAINING = "LZ0101"  # sales complaints fall after its staff trained in April


def _weighted(rng, pairs):
    return rng.choices([code for code, _w in pairs], weights=[w for _c, w in pairs])[0]


def _moment(day, hour=10):
    return datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_current_timezone())


def ensure_targeted(plan, courses):
    items = []
    for order, (title, course_index, hours) in enumerate(TARGETED, start=50):
        item = PlanItem.objects.filter(plan=plan, title=title).first()
        if item is None:
            item = PlanItem.objects.create(
                plan=plan,
                title=title,
                kind=PlanItem.COURSE,
                course=courses[course_index],
                targeted=True,
                open_date=date(plan.year, 1, 1),
                due_date=date(plan.year, 12, 31),
                credit_hours=hours,
                sort_order=order,
            )
        items.append(item)
    return items


def ensure_rules(items, officer):
    codes = {c.code: c for c in ClassificationCode.objects.all()}
    for name, reason, item_index, audience, due_days in RULES:
        rule, created = ComplaintRule.objects.get_or_create(
            name=name,
            defaults={
                "reason": codes[reason],
                "audience": audience,
                "due_days": due_days,
                "lookback_days": 90,
                "created_by": officer,
            },
        )
        if created:
            rule.items.set([items[item_index]])


def _days(rng, year, today, count):
    first = date(year, 1, 3)
    span = (today - first).days
    return sorted(first + timedelta(days=rng.randrange(max(span, 1))) for _n in range(count))


def _complaints(rng, year, today, outlets):
    """``(day, outlet, reason code)`` for the year so far: ~200, LZ0101's sales complaints
    mostly before May."""
    rows = []
    for day in _days(rng, year, today, 190):
        outlet = rng.choice(outlets)
        reason = _weighted(rng, REASONS)
        if outlet.code == FEW_AFTER_TRAINING and reason in ("C.4", "C.5") and day.month >= 5:
            reason = "C.3"  # after its training, that outlet's sales complaints are rare
        rows.append((day, outlet, reason))
    special = [o for o in outlets if o.code == FEW_AFTER_TRAINING]
    for month, dom, reason in (
        (1, 12, "C.4"),
        (2, 8, "C.5"),
        (2, 23, "C.4"),
        (3, 9, "C.5"),
        (3, 27, "C.4"),
        (7, 14, "C.5"),
    ):
        day = date(year, month, dom)
        if special and day <= today:
            rows.append((day, special[0], reason))
    return sorted(rows, key=lambda row: row[0])


def _complete(user, course, moment, rng):
    lessons = LessonPage.objects.child_of(course).live().specific().order_by("path")
    with at(moment):
        for lesson in lessons:
            _read_and_complete(user, lesson, rng)


def load_complaints(plan, courses, outlets, officer):
    """The register, rules and training (nothing if the register is there already)."""
    if Complaint.objects.exists() or officer is None:
        return 0
    rng = random.Random(20260315)  # noqa: S311 - deterministic demo data
    today = timezone.localdate()
    items = ensure_targeted(plan, courses)
    ensure_rules(items, officer)
    codes = {c.code: c for c in ClassificationCode.objects.all()}
    staff_of = {
        o.pk: list(
            StaffProfile.objects.filter(org_unit=o, is_active=True, position__high_complaint=True)
        )
        for o in outlets
    }
    made = 0
    for number, (day, outlet, reason) in enumerate(_complaints(rng, plan.year, today, outlets), 1):
        with at(_moment(day)):
            complaint = Complaint.objects.create(
                number=f"TS{plan.year}{number:04d}",
                received_on=day,
                channel=codes[_weighted(rng, CHANNELS)],
                business=codes[_weighted(rng, BUSINESS)],
                reason=codes[reason],
                org_unit=outlet,
                summary=rng.choice(SUMMARIES[reason]),
                closed_on=min(day + timedelta(days=rng.randint(2, 15)), today),
                at_fault=rng.random() < 0.4,
                source=Complaint.IMPORT,
            )
            people = staff_of[outlet.pk]
            if people:
                complaint.staff.set(rng.sample(people, k=min(len(people), rng.choice([1, 1, 2]))))
            apply_rules([complaint], today=day)
        made += 1
    _train(rng, items, today)
    return made


def _train(rng, items, today):
    """Most targeted training is done within days; some is late or not done (overdue); the
    special outlet's staff finish theirs in April."""
    for item in items:
        for assignment in item.assignments.filter(status="open").select_related("staff__user"):
            special = (
                assignment.org_unit.code == FEW_AFTER_TRAINING and item.title == TARGETED[0][0]
            )
            start = timezone.localdate(assignment.assigned_at)
            if special:
                day = max(start + timedelta(days=3), date(today.year, 4, 10))
            elif rng.random() < 0.8:
                day = start + timedelta(days=rng.randint(2, 25))
            else:
                continue  # still to do: overdue once past its due date
            if day < today:
                _complete(assignment.staff.user, item.course, _moment(day, 15), rng)
