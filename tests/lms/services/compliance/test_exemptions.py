"""Exemptions and extensions: requested by a manager, decided by an officer, lifted; their effect
on the assignment and on the dashboards; append-only rows."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from lms.models import Assignment, Exemption, ImmutableExemption
from lms.services import dashboard
from lms.services.compliance import exemptions
from lms.services.compliance.exemptions import AlreadyDecided, ExemptionError, NotInScope
from lms.services.plans import assignment_status
from lms.services.reports import evidence_headings, evidence_rows
from tests.lms import exemption_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(roles, officer):
    return exemption_world.build(officer)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def assignment(person, item):
    return Assignment.objects.get(staff=person, plan_item=item)


def totals(world, user=None):
    return dashboard.team_overview(user or world.officer, world.plan).total


def test_request_then_approve_exempts_and_drops_from_assigned_and_overdue(world):
    person, item = world.people["000101"], world.overdue_item
    before = totals(world)
    row = exemptions.request(world.manager, person, item, Exemption.EXEMPT, "长期病假")
    assert row.status == Exemption.REQUESTED and row.requested_by == world.manager
    assert assignment(person, item).status == Assignment.OPEN  # not yet
    approved = exemptions.approve(world.officer, row, note="同意")
    assert approved.status == Exemption.APPROVED and approved.decided_by == world.officer
    assert approved.decision_note == "同意" and approved.decided_at is not None
    found = assignment(person, item)
    assert found.status == Assignment.EXEMPT
    assert assignment_status(found) == "exempt"  # never overdue
    after = totals(world)
    assert after.assigned == before.assigned - 1
    assert after.overdue == before.overdue - 1
    people = {
        p.id: p
        for p in dashboard.people_rows(
            world.officer,
            [world.overdue_item, world.later_item],
            [world.org["LZ0101"].pk],
            timezone.localdate(),
        )
    }
    assert people[person.pk].exempt == 1 and people[person.pk].overdue == 0


def test_extension_moves_an_overdue_assignment_to_not_overdue_and_lift_restores(world):
    person, item = world.people["000102"], world.overdue_item
    new_date = timezone.localdate() + timedelta(days=14)
    before = totals(world)
    row = exemptions.grant(world.officer, person, item, Exemption.EXTENSION, "外派学习", new_date)
    found = assignment(person, item)
    assert found.due_date == new_date and assignment_status(found) == "not_started"
    assert row.previous_due_date == item.due_date  # the date it had stays readable
    item.refresh_from_db()
    assert item.due_date == timezone.localdate() - timedelta(days=1)  # the item is untouched
    assert totals(world).overdue == before.overdue - 1
    assert totals(world).assigned == before.assigned  # still required
    lift = exemptions.lift(world.officer, row, "提前返岗")
    assert lift.kind == Exemption.LIFT and lift.revokes == row
    found = assignment(person, item)
    assert found.due_date == item.due_date and assignment_status(found) == "overdue"
    assert totals(world).overdue == before.overdue


def test_lifting_an_exemption_makes_it_to_do_again(world):
    person, item = world.people["000101"], world.overdue_item
    row = exemptions.grant(world.officer, person, item, Exemption.EXEMPT, "长期病假")
    assert assignment(person, item).status == Assignment.EXEMPT
    exemptions.lift(world.officer, row, "病愈返岗")
    found = assignment(person, item)
    assert found.status == Assignment.OPEN and assignment_status(found) == "overdue"
    with pytest.raises(ExemptionError, match="already been lifted"):
        exemptions.lift(world.officer, row, "again")
    assert Exemption.objects.count() == 2


def test_lifting_restores_expired_when_the_last_completion_has_lapsed(world):
    person, item = world.people["000101"], world.later_item
    Assignment.objects.filter(staff=person, plan_item=item).update(
        valid_until=timezone.localdate() - timedelta(days=3)
    )
    row = exemptions.grant(world.officer, person, item, Exemption.EXEMPT, "调岗")
    exemptions.lift(world.officer, row, "撤销")
    assert assignment(person, item).status == Assignment.EXPIRED


def test_rejected_request_leaves_the_assignment(world):
    person, item = world.people["000101"], world.overdue_item
    row = exemptions.request(world.manager, person, item, Exemption.EXEMPT, "理由")
    rejected = exemptions.reject(world.officer, row, note="不符合条件")
    assert rejected.status == Exemption.REJECTED
    assert assignment(person, item).status == Assignment.OPEN
    with pytest.raises(AlreadyDecided):
        exemptions.approve(world.officer, row)
    assert assignment(person, item).status == Assignment.OPEN


@pytest.mark.parametrize(
    ("kind", "reason", "days", "message"),
    [
        (Exemption.EXEMPT, "  ", None, "Give a reason"),
        (Exemption.EXTENSION, "理由", None, "Give the new due date"),
        (Exemption.EXTENSION, "理由", -2, "must be after the current one"),
        (Exemption.EXTENSION, "理由", -1, "must be after the current one"),
    ],
)
def test_bad_requests_are_clear_errors(world, kind, reason, days, message):
    item = world.overdue_item
    due = item.due_date + timedelta(days=days + 1) if days is not None else None
    with pytest.raises(ExemptionError, match=message):
        exemptions.request(world.manager, world.people["000101"], item, kind, reason, due)
    assert Exemption.objects.count() == 0


def test_already_exempt_and_no_assignment_are_errors(world):
    person, item = world.people["000101"], world.overdue_item
    exemptions.grant(world.officer, person, item, Exemption.EXEMPT, "理由")
    with pytest.raises(ExemptionError, match="already exempt"):
        exemptions.grant(world.officer, person, item, Exemption.EXEMPT, "理由")
    with pytest.raises(ExemptionError, match="already exempt"):
        exemptions.request(
            world.manager,
            person,
            item,
            Exemption.EXTENSION,
            "理由",
            timezone.localdate() + timedelta(days=9),
        )
    Assignment.objects.filter(staff=world.people["000102"], plan_item=item).delete()
    with pytest.raises(ExemptionError, match="has no assignment"):
        exemptions.request(world.manager, world.people["000102"], item, Exemption.EXEMPT, "理由")
    assert Exemption.objects.count() == 1


def test_a_completed_assignment_stays_completed_but_the_exemption_is_kept(world):
    person, item = world.people["000101"], world.later_item
    Assignment.objects.filter(staff=person, plan_item=item).update(
        status=Assignment.COMPLETED, completed_at=timezone.now()
    )
    row = exemptions.grant(world.officer, person, item, Exemption.EXEMPT, "补录")
    assert row.status == Exemption.APPROVED
    assert assignment(person, item).status == Assignment.COMPLETED
    with pytest.raises(ExemptionError, match="nothing to extend"):
        exemptions.grant(
            world.officer,
            person,
            item,
            Exemption.EXTENSION,
            "x",
            timezone.localdate() + timedelta(days=90),
        )


def test_a_manager_cannot_request_outside_their_units_nor_decide(world):
    outsider = world.people["000201"]  # 七里河
    with pytest.raises(NotInScope):
        exemptions.request(world.manager, outsider, world.overdue_item, Exemption.EXEMPT, "x")
    row = exemptions.request(
        world.manager, world.people["000101"], world.overdue_item, Exemption.EXEMPT, "x"
    )
    with pytest.raises(PermissionDenied):
        exemptions.approve(world.manager, row)
    with pytest.raises(PermissionDenied):
        exemptions.grant(
            world.manager, world.people["000102"], world.overdue_item, Exemption.EXEMPT, "x"
        )
    # The other branch's head holds the permission but not the unit.
    with pytest.raises(NotInScope):
        exemptions.request(
            world.other_manager, world.people["000101"], world.later_item, Exemption.EXEMPT, "x"
        )
    assert Exemption.objects.get().status == Exemption.REQUESTED
    assert assignment(world.people["000101"], world.overdue_item).status == Assignment.OPEN


def test_the_same_pending_request_twice_is_refused(world):
    person, item = world.people["000101"], world.overdue_item
    exemptions.request(world.manager, person, item, Exemption.EXEMPT, "x")
    with pytest.raises(ExemptionError, match="already waiting"):
        exemptions.request(world.manager, person, item, Exemption.EXEMPT, "x")


def test_rows_cannot_be_updated_or_deleted_through_the_orm(world):
    row = exemptions.grant(
        world.officer, world.people["000101"], world.overdue_item, Exemption.EXEMPT, "x"
    )
    row.reason = "changed"
    with pytest.raises(ImmutableExemption):
        row.save()
    with pytest.raises(ImmutableExemption):
        row.delete()
    with pytest.raises(ImmutableExemption):
        Exemption.objects.filter(pk=row.pk).update(reason="changed")
    with pytest.raises(ImmutableExemption):
        Exemption.objects.all().delete()
    with pytest.raises(ImmutableExemption):
        Exemption.objects.bulk_update([row], ["reason"])
    with pytest.raises(ImmutableExemption):  # a decision is requested → approved / rejected only
        Exemption.objects.decide(
            row.pk, status=Exemption.REQUESTED, decided_by=None, decided_at=None
        )
    assert Exemption.objects.get(pk=row.pk).reason == "x"


def test_the_evidence_export_shows_the_latest_decision(world):
    person, item = world.people["000101"], world.overdue_item
    exemptions.grant(world.officer, person, item, Exemption.EXEMPT, "长期病假")
    headings = evidence_headings()
    rows = [
        dict(zip(headings, row, strict=True)) for row in evidence_rows(world.officer, world.plan)
    ]
    mine = [r for r in rows if r["Employee number"] == "000101" and r["Plan item"] == item.title]
    assert len(mine) == 1
    assert mine[0]["Status"] == "Exempt"
    assert mine[0]["Exemption / extension"] == "Exemption"
    assert mine[0]["Exemption reason"] == "长期病假"
    assert mine[0]["Granted by"] == world.officer.get_full_name()
    assert mine[0]["Granted at"]
    others = [r for r in rows if r["Employee number"] == "000102"]
    assert all(r["Exemption / extension"] == "" for r in others)
