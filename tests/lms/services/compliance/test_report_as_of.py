"""The training-completion report as of a day, in SQL (``report_as_of``), agrees with the
rules of ``as_of.states`` for every assignment on every day: completed, lapsed and renewed,
exempt and lifted, extended, overdue, open, withdrawn after the day, assigned after it."""

from datetime import date
from unittest import mock

import pytest

from lms import services
from lms.models import Assignment, CompletionRecord, Exemption, PlanItem, TrainingPlan
from lms.services.compliance import as_of, exemptions, report_as_of
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

pytestmark = pytest.mark.django_db

DAYS = [
    date(2026, 1, 4),  # before anyone was assigned
    date(2026, 3, 1),
    date(2026, 3, 15),
    date(2026, 6, 25),
    date(2026, 7, 1),
    date(2026, 7, 15),
    date(2026, 8, 1),
    date(2026, 9, 2),
    date(2026, 9, 6),
    date(2026, 10, 2),
    date(2027, 3, 15),
    date(2027, 3, 25),
]


@pytest.fixture
def varied(catalog):
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


def in_sql(day, assignments=None):
    rows = report_as_of.assignments_as_of(assignments or Assignment.objects.all(), day)
    return {
        row.pk: (
            row.report_status,
            row.due_on,
            getattr(report_as_of.credited_record(row), "pk", None),
        )
        for row in rows
    }


def by_rules(day, assignments=None):
    found = as_of.states(assignments or Assignment.objects.all(), day)
    return {
        pk: (
            as_of.OPEN if state.status == as_of.DUE_SOON else state.status,
            state.due,
            state.credited_record,
        )
        for pk, state in found.items()
    }


def named(found):
    names = dict(Assignment.objects.values_list("pk", "staff__employee_no"))
    titles = dict(Assignment.objects.values_list("pk", "plan_item__title"))
    return {
        (names[pk][-1], 1 if titles[pk] == "消保审查" else 2): value[0]
        for pk, value in found.items()
    }


def test_the_report_agrees_with_the_rules_on_every_day(varied):
    assert Assignment.objects.count() == 18  # nine people × two items
    for day in DAYS:
        assert in_sql(day) == by_rules(day), day
    # Not vacuous: every status occurs, and the counted rows change with the day.
    seen = {value[0] for day in DAYS for value in in_sql(day).values()}
    assert seen == {"completed", "exempt", "expired", "overdue", "open"}
    assert [
        len(in_sql(day)) for day in (date(2026, 1, 4), date(2026, 9, 2), date(2026, 10, 2))
    ] == [
        0,
        18,
        16,
    ]


def test_the_status_of_each_person_on_a_day(varied):
    first = {
        person: status
        for (person, item), status in named(in_sql(date(2026, 7, 15))).items()
        if item == 1
    }
    assert first == {
        "A": "completed",
        "B": "overdue",
        "C": "exempt",
        "D": "open",  # extended to 31 August
        "E": "completed",  # on 12 July, as corrected
        "G": "overdue",
        "H": "exempt",
        "K": "overdue",
    }
    later = named(in_sql(date(2026, 10, 2)))
    assert "G" not in {person for person, _item in later}  # withdrawn on 1 October
    assert later["F", 1] == "overdue" and later["H", 1] == "overdue"
    assert later["K", 2] == "completed" and later["B", 2] == "overdue"
    assert named(in_sql(date(2027, 3, 15)))["A", 1] == "expired"
    assert named(in_sql(date(2027, 3, 25)))["A", 1] == "completed"


def test_the_due_date_and_the_days_late_are_those_in_force(varied):
    d_first = Assignment.objects.filter(staff=varied["people"]["D"], plan_item=varied["item"])
    row = report_as_of.assignments_as_of(d_first, date(2026, 9, 6)).get()
    assert row.due_on == date(2026, 8, 31)
    assert report_as_of.credited_record(row).completed_at == at(2026, 9, 5, 10)
    assert report_as_of.status_text(row) == report_as_of.late_label(5)
    e_first = Assignment.objects.filter(staff=varied["people"]["E"], plan_item=varied["item"])
    row = report_as_of.assignments_as_of(e_first, date(2026, 8, 1)).get()
    assert report_as_of.status_text(row) == report_as_of.late_label(12)  # the correction's day


def test_the_status_filter_as_of_a_day(varied):
    day = date(2026, 7, 15)
    rows = report_as_of.assignments_as_of(Assignment.objects.all(), day)
    statuses = named(in_sql(day))
    for value in ("completed", "exempt", "overdue", "not_started", "in_progress"):
        wanted = report_as_of.FILTER_AS_OF.get(value, value)
        got = rows.filter(report_as_of.status_filter(value)).count()
        assert got == sum(1 for status in statuses.values() if status == wanted)
    assert rows.filter(report_as_of.status_filter("overdue")).count() == 3  # B, G, K
    assert report_as_of.status_filter("withdrawn") is None
