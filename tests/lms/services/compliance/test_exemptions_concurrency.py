"""Officers deciding the same request at once, with real threads and connections (SQLite WAL
and PostgreSQL): it is decided once, and the assignment changed once."""

import itertools

import pytest
from django.db import connection

from lms.models import Assignment, Exemption
from lms.services.compliance import exemptions
from tests.concurrency import THREADS, run_concurrently
from tests.lms import exemption_world

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(roles, officer):
    return exemption_world.build(officer)


def test_concurrent_approvals_decide_once(world):
    person, item = world.people["000101"], world.overdue_item
    row = exemptions.request(world.manager, person, item, Exemption.EXEMPT, "长期病假")
    officer = world.officer

    def approve():
        return exemptions.approve(officer, row, note="同意").pk

    results, errors = run_concurrently(approve)
    assert len(results) == 1, (results, errors)
    assert len(errors) == THREADS - 1
    assert all(isinstance(error, exemptions.AlreadyDecided) for error in errors), errors
    decided = Exemption.objects.get()
    assert decided.status == Exemption.APPROVED and decided.decided_by == officer
    assert Assignment.objects.get(staff=person, plan_item=item).status == Assignment.EXEMPT


def test_approve_and_reject_at_once_decide_once(world):
    person, item = world.people["000102"], world.overdue_item
    row = exemptions.request(world.manager, person, item, Exemption.EXEMPT, "理由")
    turns = itertools.count()

    def decide():
        action = exemptions.approve if next(turns) % 2 else exemptions.reject
        return action(world.officer, row).status

    results, errors = run_concurrently(decide)
    assert len(results) == 1 and len(errors) == THREADS - 1, (results, errors, connection.vendor)
    final = Exemption.objects.get()
    assert final.status == results[0]
    expected = Assignment.EXEMPT if final.status == Exemption.APPROVED else Assignment.OPEN
    assert Assignment.objects.get(staff=person, plan_item=item).status == expected
