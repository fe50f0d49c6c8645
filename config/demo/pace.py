"""How well each demo outlet keeps up with the plan, so 团队进度 shows a believable picture on
whatever day the demo is built: some outlets ahead of the quarterly targets, some on track, some
behind, and, once something is due, a few people overdue.

An outlet's pace scales and shifts the share the plan expects by today (``PACES``): (1.0, 0) is
on target, (1.1, +20 points) ahead, (0.6, −10 points) far behind. Outside the leading outlets
nobody's chance goes above ``CEILING``, so most outlets have someone late. (In the last weeks of
the year, when the plan expects nearly everything, nobody can be ahead of it.)
"""

from datetime import date, datetime, timedelta

from django.utils import timezone

from config.demo.clock import start_of_year
from lms.services.dashboard import expected_percent

#: Per outlet, ``(factor, shift)``: the share of its people who have done an item by today is
#: the plan's expected share × factor + shift. The shift gives the leaders a lead and the laggards
#: a gap that show from the first weeks, when a factor alone would still be within the ±5 points
#: of "on track".
PACES = {
    "LZ0101": (0.92, 0.0),  # the demo manager's outlet: a little behind, a few overdue
    "LZ0102": (1.1, 0.2),
    "LZ0103": (0.75, -0.1),
    "LZ0104": (0.9, 0.0),
    "LZ0201": (0.9, 0.0),  # manager2's outlet: a little behind
    "LZ0202": (1.1, 0.2),
    "LZ0203": (0.6, -0.1),
    "LZ0301": (1.1, 0.2),
    "LZ0302": (1.0, 0.0),
    "LZ0303": (0.7, -0.1),
    "LZ0401": (1.1, 0.2),
    "LZ0402": (0.8, -0.05),
    "LZ0403": (0.5, -0.1),
}
DEFAULT_PACE = (0.85, 0.0)
#: The outlet where one person has not started anything: the demo manager's.
LATE_COLLEAGUE_OUTLET = "LZ0101"
#: Nobody's chance goes above this, except in the leading outlets, which may finish everything.
CEILING = 0.97
LEADERS_CEILING = 1.0


def leads(unit):
    """Whether ``unit`` is one of the leading outlets (whose people also all turn up to a
    workshop held for them)."""
    return PACES.get(unit.code, DEFAULT_PACE)[1] > 0


def chance(unit, item, today):
    """The probability that someone of ``unit`` has done ``item`` by ``today``: none before the
    plan expects any, nor before a whole day of work on it has passed."""
    expected = expected_percent(
        item.quarterly_targets, item.plan.year, item.open_date, item.due_date, today
    )
    if expected <= 0 or today <= first_day(item):
        return 0.0
    factor, shift = PACES.get(unit.code, DEFAULT_PACE)
    ceiling = LEADERS_CEILING if leads(unit) else CEILING
    return max(0.0, min(ceiling, expected / 100 * factor + shift))


def moment(rng, first, today):
    """A working-hour moment (local time) on a day from ``first`` to yesterday, or now if there
    is no such day."""
    last = today - timedelta(days=1)
    if first > last:  # no whole day since work on it began (the first days of the year)
        return timezone.now()
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
