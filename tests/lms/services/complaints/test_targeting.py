"""Complaint rules → targeted assignments, and the loop back: who is assigned, what is credited
or linked, idempotence, sub-codes, front-line audiences, the roster sync and the loop states."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lms import services
from lms.models import (
    Assignment,
    Complaint,
    ComplaintRule,
    ComplaintTraining,
    OrgUnit,
)
from lms.services.complaints import listing, loop
from lms.services.complaints.targeting import apply_rules
from quizzes.models import ClassificationCode
from tests.lms.complaints_support import build_world, code, complaint
from tests.lms.compliance_support import at, complete

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(catalog):
    return build_world(catalog)


def test_nobody_is_assigned_a_targeted_item_by_the_plan(world):
    assert not Assignment.objects.filter(plan_item__targeted=True).exists()


def test_a_complaint_assigns_its_named_staff_once(world):
    first = complaint(world, "TS-1")
    outcome = apply_rules([first])
    assignment = Assignment.objects.get(plan_item=world["item"])
    assert assignment.staff == world["people"]["T1"]
    assert assignment.status == Assignment.OPEN
    assert assignment.due_date == world["today"] + timedelta(days=14)
    assert (outcome.assigned, outcome.linked, outcome.credited) == (1, 0, 0)
    # Again: nothing changes.
    again = apply_rules([first])
    assert (again.assigned, again.linked, again.credited, again.reopened) == (0, 0, 0, 0)
    assert ComplaintTraining.objects.count() == 1
    # A second complaint below C.5 (the bank's own sub-code) links to the same assignment.
    own = ClassificationCode.objects.create(
        dimension="C", code="C.5.1", name="费用告知不充分", parent=code("C.5")
    )
    second = complaint(world, "TS-2", reason=own.code)
    assert apply_rules([second]).linked == 1
    assert Assignment.objects.filter(plan_item=world["item"]).count() == 1
    assert set(assignment.complaint_links.values_list("complaint__number", flat=True)) == {
        "TS-1",
        "TS-2",
    }


def test_a_recent_completion_is_credited_an_old_one_is_trained_again(world):
    recent = timezone.now() - timedelta(days=30)
    complete(world["people"]["T2"], world["course"], recent)
    outcome = apply_rules([complaint(world, "TS-3", staff=("T2",))])
    assignment = Assignment.objects.get(plan_item=world["item"], staff=world["people"]["T2"])
    assert assignment.status == Assignment.COMPLETED
    assert outcome.credited == 1 and ComplaintTraining.objects.get().credited
    # Long after (beyond the 180 days' look-back), a new complaint: trained again.
    later = world["today"] + timedelta(days=200)
    with mock.patch(
        "django.utils.timezone.now", return_value=at(later.year, later.month, later.day, 9)
    ):
        outcome = apply_rules([complaint(world, "TS-4", staff=("T2",))], today=later)
    assignment.refresh_from_db()
    assert outcome.reopened == 1
    assert assignment.status == Assignment.OPEN and assignment.record_id is None
    assert assignment.due_date == later + timedelta(days=14)


def test_a_front_line_rule_trains_the_units_front_line_staff(world):
    outcome = apply_rules([complaint(world, "TS-5", reason="C.1", business="B.3.3", staff=())])
    assigned = Assignment.objects.filter(plan_item=world["card_item"])
    assert set(assigned.values_list("staff__employee_no", flat=True)) == {"3001", "3002"}
    assert outcome.assigned == 2
    # A complaint of no rule's codes is reported, not trained.
    plain = complaint(world, "TS-6", reason="C.1", business="B.1")
    assert apply_rules([plain]).unmatched == [plain]


def test_the_roster_sync_keeps_targeted_training_and_withdraws_a_leavers(world):
    apply_rules([complaint(world, "TS-7")])
    person = world["people"]["T1"]
    services.sync_staff(person)
    assert Assignment.objects.get(plan_item=world["item"], staff=person).status == "open"
    person.org_unit = world["org"]["LZ0201"]
    person.save()
    services.sync_staff(person)
    moved = Assignment.objects.get(plan_item=world["item"], staff=person)
    assert moved.status == "open" and moved.org_unit == OrgUnit.objects.get(code="LZ0201")
    person.is_active = False
    person.save()
    services.sync_staff(person)
    assert Assignment.objects.get(plan_item=world["item"], staff=person).status == "withdrawn"


def test_the_loop_states(world):
    done = complaint(world, "L-1", staff=("T2",))
    late = complaint(world, "L-2", staff=("T1",))
    none = complaint(world, "L-3", reason="C.1", business="B.1")
    apply_rules([done, late, none])
    complete(world["people"]["T2"], world["course"], timezone.now())
    Assignment.objects.filter(staff=world["people"]["T1"]).update(
        due_date=world["today"] - timedelta(days=1)
    )
    rows = {c.number: c for c in loop.with_loop(Complaint.objects.all())}
    assert {n: loop.state_of(c) for n, c in rows.items()} == {
        "L-1": loop.CLOSED,
        "L-2": loop.OVERDUE,
        "L-3": loop.NO_TRAINING,
    }
    assert loop.closed_on(rows["L-1"]) == world["today"]
    assert loop.closed_on(rows["L-2"]) is None
    ordered = loop.with_loop(Complaint.objects.all()).order_by("loop_rank", "-received_on", "pk")
    assert [c.number for c in ordered] == ["L-2", "L-3", "L-1"]
    everything = Complaint.objects.all()
    assert listing.state_counts(everything, listing.loop_index(everything)) == {
        loop.OVERDUE: 1,
        loop.IN_PROGRESS: 0,
        loop.NO_TRAINING: 1,
        loop.CLOSED: 1,
    }


def test_my_learning_says_targeted_and_why_without_the_complaint(client, world):
    row = complaint(world, "TS-SECRET-9")
    row.summary = "客户王某反映理财经理未告知费用"
    row.save()
    apply_rules([row])
    client.force_login(world["people"]["T1"].user)
    html = client.get("/learn/").content.decode()
    assert "针对性培训" in html and "信息披露要点" in html
    assert "因以下投诉安排：信息披露" in html
    assert "TS-SECRET-9" not in html and "王某" not in html


def test_an_old_completion_means_the_course_is_taken_again(world):
    # T1 completed the course 300 days ago, beyond the rule's 180 days: assigned, and the
    # course starts afresh so that reading it again completes the assignment.
    old = timezone.now() - timedelta(days=300)
    complete(world["people"]["T1"], world["course"], old)
    outcome = apply_rules([complaint(world, "OLD-1")])
    assignment = Assignment.objects.get(plan_item=world["item"], staff=world["people"]["T1"])
    assert outcome.assigned == 1 and assignment.status == Assignment.OPEN
    complete(world["people"]["T1"], world["course"], timezone.now())
    assignment.refresh_from_db()
    assert assignment.status == Assignment.COMPLETED
    assert assignment.record.completed_at > old + timedelta(days=299)


def test_a_completion_after_the_moment_of_the_complaint_is_not_credited(world):
    later = timezone.now() + timedelta(days=3)
    complete(world["people"]["T2"], world["course"], later)
    outcome = apply_rules([complaint(world, "FUTURE-1", staff=("T2",))])
    assert outcome.credited == 0 and outcome.assigned == 1


def test_publishing_the_plan_again_credits_no_targeted_training(world):
    ComplaintRule.objects.filter(name="信息披露").update(lookback_days=10)
    complete(world["people"]["T1"], world["course"], timezone.now() - timedelta(days=30))
    apply_rules([complaint(world, "PUB-1")])
    services.publish_plan(world["plan"])  # e.g. to assign an item added later
    assignment = Assignment.objects.get(plan_item=world["item"], staff=world["people"]["T1"])
    assert assignment.status == Assignment.OPEN


def test_a_batch_costs_the_same_queries_for_more_complaints(world):
    def run(prefix, count, staff):
        rows = [complaint(world, f"{prefix}-{n}", staff=staff) for n in range(count)]
        rows = list(Complaint.objects.filter(pk__in=[r.pk for r in rows]))
        with CaptureQueriesContext(connection) as captured:
            outcome = apply_rules(rows)
        return len(captured), outcome

    few, first = run("FEW", 2, ("T1",))
    many, second = run("MANY", 12, ("T2",))
    assert many == few
    assert (first.assigned, first.linked) == (1, 1)  # the second complaint links to it
    assert (second.assigned, second.linked) == (1, 11)
