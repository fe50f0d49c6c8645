"""A realistic data set at bank scale for the benchmarks (``manage.py lms_bench_data``): an org
tree (branch → ~20 sub-branches → outlets, each outlet with a head who manages it), positions,
staff, one published plan of N items for everyone, assignments with a mix of completed / open /
overdue / withdrawn (each outlet has its own pace), and completion records: one per completed
assignment, a few corrections, and older records up to the requested total.

Rows are written in bulk (PostgreSQL ``COPY``, batched ``executemany`` elsewhere). Records are
still a valid hash chain: each is hashed with ``lms.services.records.record_hash`` in pk order,
continuing the existing chain, and the chain head is moved on, so ``lms_verify_records`` passes.
The dashboards' tallies are recounted and the completions credited at the end
(``lms_check_tallies`` passes).
"""

import random

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from bench.dataset.assignments import Built, build_assignments
from bench.dataset.org import OFFICER_USERNAME, PREFIX, build_org, build_plan, build_staff
from bench.dataset.writing import fast_foreign_keys
from lms.models import (
    Assignment,
    AssignmentCredit,
    AssignmentTally,
    CompletionRecord,
    OrgUnit,
    StaffProfile,
)
from lms.services.compliance import credits
from lms.services.dashboard import tallies

__all__ = ["PREFIX", "Built", "build"]


def build(staff=20000, units=300, items=30, records=1_000_000, seed=2026, log=None):
    """Build the whole data set in one transaction; returns a ``Built`` with the counts."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    today = timezone.localdate()
    say = log or (lambda message: None)
    with transaction.atomic():
        fast_foreign_keys()
        _root, subs, outlets = build_org(units)
        say(f"units: {1 + len(subs) + len(outlets)}")
        people = build_staff(staff, outlets, rng)
        say(f"staff: {len(people)}")
        _plan, plan_items = build_plan(items, today.year)
        officer_id = get_user_model().objects.get(username=OFFICER_USERNAME).pk
        built = build_assignments(people, plan_items, outlets, records, rng, today, officer_id)
        # Replica mode also skipped the dashboards' tally triggers and the credited-completion
        # triggers: count and credit what was written.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = origin")
        tallies.rebuild()
        credits.backfill()
    if connection.vendor == "postgresql":  # fresh statistics for the planner
        with connection.cursor() as cursor:
            for model in (
                Assignment,
                AssignmentCredit,
                AssignmentTally,
                CompletionRecord,
                StaffProfile,
                OrgUnit,
            ):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
    built.units = 1 + len(subs) + len(outlets)
    built.staff = len(people)
    return built
