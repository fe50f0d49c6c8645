"""Demo organisation, staff and the year's training plan, with a realistic mix of done, in
progress and overdue. Idempotent: nothing is created twice; completions are simulated only when
the plan is first created, through the same services a learner's clicks use."""

import random
from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from config.demo import pace, renewals
from config.demo.clock import at, publish_at_start_of_year
from config.demo.leave import correct_one, grant_leave
from config.demo.offline import load_offline
from courses import services as course_services
from courses.models import CoursePage, LessonPage, QuizStepPage
from lms.models import OrgUnit, PlanItem, Position, PositionHours, StaffProfile, TrainingPlan
from quizzes import services as quiz_services

BRANCH = ("LZ", "兰州分行")
SUB_BRANCHES = [
    ("LZ01", "城关支行", ["营业部", "东岗网点", "雁滩网点", "南关网点"]),
    ("LZ02", "七里河支行", ["西站网点", "敦煌路网点", "小西湖网点"]),
    ("LZ03", "安宁支行", ["营业部", "培黎广场网点", "安宁西路网点"]),
    ("LZ04", "西固支行", ["营业部", "福利路网点", "陈坪网点"]),
]
POSITIONS = [  # (name, high-complaint role, staff group)
    ("柜员", True, Position.FRONT_LINE),
    ("大堂经理", True, Position.FRONT_LINE),
    ("理财经理", True, Position.FRONT_LINE),
    ("客户经理", False, Position.FRONT_LINE),
    ("网点负责人", False, Position.MANAGEMENT),
    ("消保专员", False, Position.OTHER),
]
# Per outlet: how many of each position (13 outlets × 9 ≈ 120 staff with the demo accounts).
OUTLET_STAFF = [("柜员", 4), ("大堂经理", 1), ("理财经理", 2), ("客户经理", 1), ("网点负责人", 1)]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志远晓燕海波宁"

# Demo accounts: (username, outlet code, position).
PLACED_ACCOUNTS = [
    ("teller", "LZ0101", "柜员"),
    ("manager", "LZ0101", "网点负责人"),
    ("teller2", "LZ0201", "柜员"),
    ("manager2", "LZ0201", "网点负责人"),
    ("officer", "LZ", "消保专员"),
    ("trainer", "LZ", None),
]


def ensure_org():
    branch = OrgUnit.objects.filter(code=BRANCH[0]).first() or OrgUnit.add_root(
        code=BRANCH[0], name=BRANCH[1], kind=OrgUnit.BRANCH
    )
    outlets = []
    for code, name, outlet_names in SUB_BRANCHES:
        sub = OrgUnit.objects.filter(code=code).first()
        if sub is None:
            sub = OrgUnit.objects.get(pk=branch.pk).add_child(
                code=code, name=name, kind=OrgUnit.SUB_BRANCH
            )
        for number, outlet_name in enumerate(outlet_names, start=1):
            outlet_code = f"{code}{number:02d}"
            outlet = OrgUnit.objects.filter(code=outlet_code).first()
            if outlet is None:
                outlet = OrgUnit.objects.get(pk=sub.pk).add_child(
                    code=outlet_code,
                    name=f"{name}{outlet_name}",
                    kind=OrgUnit.OUTLET,
                )
            outlets.append(outlet)
    return OrgUnit.objects.get(pk=branch.pk), outlets


def ensure_positions():
    return {
        name: Position.objects.get_or_create(
            name=name,
            defaults={"high_complaint": high, "staff_level": level, "sort_order": order},
        )[0]
        for order, (name, high, level) in enumerate(POSITIONS)
    }


def ensure_staff(users, outlets, positions):
    """The demo accounts placed in their outlets, and generated staff around them."""
    user_model = get_user_model()
    units = {unit.code: unit for unit in OrgUnit.objects.all()}
    rng = random.Random(2026)  # noqa: S311 - deterministic demo names
    for username, code, position in PLACED_ACCOUNTS:
        user = users[username]
        profile, _created = StaffProfile.objects.get_or_create(
            user=user,
            defaults={
                "employee_no": username,
                "name": user.get_full_name(),
                "org_unit": units[code],
                "position": positions.get(position),
                "hire_date": date(2018, 7, 1),
            },
        )
        if position == "网点负责人":  # the outlet head manages their outlet
            profile.managed_units.add(units[code])
    number = 100000
    for outlet in outlets:
        for position, count in OUTLET_STAFF:
            for _index in range(count):
                number += 1
                employee_no = f"{number:06d}"
                name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice([1, 2])))
                if StaffProfile.objects.filter(employee_no=employee_no).exists():
                    continue
                hired = date(rng.choice([2012, 2016, 2019, 2022, 2024, 2026]), rng.randint(1, 9), 1)
                user = user_model(username=employee_no, first_name=name)
                user.set_unusable_password()
                user.save()
                profile = StaffProfile.objects.create(
                    user=user,
                    employee_no=employee_no,
                    name=name,
                    org_unit=outlet,
                    position=positions[position],
                    hire_date=hired,
                )
                if position == "网点负责人":
                    profile.managed_units.add(outlet)


def ensure_plan(courses, annual_test, positions):
    """The current year's plan, modelled on a bank's 年度消保与服务培训计划. Returns
    ``(plan, created)``."""
    year = timezone.localdate().year
    plan = TrainingPlan.objects.filter(year=year).first()
    if plan is not None:
        return plan, False
    plan = TrainingPlan(
        year=year,
        title=f"{year}年度消保与服务培训计划",
        required_hours=4,
    )
    high = [p for p in positions.values() if p.high_complaint]
    plan.position_hours = [PositionHours(position=p, hours=6) for p in high]
    plan.save()
    complaint, sales, cases = courses
    # Quarterly targets that reach 100 % by each item's due date; the annual test is sat in
    # the second half of the year.
    # The complaint-handling course counts for 12 months (config.demo.renewals).
    rows = [
        (
            complaint.title,
            complaint,
            None,
            dict(everyone=True, validity_kind=PlanItem.MONTHS, validity_months=12),
            date(year, 6, 30),
            1,
            [50, 100],
        ),
        (sales.title, sales, None, dict(positions=high), date(year, 9, 30), 1, [30, 70, 100]),
        (cases.title, cases, None, dict(everyone=True), date(year, 11, 30), 1.5, [20, 45, 80, 100]),
        (
            annual_test.title,
            None,
            annual_test,
            dict(everyone=True),
            date(year, 12, 15),
            2,
            [0, 0, 25, 100],
        ),
        (
            "新员工消保入门：" + complaint.title,
            complaint,
            None,
            dict(new_hires_only=True),
            date(year, 3, 31),
            1,
            [100],
        ),
    ]
    for order, (title, course, quiz, audience, due, hours, targets) in enumerate(rows):
        item = PlanItem.objects.create(
            plan=plan,
            title=title,
            kind=PlanItem.QUIZ if quiz else PlanItem.COURSE,
            course=course,
            quiz=quiz,
            everyone=audience.get("everyone", False),
            new_hires_only=audience.get("new_hires_only", False),
            validity_kind=audience.get("validity_kind", PlanItem.NO_EXPIRY),
            validity_months=audience.get("validity_months"),
            open_date=date(year, 1, 1),
            due_date=due,
            credit_hours=hours,
            quarterly_targets=targets,
            sort_order=order,
        )
        item.positions.set(audience.get("positions", []))
    return plan, True


def _read_and_complete(user, lesson, rng):
    """A simulated learner reads the lesson for its minimum time and a little more (the demo
    has no browser to send heartbeats), then completes it."""
    seconds = lesson.minimum_reading_seconds() + rng.randint(5, 90)
    course_services.record_reading(user, lesson, seconds)
    course_services.complete_lesson(user, lesson)


def _take_course(course, lessons):
    """``take(user, rng)``: read every lesson of ``course`` and pass its final check."""

    def take(user, rng):
        for lesson in lessons:
            _read_and_complete(user, lesson, rng)
        _pass_quiz_step(user, course)

    return take


def _pass_quiz_step(user, course):
    step = QuizStepPage.objects.child_of(course).live().first()
    if step is not None:
        _pass_quiz(user, step.quiz)


def _pass_quiz(user, quiz):
    attempt, _created = quiz_services.start_attempt(user, quiz, confirmed=True)
    for entry in attempt.questions:
        right = [c["id"] for c in entry["choices"] if c["correct"]]
        quiz_services.save_answer(attempt, entry["id"], right)
    quiz_services.submit_attempt(attempt)


def simulate_progress(plan, courses, annual_test, outlets):
    """Completions through the real services, each at a moment spread over the year so far (the
    services read the clock through ``django.utils.timezone.now``, set to that moment
    meanwhile): each outlet at its own pace against the plan (``config.demo.pace``), some people
    half way through a course, the demo tellers in contrasting states, and one colleague of the
    demo manager who has not started anything (so the manager has someone overdue to chase as
    soon as something is due)."""
    rng = random.Random(7)  # noqa: S311 - deterministic demo progress
    today = timezone.localdate()
    lessons = {c.pk: list(LessonPage.objects.child_of(c).live().order_by("path")) for c in courses}
    items = plan.items.select_related("plan").filter(new_hires_only=False)
    course_items = {item.course_id: item for item in items if item.course_id}
    test_item = next((item for item in items if item.quiz_id == annual_test.pk), None)
    staff = StaffProfile.objects.select_related("user", "org_unit").filter(is_active=True)
    late = (
        staff.filter(org_unit__code=pace.LATE_COLLEAGUE_OUTLET)
        .exclude(employee_no__in=[username for username, _code, _position in PLACED_ACCOUNTS])
        .order_by("employee_no")
        .first()
    )
    for person in staff:
        if person.employee_no in {"officer", "trainer", "teller2"} or person == late:
            continue
        unit = person.org_unit
        for index, course in enumerate(courses):
            item = course_items[course.pk]
            when = pace.moment(rng, pace.first_day(item), today)
            if person.employee_no == "teller":
                done, partial = index == 0, index == 2
                if index == 0:  # a year ago: her renewal falls due soon
                    when = renewals.completion_moment(renewals.TELLER_ENDS_IN)
            else:
                roll, odds = rng.random(), pace.chance(unit, item, today)
                done, partial = roll < odds, roll < odds + 0.15
            with at(when):
                if done:
                    _take_course(course, lessons[course.pk])(person.user, rng)
                elif partial:
                    _read_and_complete(person.user, lessons[course.pk][0], rng)
        sits_test = test_item is not None and person.employee_no != "teller"
        if sits_test and rng.random() < pace.chance(unit, test_item, today):
            with at(pace.moment(rng, pace.first_day(test_item), today)):
                _pass_quiz(person.user, annual_test)
    complaint = courses[0]
    renewals.simulate_renewals(
        course_items[complaint.pk], _take_course(complaint, lessons[complaint.pk])
    )


@transaction.atomic
def load_people(users, courses, annual_test, simulate=True):
    branch, outlets = ensure_org()
    positions = ensure_positions()
    ensure_staff(users, outlets, positions)
    courses = [CoursePage.objects.get(pk=course.pk) for course in courses]
    plan, created = ensure_plan(courses, annual_test, positions)
    if created:
        publish_at_start_of_year(plan)
        if simulate:
            simulate_progress(plan, courses, annual_test, outlets)
    offline = load_offline(plan, officer=users.get("officer"), simulate_progress=simulate)
    if simulate:
        grant_leave(users.get("officer"))
        correct_one(users.get("officer"))
    return {"branch": branch, "outlets": outlets, "plan": plan, **offline}
