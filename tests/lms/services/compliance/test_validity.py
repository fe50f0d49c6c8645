"""How long a completion counts (``lms.services.compliance.validity``), and that a completion
writes it on the assignment, on the record (hashed) and on the certificate."""

from datetime import date, datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from lms import services
from lms.models import Assignment, CompletionRecord, PlanItem, TrainingPlan
from lms.services.compliance.validity import add_months, valid_until
from lms.services.records.certificates import EXPIRED, VALID, verify
from lms.services.records.verification import verify_chain
from tests.factories import (
    make_course,
    make_item,
    make_org,
    make_plan,
    make_position,
    make_staff,
)
from tests.lms.compliance_support import at, complete

MONTHS, YEAR_END = PlanItem.MONTHS, PlanItem.YEAR_END


@pytest.mark.parametrize(
    ("completed", "months", "expected"),
    [
        (date(2026, 3, 15), 12, date(2027, 3, 14)),
        (date(2026, 1, 1), 12, date(2026, 12, 31)),
        # The target month is shorter: through its last day.
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2027, 8, 31), 6, date(2028, 2, 29)),
        (date(2026, 1, 30), 1, date(2026, 2, 28)),
        (date(2026, 1, 28), 1, date(2026, 2, 27)),
        (date(2026, 12, 31), 1, date(2027, 1, 30)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
    ],
)
def test_months_from_the_completion(completed, months, expected):
    assert valid_until(MONTHS, months, completed) == expected


def test_the_end_never_moves_back_as_the_completion_moves_on():
    day, last = date(2026, 1, 1), None
    for _ in range(800):
        end = valid_until(MONTHS, 6, day)
        assert last is None or end >= last
        assert end > day
        day, last = day.fromordinal(day.toordinal() + 1), end


def test_until_the_year_end_and_no_expiry():
    assert valid_until(YEAR_END, None, date(2026, 5, 1)) == date(2026, 12, 31)
    assert valid_until("", None, date(2026, 5, 1)) is None
    assert valid_until(MONTHS, None, date(2026, 5, 1)) is None


def test_a_local_time_counts_by_its_day_in_shanghai():
    # 2026-03-14 17:00 UTC is 15 March 01:00 in Shanghai.
    moment = datetime(2026, 3, 14, 17, 0, tzinfo=ZoneInfo("UTC"))
    assert valid_until(MONTHS, 12, moment) == date(2027, 3, 14)


def test_a_renewal_done_early_continues_from_the_last_valid_day():
    assert valid_until(MONTHS, 12, date(2027, 3, 1), date(2027, 3, 14)) == date(2028, 3, 14)
    assert valid_until(YEAR_END, None, date(2026, 12, 10), date(2026, 12, 31)) == date(2027, 12, 31)
    # Done after it lapsed: from the day it is done.
    assert valid_until(MONTHS, 12, date(2027, 3, 20), date(2027, 3, 14)) == date(2028, 3, 19)


def test_add_months_across_years():
    assert add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)


@pytest.mark.django_db
def test_months_needs_a_number_and_other_rules_drop_it():
    plan = make_plan()
    item = PlanItem(
        plan=plan,
        title="反洗钱",
        open_date=date(2026, 1, 1),
        due_date=date(2026, 6, 30),
        validity_kind=MONTHS,
    )
    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert "validity_months" in error.value.message_dict
    item.validity_kind, item.validity_months = YEAR_END, 12
    item.full_clean()
    assert item.validity_months is None


@pytest.fixture
def learner(catalog):
    unit = make_org()["LZ0101"]
    staff = make_staff("100001", unit, make_position(), date(2020, 1, 1))
    return staff


def planned_course(catalog, kind=MONTHS, months=12):
    course = make_course(catalog, title="消保审查", slug=f"review-{kind}", lessons=2)
    plan = make_plan(year=2026, status=TrainingPlan.PUBLISHED)
    item = make_item(
        plan,
        "消保审查",
        course=course,
        everyone=True,
        due_date=date(2026, 6, 30),
        validity_kind=kind,
        validity_months=months if kind == MONTHS else None,
    )
    return course, item


def test_a_completion_counts_until_its_item_says(catalog, learner):
    course, item = planned_course(catalog)
    services.sync_staff(learner)
    complete(learner, course, at(2026, 3, 15, 10))
    assignment = Assignment.objects.get(staff=learner, plan_item=item)
    record = CompletionRecord.objects.get(user=learner.user, course=course)
    assert assignment.status == Assignment.COMPLETED
    assert assignment.valid_until == record.valid_until == date(2027, 3, 14)
    assert assignment.record_id == record.pk
    # The date is part of the record's hash: the chain verifies as written.
    assert verify_chain().ok
    certificate = record.certificate
    assert verify(certificate.code, today=date(2027, 3, 14)) == (certificate, VALID)
    assert verify(certificate.code, today=date(2027, 3, 15)) == (certificate, EXPIRED)


def test_a_record_of_an_item_without_expiry_has_none(catalog, learner):
    course, item = planned_course(catalog, kind="")
    services.sync_staff(learner)
    complete(learner, course, at(2026, 3, 15, 10))
    record = CompletionRecord.objects.get(user=learner.user, course=course)
    assert record.valid_until is None
    assert Assignment.objects.get(plan_item=item).valid_until is None
    assert verify(record.certificate.code, today=date(2040, 1, 1))[1] == VALID


def test_the_valid_date_cannot_be_moved_behind_the_chains_back(catalog, learner):
    course, _item = planned_course(catalog)
    services.sync_staff(learner)
    complete(learner, course, at(2026, 3, 15, 10))
    record = CompletionRecord.objects.get(user=learner.user, course=course)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE lms_core_completionrecord SET valid_until = %s WHERE id = %s",
            ["2030-01-01", record.pk],
        )
    report = verify_chain()
    assert not report.ok
    # The certificate no longer binds to the record either: nothing about it is shown.
    assert verify(record.certificate.code) == (None, None)


def test_an_earlier_completion_still_valid_is_credited_with_its_own_date(catalog, learner):
    course, _ = planned_course(catalog)
    # Completed last October, before this year's plan: valid 12 months from then.
    complete(learner, course, at(2025, 10, 8, 9))
    plan = make_plan(year=2026, title="2026 下半年")
    item = make_item(
        plan,
        "消保审查（复训）",
        course=course,
        everyone=True,
        due_date=date(2026, 12, 31),
        validity_kind=MONTHS,
        validity_months=12,
    )
    with mock.patch("django.utils.timezone.now", return_value=at(2026, 3, 1, 9)):
        services.publish_plan(plan)
    assignment = Assignment.objects.get(staff=learner, plan_item=item)
    assert assignment.status == Assignment.COMPLETED
    assert assignment.valid_until == date(2026, 10, 7)
    # Had it lapsed already, it would not have been credited.
    other = make_item(
        plan,
        "六个月有效",
        course=course,
        everyone=True,
        due_date=date(2026, 12, 31),
        validity_kind=MONTHS,
        validity_months=3,
    )
    with mock.patch("django.utils.timezone.now", return_value=at(2026, 3, 1, 9)):
        services.publish_plan(plan)
    assert Assignment.objects.get(staff=learner, plan_item=other).status == Assignment.OPEN
