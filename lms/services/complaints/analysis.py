"""Complaints next to training (counts, not claims of causation).

``by_month``: complaints of a year per top-level code of one dimension and month, for a unit's
subtree (a bank's own sub-code counts for the standard code above it).

``mapped_completion``: for each complaint reason that a rule maps to training, the completion of
those targeted items among the unit's staff.

``before_after``: for a unit and each mapped reason, complaints of that reason in the months
before and after the day half of the unit's people trained on it had completed it.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth

from lms.models import Assignment, Complaint, ComplaintRule
from lms.services.complaints.targeting import ancestors
from quizzes.models import ClassificationCode

FIELDS = {"A": "channel_id", "B": "business_id", "C": "reason_id"}
WINDOW_MONTHS = 3


def tops(dimension):
    """The top-level codes of ``dimension``, in order."""
    return list(
        ClassificationCode.objects.filter(dimension=dimension, parent__isnull=True).order_by(
            "sort_order", "code"
        )
    )


def _top_of(lines, heads):
    return {pk: next((h for h in heads if h in line), None) for pk, line in lines.items()}


def by_month(complaints, year, dimension="C"):
    """``(codes, {code id: [12 monthly counts]}, totals)`` for ``complaints`` (scoped)."""
    codes = tops(dimension)
    top = _top_of(ancestors(), {code.pk for code in codes})
    counts = defaultdict(lambda: [0] * 12)
    rows = (
        complaints.filter(received_on__year=year)
        .annotate(month=ExtractMonth("received_on"))
        .values(FIELDS[dimension], "month")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list(FIELDS[dimension], "month", "n")
    )
    for code_id, month, n in rows:
        head = top.get(code_id)
        if head is not None:
            counts[head][month - 1] += n
    totals = [sum(counts[c.pk][m] for c in codes) for m in range(12)]
    return codes, dict(counts), totals


@dataclass
class Mapped:
    """A complaint reason a rule maps to training, and that training in a unit."""

    reason: ClassificationCode
    assigned: int
    completed: int
    half_done_on: datetime.date | None
    before: int | None = None
    after: int | None = None
    after_complete: bool = False

    @property
    def percent(self):
        return round(self.completed * 100 / self.assigned, 1) if self.assigned else None


def mapped_completion(unit, today):
    """``[Mapped]`` for each reason of an active rule, the training of its items among the
    assignments credited to ``unit``'s subtree (withdrawn ones left out)."""
    items_by_reason = defaultdict(set)
    for rule in ComplaintRule.objects.filter(is_active=True, reason__isnull=False).prefetch_related(
        "items"
    ):
        items_by_reason[rule.reason_id] |= {item.pk for item in rule.items.all()}
    if not items_by_reason:
        return []
    reasons = ClassificationCode.objects.in_bulk(items_by_reason)
    mine = Assignment.objects.filter(org_unit__path__startswith=unit.path).exclude(
        status=Assignment.WITHDRAWN
    )
    found = []
    for reason_id, item_ids in items_by_reason.items():
        rows = mine.filter(plan_item_id__in=item_ids)
        numbers = rows.aggregate(
            assigned=Count("pk"), completed=Count("pk", filter=Q(status=Assignment.COMPLETED))
        )
        half = None
        if numbers["completed"] and numbers["completed"] * 2 >= numbers["assigned"]:
            done = list(
                rows.filter(status=Assignment.COMPLETED)
                .order_by("completed_at")
                .values_list("completed_at", flat=True)
            )
            half = done[(numbers["assigned"] + 1) // 2 - 1].date()
        found.append(Mapped(reasons[reason_id], numbers["assigned"], numbers["completed"], half))
    found.sort(key=lambda mapped: mapped.reason.code)
    _before_after(found, unit, today)
    return found


def _months(day, months):
    month = day.month - 1 + months
    year = day.year + month // 12
    return datetime.date(year, month % 12 + 1, min(day.day, 28))


def _before_after(found, unit, today):
    """Complaints of each reason (and codes below it) in the unit's subtree, ``WINDOW_MONTHS``
    before and after the day half of the trained had completed."""
    lines = ancestors()
    dated = [m for m in found if m.half_done_on]
    if not dated:
        return
    start = min(_months(m.half_done_on, -WINDOW_MONTHS) for m in dated)
    rows = Complaint.objects.filter(
        org_unit__path__startswith=unit.path, received_on__gte=start
    ).values_list("reason_id", "received_on")
    counts = Counter()
    for reason_id, received in rows:
        for mapped in dated:
            if mapped.reason.pk not in lines.get(reason_id, ()):
                continue
            day = mapped.half_done_on
            if _months(day, -WINDOW_MONTHS) <= received < day:
                counts[mapped.reason.pk, "before"] += 1
            elif day <= received < _months(day, WINDOW_MONTHS):
                counts[mapped.reason.pk, "after"] += 1
    for mapped in dated:
        mapped.before = counts[mapped.reason.pk, "before"]
        mapped.after = counts[mapped.reason.pk, "after"]
        mapped.after_complete = _months(mapped.half_done_on, WINDOW_MONTHS) <= today
