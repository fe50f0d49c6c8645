"""The daily renewal run (``lms_recertify``): the clock moved across expiry and the year end."""

from datetime import date
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from courses.models import CourseProgress, LessonProgress
from lms import services
from lms.models import Assignment, CompletionRecord, PlanItem, TrainingPlan
from lms.services import dashboard
from lms.services.compliance.recertify import recertify
from lms.services.dashboard import tallies
from lms.services.plans import assignment_status
from lms.services.records.verification import verify_chain
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


@pytest.fixture
def world(catalog):
    org = make_org()
    staff = make_staff("100001", org["LZ0101"], make_position(), date(2020, 1, 1))
    course = make_course(catalog, title="消保审查", slug="review", lessons=2)
    plan = make_plan(year=2026, status=TrainingPlan.PUBLISHED)
    item = make_item(
        plan,
        "消保审查",
        course=course,
        everyone=True,
        due_date=date(2026, 6, 30),
        validity_kind=PlanItem.MONTHS,
        validity_months=12,
    )
    services.sync_staff(staff)
    return {"org": org, "staff": staff, "course": course, "plan": plan, "item": item}


def assignment_of(world):
    return Assignment.objects.get(staff=world["staff"], plan_item=world["item"])


def counts(world, day):
    root = world["org"]["LZ"]
    officer = UserFactory(username="officer", is_superuser=True)
    overview = dashboard.team_overview(officer, world["plan"], today=day)
    return overview.by_id[root.pk].counts


def test_renewed_before_expiry_expired_after_and_renewed_again(world):
    staff, course = world["staff"], world["course"]
    complete(staff, course, at(2026, 3, 15, 10))
    first = CompletionRecord.objects.get(user=staff.user)
    assert assignment_of(world).valid_until == date(2027, 3, 14)

    # 31 days before it lapses: not yet.
    assert recertify(date(2027, 2, 11))["renewed"] == 0
    assert assignment_of(world).status == Assignment.COMPLETED

    # 30 days before: assigned again, due the day it lapses; the old record stays.
    summary = recertify(date(2027, 2, 12))
    assert (summary["renewed"], summary["lapsed"], summary["expired"]) == (1, 0, 0)
    assignment = assignment_of(world)
    assert assignment.status == Assignment.OPEN
    assert assignment.due_date == date(2027, 3, 14)
    assert assignment.prior_valid_until == assignment.valid_until == date(2027, 3, 14)
    assert assignment.record_id is None and assignment.completed_at is None
    assert CompletionRecord.objects.filter(pk=first.pk).exists()
    # The course is taken again from its first lesson.
    assert not CourseProgress.objects.filter(user=staff.user, course=course).exists()
    assert not LessonProgress.objects.filter(user=staff.user).exists()
    assert counts(world, date(2027, 2, 12)).completed == 0

    # A second run the same day changes nothing.
    assert recertify(date(2027, 2, 12)) == {**summary, "renewed": 0}

    # The day after it lapsed: expired, overdue, to do.
    summary = recertify(date(2027, 3, 15))
    assert (summary["renewed"], summary["expired"]) == (0, 1)
    assignment = assignment_of(world)
    assert assignment.status == Assignment.EXPIRED
    assert assignment_status(assignment, date(2027, 3, 15)) == "expired"
    numbers = counts(world, date(2027, 3, 15))
    assert (numbers.assigned, numbers.completed, numbers.overdue) == (1, 0, 1)
    assert recertify(date(2027, 3, 15))["expired"] == 0

    # Taken again after it lapsed: counts 12 months from that day.
    complete(staff, course, at(2027, 3, 20, 9))
    assignment = assignment_of(world)
    assert assignment.status == Assignment.COMPLETED
    assert assignment.valid_until == date(2028, 3, 19)
    second = CompletionRecord.objects.exclude(pk=first.pk).get(user=staff.user)
    assert assignment.record_id == second.pk and second.valid_until == date(2028, 3, 19)
    assert counts(world, date(2027, 3, 20)).completed == 1
    assert verify_chain().ok
    assert tallies.drift() == []


def test_a_renewal_done_early_loses_nothing(world):
    staff, course = world["staff"], world["course"]
    complete(staff, course, at(2026, 3, 15, 10))
    recertify(date(2027, 2, 20))
    complete(staff, course, at(2027, 3, 1, 9))
    assert assignment_of(world).valid_until == date(2028, 3, 14)


def test_a_completion_found_already_lapsed_opens_as_expired_with_a_full_window(world):
    staff, course = world["staff"], world["course"]
    complete(staff, course, at(2026, 3, 15, 10))
    summary = recertify(date(2027, 4, 1))  # the run did not run for weeks
    assert (summary["renewed"], summary["lapsed"]) == (1, 1)
    assignment = assignment_of(world)
    assert assignment.status == Assignment.EXPIRED
    assert assignment.due_date == date(2027, 5, 1)
    assert recertify(date(2027, 4, 1))["renewed"] == 0


@override_settings(LMS_RECERTIFY_LEAD_DAYS=10)
def test_the_lead_time_is_a_setting(world):
    complete(world["staff"], world["course"], at(2026, 3, 15, 10))
    assert recertify(date(2027, 3, 3))["renewed"] == 0
    assert recertify(date(2027, 3, 4))["renewed"] == 1


def test_a_dry_run_counts_and_changes_nothing(world):
    complete(world["staff"], world["course"], at(2026, 3, 15, 10))
    summary = recertify(date(2027, 3, 1), dry_run=True)
    assert summary["renewed"] == 1
    assert assignment_of(world).status == Assignment.COMPLETED


def test_leavers_closed_plans_and_items_without_expiry_are_left_alone(world, catalog):
    staff, course = world["staff"], world["course"]
    plain_course = make_course(catalog, title="服务礼仪", slug="manners", lessons=1)
    plain = make_item(world["plan"], "服务礼仪", course=plain_course, everyone=True)
    services.sync_staff(staff)
    complete(staff, course, at(2026, 3, 15, 10))
    complete(staff, plain_course, at(2026, 3, 15, 10))
    other = make_staff("100002", world["org"]["LZ0102"], make_position(), date(2020, 1, 1))
    services.sync_staff(other)
    complete(other, course, at(2026, 3, 15, 10))
    other.is_active = False
    other.save()
    summary = recertify(date(2027, 3, 1))
    assert summary["renewed"] == 1  # only the active person's expiring item
    assert Assignment.objects.get(staff=staff, plan_item=plain).status == Assignment.COMPLETED
    assert Assignment.objects.get(staff=other, plan_item=world["item"]).status == (
        Assignment.COMPLETED
    )
    # A closed plan is not renewed: next year's plan assigns it.
    services.close_plan(world["plan"])
    assert recertify(date(2027, 3, 20)) == {
        "day": "2027-03-20",
        "renewed": 0,
        "lapsed": 0,
        "expired": 0,
        "items": 0,
    }


def test_year_end_items_renew_in_december_into_the_next_year(world, catalog):
    course = make_course(catalog, title="年度消保考试", slug="annual", lessons=1)
    item = make_item(
        world["plan"],
        "年度消保培训",
        course=course,
        everyone=True,
        due_date=date(2026, 6, 30),
        validity_kind=PlanItem.YEAR_END,
    )
    staff = world["staff"]
    services.sync_staff(staff)
    complete(staff, course, at(2026, 5, 1, 9))
    assignment = Assignment.objects.get(staff=staff, plan_item=item)
    assert assignment.valid_until == date(2026, 12, 31)
    assert recertify(date(2026, 12, 1))["renewed"] == 1
    complete(staff, course, at(2026, 12, 10, 9))
    assignment.refresh_from_db()
    assert (assignment.status, assignment.valid_until) == (
        Assignment.COMPLETED,
        date(2027, 12, 31),
    )
    # Across the year end nothing lapses.
    assert recertify(date(2027, 1, 1))["expired"] == 0


def test_the_command_runs_inline_and_reports_in_chinese(world):
    complete(world["staff"], world["course"], at(2026, 3, 15, 10))
    with translation.override("zh-hans"):
        call_command("lms_recertify", "--date", "2027-03-01", "--dry-run", stdout=(out := Out()))
    assert "1" in out.text and "2027-03-01" in out.text
    assert assignment_of(world).status == Assignment.COMPLETED
    call_command("lms_recertify", "--date", "2027-03-01", stdout=(out := Out()))
    assert assignment_of(world).status == Assignment.OPEN
    assert "2027-03-01" in out.text


class Out:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass


def test_a_renewal_is_not_credited_back_with_the_record_it_renews(world):
    """Crediting earlier completions (a new hire joins the item: ``credit_existing``) must not
    close a renewal with the very completion it asks to renew."""
    staff, course = world["staff"], world["course"]
    complete(staff, course, at(2026, 3, 15, 10))
    with mock.patch("django.utils.timezone.now", return_value=at(2027, 2, 20, 9)):
        recertify(date(2027, 2, 20))
        newcomer = make_staff("100003", world["org"]["LZ0102"], make_position(), date(2027, 2, 1))
        services.sync_staff(newcomer)
    assert assignment_of(world).status == Assignment.OPEN
    # A completion made after it was opened again does count.
    complete(staff, course, at(2027, 2, 25, 9))
    assert assignment_of(world).status == Assignment.COMPLETED
