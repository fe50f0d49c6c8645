"""Completion counts and the GROUP BY queries they come from.

Unit totals come from ``AssignmentTally`` (``lms.models.tallies``): the assignments already
counted by (unit, item, status, due date), kept current by database triggers in the same
transaction as every change, so a completion shows on the next page load. A person's numbers
are counted from the ``Assignment`` rows themselves. Either way:

- an assignment counts for the unit it is credited to (``Assignment.org_unit``): a completed
  assignment stays with the outlet that earned it after a transfer, open ones follow the person;
- withdrawn assignments (a leaver's open ones, people who left an item's audience) count nowhere;
- exempt ones (``lms.models.Exemption``) are not required: not assigned, never overdue;
- an expired one (a renewal not done in time, ``lms_recertify``) is to do again, and overdue;
- an assignment is completed or not; a correction superseding its record does not make it count
  twice.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from lms.models import Assignment, AssignmentTally, AssignmentTallyChange
from lms.services.dashboard.pace import expected_percent, pace_of
from lms.services.plans import DUE_SOON_DAYS


@dataclass
class Counts:
    """Assignments (neither withdrawn nor exempt), completed, overdue (to do: open or expired,
    due before today), due soon (to do, due today … today + 7) and ``expected`` (Σ assigned ×
    expected % of their item), so that the expected share of a mix of items is weighted by how
    many people each one concerns."""

    assigned: int = 0
    completed: int = 0
    overdue: int = 0
    due_soon: int = 0
    expected_sum: float = 0.0

    @classmethod
    def of(cls, numbers):
        """From a ``[assigned, completed, overdue, due_soon, expected_sum]`` list."""
        return cls(*numbers)

    def add(self, other):
        self.assigned += other.assigned
        self.completed += other.completed
        self.overdue += other.overdue
        self.due_soon += other.due_soon
        self.expected_sum += other.expected_sum
        return self

    @property
    def open(self):
        return self.assigned - self.completed

    @property
    def percent(self):
        """Completed / assigned, in percent with one decimal (None with nothing assigned)."""
        if not self.assigned:
            return None
        return round(self.completed * 100 / self.assigned, 1)

    @property
    def expected(self):
        if not self.assigned:
            return None
        return round(self.expected_sum / self.assigned, 1)

    @property
    def pace(self):
        return pace_of(self.percent, self.expected)

    def as_dict(self):
        return {
            "assigned": self.assigned,
            "completed": self.completed,
            "percent": self.percent,
            "overdue": self.overdue,
            "due_soon": self.due_soon,
            "expected": self.expected,
            "pace": self.pace,
        }


def count_annotations(today):
    """The conditional counts of one GROUP BY row (the queryset excludes withdrawn ones)."""
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    is_open = Q(status__in=Assignment.TO_DO)
    return {
        "n_assigned": Count("pk", filter=~Q(status=Assignment.EXEMPT)),
        "n_completed": Count("pk", filter=Q(status=Assignment.COMPLETED)),
        "n_overdue": Count("pk", filter=is_open & Q(due_date__lt=today)),
        "n_due_soon": Count("pk", filter=is_open & Q(due_date__gte=today, due_date__lte=soon)),
        "n_expired": Count("pk", filter=Q(status=Assignment.EXPIRED)),
        "n_exempt": Count("pk", filter=Q(status=Assignment.EXEMPT)),
    }


def plan_assignments(assignments, items):
    """``assignments`` (already scoped) of the plan ``items``, withdrawn ones left out."""
    return assignments.filter(plan_item_id__in=[item.pk for item in items]).exclude(
        status=Assignment.WITHDRAWN
    )


def unit_item_rows(unit_ids, items, today):
    """Two queries on the tallies (the folded totals, then the pending changes):
    ``(org_unit_id, plan_item_id, assigned, completed, overdue, due_soon)`` tuples for the plan
    ``items`` and the units ``unit_ids`` (None: every unit). A (unit, item) pair may come twice,
    once from each table: the numbers add up. Plain tuples: a branch has thousands of them."""
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    is_open = Q(status__in=Assignment.TO_DO)
    rows = []
    for model in (AssignmentTally, AssignmentTallyChange):
        queryset = model.objects.filter(plan_item_id__in=[item.pk for item in items])
        if unit_ids is not None:
            queryset = queryset.filter(org_unit_id__in=unit_ids)
        rows += (
            queryset.values("org_unit_id", "plan_item_id")
            .annotate(
                n_assigned=Sum("n", filter=~Q(status=Assignment.EXEMPT)),
                n_completed=Sum("n", filter=Q(status=Assignment.COMPLETED)),
                n_overdue=Sum("n", filter=is_open & Q(due_date__lt=today)),
                n_due_soon=Sum("n", filter=is_open & Q(due_date__gte=today, due_date__lte=soon)),
            )
            .order_by()
            .values_list(
                "org_unit_id",
                "plan_item_id",
                "n_assigned",
                "n_completed",
                "n_overdue",
                "n_due_soon",
            )
        )
    # A SUM over no matching rows is NULL.
    return [
        (unit, item, assigned or 0, completed or 0, overdue or 0, soon or 0)
        for unit, item, assigned, completed, overdue, soon in rows
    ]


def item_expected(item, today):
    return expected_percent(
        item.quarterly_targets, item.plan.year, item.open_date, item.due_date, today
    )
