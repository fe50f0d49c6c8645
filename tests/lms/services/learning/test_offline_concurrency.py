"""A room scanning at once, with real threads and connections (SQLite WAL and PostgreSQL): one
check-in and one record per person, however many taps, and an intact record chain."""

import itertools

import pytest
from django.utils import timezone

from lms import services
from lms.models import CheckIn, CompletionRecord, PlanItem
from lms.services.learning.offline import check_in
from tests.concurrency import THREADS, run_concurrently
from tests.factories import make_item, make_org, make_plan, make_session, make_staff

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world():
    org = make_org()
    plan = make_plan(timezone.localdate().year)
    item = make_item(plan, "工作坊", kind=PlanItem.OFFLINE, everyone=True)
    people = [make_staff(f"00010{n}", org["LZ0101"], name=f"员工{n}") for n in range(THREADS)]
    services.publish_plan(plan)
    return {"session": make_session(item, org["LZ01"]), "people": people}


def test_the_same_person_tapping_on_several_phones_checks_in_once(world):
    person, session = world["people"][0], world["session"]
    results, errors = run_concurrently(lambda: check_in(person.user, session))
    assert errors == []
    assert sum(created for _row, created in results) == 1
    assert len({row.pk for row, _created in results}) == 1
    assert CheckIn.objects.count() == 1 and CompletionRecord.objects.count() == 1


def test_a_room_scanning_at_once_gets_one_record_each_in_one_chain(world):
    session = world["session"]
    queue = itertools.count()
    people = world["people"]
    results, errors = run_concurrently(lambda: check_in(people[next(queue)].user, session))
    assert errors == []
    assert all(created for _row, created in results)
    assert CheckIn.objects.count() == THREADS == CompletionRecord.objects.count()
    report = services.verify_chain()
    assert report.ok and report.checked == THREADS, report.problems
