"""A varied organisation for the reports as of a day (``report_as_of``): every status, and
every way an assignment comes and goes, over 2026 and into 2027."""

from datetime import date
from unittest import mock

from lms import services
from lms.models import CompletionRecord, Exemption, PlanItem, TrainingPlan
from lms.services.compliance import exemptions
from lms.services.compliance.recertify import recertify
from lms.services.records.chain import supersede_record
from tests.factories import (
    UserFactory,
    make_course,
    make_item,
    make_org,
    make_plan,
    make_position,
    make_staff,
)
from tests.lms.compliance_support import at, complete


def build_varied(catalog):
    """营业部 (LZ0101): A, B, C, D, E, G, H; 东岗 (LZ0102): K; F joins 营业部 on 1 September.
    消保审查 counts 12 months, due 30 June; 反洗钱 never lapses, due 30 September.

    A completes 消保审查 on 15 March (lapses 14 March 2027, renewed, expired, done again on
    20 March 2027); B never does anything; C is exempt from 1 May; D is extended to 31 August
    on 20 June and completes on 5 September (5 days late); E completes on 10 July (10 days
    late), then a correction moves it to 12 July; G leaves on 1 October; H is exempt from 1
    May until 1 August; K completes 反洗钱 on 20 September."""
    org = make_org()
    position = make_position()
    review = make_course(catalog, title="消保审查", slug="review", lessons=1)
    aml = make_course(catalog, title="反洗钱", slug="aml", lessons=1)
    plan = make_plan(year=2026, status=TrainingPlan.PUBLISHED)
    first = make_item(
        plan,
        "消保审查",
        course=review,
        everyone=True,
        open_date=date(2026, 1, 1),
        due_date=date(2026, 6, 30),
        validity_kind=PlanItem.MONTHS,
        validity_months=12,
    )
    make_item(
        plan,
        "反洗钱",
        course=aml,
        everyone=True,
        open_date=date(2026, 1, 1),
        due_date=date(2026, 9, 30),
        sort_order=2,
    )
    people = {}
    with mock.patch("django.utils.timezone.now", return_value=at(2026, 1, 5, 9)):
        for code in "ABCDEGH":
            people[code] = make_staff(f"10000{code}", org["LZ0101"], position, date(2020, 1, 1))
        people["K"] = make_staff("10000K", org["LZ0102"], position, date(2020, 1, 1))
        services.publish_plan(plan)
    officer = UserFactory(username="officer", is_superuser=True)
    complete(people["A"], review, at(2026, 3, 15, 10))
    for code in "CH":
        exemptions.grant(
            officer, people[code], first, Exemption.EXEMPT, "产假", now=at(2026, 5, 1, 9)
        )
    exemptions.grant(
        officer,
        people["D"],
        first,
        Exemption.EXTENSION,
        "外派学习",
        due_date=date(2026, 8, 31),
        now=at(2026, 6, 20, 9),
    )
    complete(people["E"], review, at(2026, 7, 10, 10))
    with mock.patch("django.utils.timezone.now", return_value=at(2026, 7, 20, 9)):
        supersede_record(
            CompletionRecord.objects.get(staff=people["E"]),
            reason="签到表日期登记错误",
            recorded_by=officer,
            completed_at=at(2026, 7, 12, 10),
        )
    row = Exemption.objects.get(staff=people["H"], kind=Exemption.EXEMPT)
    exemptions.lift(officer, row, "提前返岗", now=at(2026, 8, 1, 9))
    people["F"] = make_staff("10000F", org["LZ0101"], position, date(2026, 9, 1))
    with mock.patch("django.utils.timezone.now", return_value=at(2026, 9, 1, 9)):
        services.sync_staff(people["F"])
    complete(people["D"], review, at(2026, 9, 5, 10))
    complete(people["K"], aml, at(2026, 9, 20, 10))
    people["G"].is_active = False
    people["G"].save()
    with mock.patch("django.utils.timezone.now", return_value=at(2026, 10, 1, 9)):
        services.sync_staff(people["G"])
    recertify(date(2027, 2, 12))
    recertify(date(2027, 3, 15))
    complete(people["A"], review, at(2027, 3, 20, 9))
    return {"org": org, "plan": plan, "item": first, "people": people, "officer": officer}
