"""Completions per ISO week and the cumulative completion percentage, for a unit's subtree."""

import datetime
from dataclasses import dataclass

from django.db.models import Sum

from lms.models import CompletionWeekChange, CompletionWeekTally


@dataclass
class Week:
    monday: datetime.date
    completed: int
    cumulative: int
    percent: float

    @property
    def label(self):
        """ISO week, e.g. ``W07``."""
        return f"W{self.monday.isocalendar().week:02d}"


def weekly_trend(plan, unit_ids, assigned, today):
    """Completed assignments of ``plan`` credited to the units ``unit_ids`` per ISO week (Monday
    to Sunday, local time) of the plan's year up to this week, with the running total as a
    share of ``assigned``. Two queries, on the weekly tallies (``lms.models.tallies``).
    Completions dated before the year (credited from earlier records) count in its first week,
    later ones in its last."""
    year = plan.year
    rows = []
    for model in (CompletionWeekTally, CompletionWeekChange):  # totals, then pending changes
        rows += (
            model.objects.filter(plan=plan, org_unit_id__in=unit_ids)
            .values("week")
            .annotate(n=Sum("n"))
            .order_by()
            .values_list("week", "n")
        )
    first = datetime.date(year, 1, 1)
    first -= datetime.timedelta(days=first.weekday())
    last = min(today, datetime.date(year, 12, 31))
    last -= datetime.timedelta(days=last.weekday())
    per_week = {}
    for monday, n in rows:
        monday = min(max(monday, first), max(last, first))
        per_week[monday] = per_week.get(monday, 0) + n
    weeks, cumulative, monday = [], 0, first
    while monday <= last:
        done = per_week.get(monday, 0)
        cumulative += done
        percent = round(cumulative * 100 / assigned, 1) if assigned else 0.0
        weeks.append(Week(monday, done, cumulative, percent))
        monday += datetime.timedelta(days=7)
    return weeks
