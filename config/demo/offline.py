"""Demo attestation and offline workshop: a "read and confirm" item on the complaint-handling
lesson for everyone, and an offline complaint-handling workshop with one session per
sub-branch — two already held (attendance imported by the officer), two to come (the demo
accounts of 城关支行 are invited to one). Added to the year's plan if missing, so an older demo
database gets them too."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from config.demo import clock, pace
from courses.models import LessonPage
from lms.models import CheckIn, OfflineSession, OrgUnit, PlanItem, StaffProfile
from lms.services import publish_plan
from lms.services.learning.attestations import record_attestation
from lms.services.learning.offline import _write_check_in

ATTESTATION_TITLE = "首问负责制与投诉处理时限阅读确认"
ATTESTATION_LESSON = "handling-time-and-first-responsibility"
STATEMENT = "我已阅读并理解投诉处理时限与首问负责制的要求，并将在工作中遵照执行。"
WORKSHOP_TITLE = "投诉处理实务工作坊（线下）"
# Sub-branch, days from today, place, trainer.
SESSIONS = [
    ("LZ01", 6, "城关支行三楼培训室", "陈静"),
    ("LZ02", -20, "七里河支行二楼会议室", "陈静"),
    ("LZ03", -45, "安宁支行营业部会议室", "刘磊"),
    ("LZ04", 13, "西固支行培训室", "刘磊"),
]
ATTENDANCE = 0.8  # share of a sub-branch's staff at a session already held (all, in the
# leading outlets: ``config.demo.pace.leads``)


def ensure_items(plan):
    """The attestation and workshop items of ``plan`` (created if missing). Returns them."""
    year = plan.year
    lesson = LessonPage.objects.live().filter(slug=ATTESTATION_LESSON).first()
    next_order = plan.items.count()
    attestation = plan.items.filter(title=ATTESTATION_TITLE).first()
    if attestation is None and lesson is not None:
        attestation = PlanItem.objects.create(
            plan=plan,
            title=ATTESTATION_TITLE,
            kind=PlanItem.ATTESTATION,
            page=lesson,
            statement=STATEMENT,
            everyone=True,
            open_date=datetime.date(year, 1, 1),
            due_date=datetime.date(year, 12, 31),
            credit_hours=0.5,
            quarterly_targets=[25, 50, 75, 100],
            sort_order=next_order,
        )
    workshop = plan.items.filter(title=WORKSHOP_TITLE).first()
    if workshop is None:
        workshop = PlanItem.objects.create(
            plan=plan,
            title=WORKSHOP_TITLE,
            kind=PlanItem.OFFLINE,
            everyone=True,
            open_date=datetime.date(year, 1, 1),
            due_date=datetime.date(year, 12, 31),
            credit_hours=2,
            quarterly_targets=[0, 25, 50, 100],
            sort_order=next_order + 1,
        )
    return attestation, workshop


def ensure_sessions(workshop, officer=None):
    """One session per sub-branch, at 14:30–16:30 local time, some held, some to come. A held
    session is never dated before the plan went out (early in the year it moves up to the day
    after), so its check-ins never predate the assignments."""
    today = timezone.localdate()
    earliest = clock.start_of_year(workshop.plan.year).date() + datetime.timedelta(days=1)
    sessions = []
    for code, days, place, trainer in SESSIONS:
        unit = OrgUnit.objects.get(code=code)
        session = OfflineSession.objects.filter(plan_item=workshop, org_unit=unit).first()
        if session is None:
            day = today + datetime.timedelta(days=days)
            if days < 0:
                day = max(day, earliest)
            starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(14, 30)))
            session = OfflineSession.objects.create(
                plan_item=workshop,
                title=f"{unit.name}{WORKSHOP_TITLE}",
                org_unit=unit,
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=2),
                place=place,
                trainer=trainer,
                capacity=60,
                created_by=officer,
            )
        sessions.append(session)
    return sessions


def simulate(attestation, sessions, officer=None):
    """Attendance of the sessions already held (as if imported from the sheet by the officer)
    and attestations over the year at each outlet's pace (``config.demo.pace``), through the real
    services."""
    rng = random.Random(11)  # noqa: S311 - deterministic demo
    now = timezone.now()
    staff = list(StaffProfile.objects.filter(is_active=True).select_related("org_unit", "user"))
    skip = {"officer", "trainer", "teller"}
    for session in sessions:
        if session.ends_at > now or CheckIn.objects.filter(session=session).exists():
            continue
        for person in staff:
            if person.employee_no in skip or not person.org_unit.path.startswith(
                session.org_unit.path
            ):
                continue
            share = 1.0 if pace.leads(person.org_unit) else ATTENDANCE
            if person.employee_no == "teller2" or rng.random() < share:
                at = session.starts_at - datetime.timedelta(minutes=rng.randint(0, 15))
                _write_check_in(session, person, at, CheckIn.IMPORT, recorded_by=officer)
    if attestation is None:
        return
    today = timezone.localdate()
    for person in staff:
        if person.employee_no in skip:
            continue
        if person.employee_no == "teller2" or rng.random() < pace.chance(
            person.org_unit, attestation, today
        ):
            with clock.at(pace.moment(rng, pace.first_day(attestation), today)):
                record_attestation(person.user, attestation, "demo")


@transaction.atomic
def load_offline(plan, officer=None, simulate_progress=True):
    plan.refresh_from_db(fields=["status"])
    new = not plan.items.filter(title=WORKSHOP_TITLE).exists()
    attestation, workshop = ensure_items(plan)
    if plan.status == plan.PUBLISHED:
        # Assigns the new items (existing assignments are kept), as of the year's start when
        # the items are new, so the attendance and attestations simulated below come after.
        if new:
            clock.publish_at_start_of_year(plan)
        else:
            publish_plan(plan)
    sessions = ensure_sessions(workshop, officer)
    if simulate_progress and new:  # once: a second run changes nothing
        simulate(attestation, sessions, officer)
    return {"attestation": attestation, "workshop": workshop, "sessions": sessions}
