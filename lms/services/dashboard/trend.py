"""Completions per ISO week and the cumulative completion percentage, for a unit's subtree."""

import datetime
from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import TruncDate

from ...models import Assignment
from .counts import plan_assignments


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


def weekly_trend(assignments, items, year, assigned, today):
    """Completed assignments per ISO week (Monday to Sunday, Asia/Shanghai) of ``year`` up to
    this week, with the running total as a share of ``assigned``. One query. Completions dated
    before the year (credited from earlier records) count in its first week."""
    rows = (
        plan_assignments(assignments, items)
        .filter(status=Assignment.COMPLETED, completed_at__isnull=False)
        .annotate(day=TruncDate("completed_at"))  # in Asia/Shanghai; cheaper than TruncWeek
        .values("day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    first = datetime.date(year, 1, 1)
    first -= datetime.timedelta(days=first.weekday())
    last = min(today, datetime.date(year, 12, 31))
    last -= datetime.timedelta(days=last.weekday())
    per_week = {}
    for row in rows:
        day = row["day"]
        monday = day - datetime.timedelta(days=day.weekday())
        monday = min(max(monday, first), max(last, first))
        per_week[monday] = per_week.get(monday, 0) + row["n"]
    weeks, cumulative, monday = [], 0, first
    while monday <= last:
        done = per_week.get(monday, 0)
        cumulative += done
        percent = round(cumulative * 100 / assigned, 1) if assigned else 0.0
        weeks.append(Week(monday, done, cumulative, percent))
        monday += datetime.timedelta(days=7)
    return weeks
