"""How well each demo outlet keeps up with the plan, so 团队进度 shows a believable picture on
whatever day the demo is built: some outlets ahead of the quarterly targets, some on track, some
behind, and a few people overdue everywhere.

An outlet's factor scales the share the plan expects by today: 1.0 is on target, 1.1 ahead,
0.6 far behind. Nobody's chance goes above ``CEILING``, so even the best outlet has someone late.
"""

from datetime import date, datetime, timedelta

from django.utils import timezone

from lms.demo.clock import start_of_year
from lms.services.dashboard import expected_percent

FACTORS = {
    "LZ0101": 0.92,  # the demo manager's outlet: a little behind, a few overdue
    "LZ0102": 1.2,
    "LZ0103": 0.75,
    "LZ0104": 0.9,
    "LZ0201": 0.9,  # manager2's outlet: a little behind
    "LZ0202": 1.2,
    "LZ0203": 0.6,
    "LZ0301": 1.2,
    "LZ0302": 1.0,
    "LZ0303": 0.7,
    "LZ0401": 1.2,
    "LZ0402": 0.8,
    "LZ0403": 0.5,
}
DEFAULT_FACTOR = 0.85
CEILING = 0.97


def chance(unit, item, today):
    """The probability that someone of ``unit`` has done ``item`` by ``today``."""
    expected = expected_percent(
        item.quarterly_targets, item.plan.year, item.open_date, item.due_date, today
    )
    return min(CEILING, expected / 100 * FACTORS.get(unit.code, DEFAULT_FACTOR))


def moment(rng, first, today):
    """A working-hour moment (local time) on a day from ``first`` to yesterday."""
    last = today - timedelta(days=1)
    first = min(first, last)
    day = first + timedelta(days=int(rng.random() * ((last - first).days + 1)))
    start = datetime(day.year, day.month, day.day, 9, tzinfo=timezone.get_current_timezone())
    return start + timedelta(minutes=int(rng.random() * 9 * 60))


def first_day(item):
    """The first day the plan expects work on ``item``: its open date, or the start of the
    first quarter with a target above zero; never before the plan went out."""
    first = item.open_date
    for quarter, target in enumerate(item.quarterly_targets or []):
        if float(target) > 0:
            first = max(first, date(item.plan.year, quarter * 3 + 1, 1))
            break
    return max(first, start_of_year(item.plan.year).date())
