"""Writers at once, with real threads and connections (SQLite WAL and PostgreSQL): the tallies
end exact, writers touching the same keys neither wait for each other nor deadlock (they only
append change rows), and folds running alongside them lose nothing."""

import itertools
import random
from datetime import date

import pytest
from django.db import connection, transaction
from django.utils import timezone

from lms import services
from lms.models import Assignment, AssignmentTally, AssignmentTallyChange
from lms.services.dashboard import tallies
from tests.concurrency import THREADS, run_concurrently
from tests.factories import make_item, make_org, make_plan, make_staff

pytestmark = pytest.mark.django_db(transaction=True)
PER_GROUP = 5


def counted(**filters):
    """Assignments counted by the tallies (totals and pending changes) matching ``filters``."""
    return sum(
        sum(model.objects.filter(**filters).values_list("n", flat=True))
        for model in (AssignmentTally, AssignmentTallyChange)
    )


@pytest.fixture
def outlet():
    org = make_org()
    plan = make_plan(2026)
    items = [
        make_item(plan, f"课程{n}", everyone=True, due_date=date(2026, 6, 30)) for n in range(3)
    ]
    people = [
        make_staff(f"0002{n:02d}", org["LZ0101"], name=f"员工{n}")
        for n in range(THREADS * PER_GROUP)
    ]
    services.publish_plan(plan)
    return {"unit": org["LZ0101"], "items": items, "people": people}


def test_completions_in_one_unit_at_once_are_all_counted(outlet):
    """Every thread completes its own person's items: the same tally rows, at once."""
    queue = itertools.count()
    people = outlet["people"]

    def complete_one():
        person = people[next(queue)]
        with transaction.atomic():
            for assignment in Assignment.objects.filter(staff=person).order_by("pk"):
                assignment.status = Assignment.COMPLETED
                assignment.completed_at = timezone.now()
                assignment.save(update_fields=["status", "completed_at"])

    results, errors = run_concurrently(complete_one)
    assert errors == []
    assert counted(status=Assignment.COMPLETED) == THREADS * len(outlet["items"])
    assert tallies.drift() == []


def test_bulk_updates_over_the_same_tally_rows_do_not_deadlock(outlet):
    """Each thread moves the due dates of its own group of people in one statement, touching
    the same (unit, item, open, due date) tally rows as every other thread, in its own order."""
    groups = [outlet["people"][n::THREADS] for n in range(THREADS)]
    queue = itertools.count()

    def extend():
        number = next(queue)
        staff = groups[number]
        with transaction.atomic():
            items = outlet["items"] if number % 2 else list(reversed(outlet["items"]))
            for item in items:
                Assignment.objects.filter(staff__in=staff, plan_item=item).update(
                    due_date=date(2026, 9, 30)
                )

    results, errors = run_concurrently(extend)
    assert errors == []
    assert counted(due_date=date(2026, 9, 30)) == THREADS * PER_GROUP * len(outlet["items"])
    assert tallies.drift() == []


def test_folds_while_writers_write_lose_nothing(outlet):
    """Half the threads complete their person's items, the other half fold at the same time."""
    queue = itertools.count()
    people = outlet["people"]

    def work():
        number = next(queue)
        if number % 2:
            return tallies.fold()
        with transaction.atomic():
            Assignment.objects.filter(staff=people[number]).update(
                status=Assignment.COMPLETED, completed_at=timezone.now()
            )
        return None

    results, errors = run_concurrently(work)
    assert errors == []
    assert counted(status=Assignment.COMPLETED) == (THREADS // 2) * len(outlet["items"])
    assert tallies.drift() == []
    tallies.fold()
    assert tallies.pending() == 0 and tallies.drift() == []


def flush_orders():
    """Table orders for a flush: tallies first, assignments last, and a few shuffles."""
    tallies_first = ["tally", "weekchange", "weektally", "change", "assignment"]

    def rank(table, words):
        return next((n for n, word in enumerate(words) if table.endswith(word)), len(words))

    return {
        "tallies first": lambda tables: sorted(tables, key=lambda t: rank(t, tallies_first)),
        "assignments last": lambda tables: sorted(tables, key=lambda t: t.endswith("assignment")),
        **{
            f"shuffle {seed}": lambda tables, seed=seed: random.Random(seed).sample(
                tables, len(tables)
            )
            for seed in range(4)
        },
    }


@pytest.mark.parametrize("order", sorted(flush_orders()))
def test_a_flush_in_any_table_order_leaves_no_tally_rows(outlet, order):
    """A flush (the test runner, ``manage.py flush``) deletes table after table in an order that
    changes from run to run, while the assignment triggers fire; SQLite must end with empty
    tallies and no broken foreign key. (PostgreSQL flushes with TRUNCATE: no row triggers.)"""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL flushes with TRUNCATE")
    Assignment.objects.filter(staff=outlet["people"][0]).update(
        status=Assignment.COMPLETED, completed_at=timezone.now()
    )
    tables = connection.introspection.django_table_names(only_existing=True)
    with transaction.atomic(), connection.cursor() as cursor:
        for table in flush_orders()[order](sorted(tables)):
            cursor.execute(f'DELETE FROM "{table}"')  # noqa: S608 - the database's own tables
    assert tallies.pending() == 0
    assert not AssignmentTally.objects.exists() and not Assignment.objects.exists()
