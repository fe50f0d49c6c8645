"""Copying a plan to another year as a draft: every item and rule, dates shifted, nothing else."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ReferenceIndex

from lms.models import Assignment, PlanItem, PositionHours, TrainingPlan
from lms.services.plan_copy import PlanCopyError, copy_plan, copy_title, shift_date
from lms.services.plans import publish_plan
from tests.factories import make_item, make_org, make_plan, make_position, make_quiz, make_staff

#: Every column of an item that the copy keeps as it is: read from the model, so a field added to
#: PlanItem later fails this test until the copy handles it (the plan, the dates and the id are
#: the copy's own).
ITEM_VALUES = tuple(
    field.attname
    for field in PlanItem._meta.concrete_fields
    if field.name not in {"id", "plan", "open_date", "due_date"}
)


@pytest.fixture
def org(db):
    return make_org()


@pytest.fixture
def plan(org, course):
    """A published 2028 plan (a leap year) with position hours and three different items."""
    teller, manager = make_position("柜员"), make_position("网点负责人")
    plan = make_plan(2028, required_hours=Decimal("6.5"))
    PositionHours.objects.create(plan=plan, position=teller, hours=Decimal("8"), sort_order=0)
    PositionHours.objects.create(plan=plan, position=manager, hours=Decimal("12.5"), sort_order=1)
    make_item(
        plan,
        "销售过程消保",
        course=course,
        positions=[teller, manager],
        units=[org["LZ01"], org["LZ0201"]],
        open_date=date(2028, 2, 29),
        due_date=date(2028, 12, 31),
        credit_hours=Decimal("2.5"),
        validity_months=12,
        quarterly_targets=[25, 50, 75, 100],
        sort_order=3,
    )
    make_item(
        plan,
        "测验",
        quiz=make_quiz(title="年度测验"),
        everyone=True,
        open_date=date(2028, 3, 1),
        due_date=date(2029, 2, 28),
        mandatory=False,
        sort_order=1,
    )
    make_item(
        plan,
        "我已阅读",
        kind=PlanItem.ATTESTATION,
        page=course,
        statement="我已阅读并理解上述内容",
        new_hires_only=True,
        units=[org["LZ0102"]],
        sort_order=2,
    )
    make_staff("000101", org["LZ0101"], teller, date(2020, 3, 1))
    publish_plan(plan)
    TrainingPlan.objects.filter(pk=plan.pk).update(
        status=TrainingPlan.CLOSED, closed_at=timezone.now()
    )
    plan.refresh_from_db()
    return plan


def snapshot(plan):
    """Everything the copy is meant to reproduce (and the original to keep), by sort order."""
    items = plan.items.order_by("sort_order").prefetch_related("positions", "org_units")
    return {
        "required_hours": plan.required_hours,
        "position_hours": [
            (rule.position_id, rule.hours, rule.sort_order)
            for rule in plan.position_hours.order_by("sort_order")
        ],
        "items": [
            {
                **{name: getattr(item, name) for name in ITEM_VALUES},
                "open_date": item.open_date,
                "due_date": item.due_date,
                "positions": sorted(p.pk for p in item.positions.all()),
                "org_units": sorted(u.pk for u in item.org_units.all()),
            }
            for item in items
        ],
    }


@pytest.mark.django_db
def test_copy_is_a_draft_of_next_year_with_every_item_and_rule(plan):
    before = snapshot(plan)
    assert Assignment.objects.filter(plan_item__plan=plan).count() == 2  # teller: course + quiz
    copy = copy_plan(plan)

    copy.refresh_from_db()
    assert (copy.year, copy.title, copy.status) == (2029, "2029年度消保与服务培训计划", "draft")
    assert copy.published_at is None and copy.closed_at is None
    after = snapshot(copy)
    assert after["required_hours"] == Decimal("6.5")
    assert after["position_hours"] == before["position_hours"]
    assert len(after["items"]) == 3
    for old, new in zip(before["items"], after["items"], strict=True):
        for name in (*ITEM_VALUES, "positions", "org_units"):
            assert new[name] == old[name], name
    # Dates a year later; 29 February 2028 → 28 February 2029; 28 Feb 2029 → 28 Feb 2030.
    dates = [(item["open_date"], item["due_date"]) for item in after["items"]]
    assert dates == [
        (date(2029, 3, 1), date(2030, 2, 28)),
        (date(2029, 1, 1), date(2029, 6, 30)),
        (date(2029, 2, 28), date(2029, 12, 31)),
    ]
    assert after["items"][2]["positions"] and after["items"][2]["org_units"]
    # Nothing else: no assignments for the copy; the original untouched.
    assert not Assignment.objects.filter(plan_item__plan=copy).exists()
    assert Assignment.objects.filter(plan_item__plan=plan).count() == 2
    plan.refresh_from_db()
    assert plan.status == TrainingPlan.CLOSED and plan.year == 2028
    assert snapshot(plan) == before
    assert TrainingPlan.objects.count() == 2


@pytest.mark.django_db
def test_copy_to_a_chosen_year_shifts_by_that_many_years(plan):
    copy = copy_plan(plan, year=2030)
    assert (copy.year, copy.title) == (2030, "2030年度消保与服务培训计划")
    item = copy.items.get(sort_order=3)
    assert (item.open_date, item.due_date) == (date(2030, 2, 28), date(2030, 12, 31))
    back = copy_plan(copy, year=2032)  # 28 Feb stays 28 Feb, even in a leap year
    assert back.items.get(sort_order=3).open_date == date(2032, 2, 28)


@pytest.mark.django_db
def test_a_second_copy_to_the_same_year_is_refused_and_changes_nothing(plan):
    copy_plan(plan)
    counts = (TrainingPlan.objects.count(), PlanItem.objects.count())
    with pytest.raises(PlanCopyError, match="年度已有计划"):
        copy_plan(plan)
    with pytest.raises(PlanCopyError):
        copy_plan(plan, year=2028)  # its own year
    with pytest.raises(PlanCopyError):
        copy_plan(plan, year=2101)  # beyond the year field's range
    assert (TrainingPlan.objects.count(), PlanItem.objects.count()) == counts


@pytest.mark.django_db
def test_a_copy_is_undone_when_it_fails_halfway(plan, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("lms.services.plan_copy._copy_m2m", fail)
    counts = (TrainingPlan.objects.count(), PlanItem.objects.count(), PositionHours.objects.count())
    with pytest.raises(RuntimeError):
        copy_plan(plan)
    assert (
        TrainingPlan.objects.count(),
        PlanItem.objects.count(),
        PositionHours.objects.count(),
    ) == counts


def test_titles_and_dates():
    assert copy_title("2026年度消保与服务培训计划", 2026, 2027) == "2027年度消保与服务培训计划"
    assert copy_title("消保培训计划", 2026, 2027) == "消保培训计划 (2027)"
    assert copy_title("第12026号", 2026, 2027) == "第12026号 (2027)"  # not a year of its own
    assert len(copy_title("长" * 200, 2026, 2027)) == 200
    assert shift_date(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert shift_date(date(2024, 2, 29), 4) == date(2028, 2, 29)
    assert shift_date(date(2026, 12, 31), 1) == date(2027, 12, 31)


def make_items(plan, count, positions, units):
    for number in range(count):
        make_item(plan, f"课程{number}", positions=positions, units=units, sort_order=number)


@pytest.mark.django_db
def test_queries_do_not_grow_with_the_items(org, course):
    positions = [make_position("柜员"), make_position("网点负责人")]
    units = [org["LZ01"], org["LZ02"]]
    small, large = make_plan(2026, title="小计划 2026"), make_plan(2026, title="大计划 2026")
    for plan in (small, large):
        PositionHours.objects.create(plan=plan, position=positions[0], hours=Decimal("3"))
    make_items(small, 2, positions, units)
    make_items(large, 20, positions, units)
    for plan in (small, large):
        plan.items.update(course=course)
    reverse("lms_trainingplan:index")  # the admin registers plans and items for Wagtail's index
    assert ReferenceIndex.is_indexed(TrainingPlan) and ReferenceIndex.is_indexed(PlanItem)
    copy_plan(small, year=2030)  # warms the content types' cache
    counts = []
    for plan in (small, large):
        with CaptureQueriesContext(connection) as queries:
            copy_plan(plan)
        counts.append(len(queries))
    # Savepoint and release (2), lock the plan, check the title, insert the plan, read and
    # insert the position hours, read and insert the items, read and insert each m2m (11);
    # Wagtail indexing the new plan on save (5), again with its position hours (3), the items'
    # reference index in one INSERT (1).
    assert counts == [22, 22]
    large_copy = TrainingPlan.objects.get(title="大计划 2027")
    assert large_copy.items.count() == 20
    assert all(item.positions.count() == 2 for item in large_copy.items.all())
    assert PlanItem.org_units.through.objects.filter(planitem__plan=large_copy).count() == 40
    # Wagtail's "usage" of the course lists the copied items, as if saved one by one.
    used_by = ReferenceIndex.get_references_to(course).filter(
        base_content_type=ContentType.objects.get_for_model(PlanItem)
    )
    assert set(used_by.values_list("object_id", flat=True)) >= {
        str(pk) for pk in large_copy.items.values_list("pk", flat=True)
    }
    assert (
        ReferenceIndex.get_references_for_object(large_copy)
        .filter(to_object_id=str(positions[0].pk))
        .exists()
    )  # the position hours
