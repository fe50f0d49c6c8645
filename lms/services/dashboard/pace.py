"""Pace against the plan: how much of an item should be done by a given day.

A plan item's ``quarterly_targets`` (e.g. ``[25, 50, 75, 100]``) say what share of its
assignments should be completed by the end of each quarter of the plan's year. Between two
quarter ends we **interpolate linearly by day**: on 15 February (day 46 of 90 in Q1) a 25 %
first-quarter target expects 12.8 %. A step function would say 0 % until 31 March and then jump,
calling everybody "ahead" all quarter and "behind" on 1 April; interpolation asks for steady work.
After the last given quarter the last target holds. An item without targets expects a straight
line from its open date (0 %) to its due date (100 %). **After its due date every item expects
100 %**, whatever its targets say: an item due 30 June with the default ``[25, 50, 75, 100]``
would otherwise "expect" 91 % in late November from people who are all overdue.

A unit is *ahead* when its completion is at least ``PACE_TOLERANCE`` points above the expected
share, *behind* when at least that many below, *on track* otherwise.
"""

import datetime

AHEAD = "ahead"
ON_TRACK = "on_track"
BEHIND = "behind"
#: Percentage points of slack either side of the expected share that still count as on track.
PACE_TOLERANCE = 5.0

QUARTER_ENDS = ((3, 31), (6, 30), (9, 30), (12, 31))


def _linear(start, end, start_value, end_value, today):
    """``start_value`` on the day before ``start``, ``end_value`` at the end of ``end``."""
    days = (end - start).days + 1
    done = min(max((today - start).days + 1, 0), days)
    return start_value + (end_value - start_value) * done / days


def expected_percent(targets, year, open_date, due_date, today):
    """The share (0–100) of an item's assignments expected to be completed by the end of
    ``today``: from the quarterly ``targets`` of a plan of ``year``, else from the window
    ``open_date``–``due_date``."""
    targets = [float(t) for t in (targets or [])][:4]
    if today > due_date:
        return 100.0
    if targets:
        if today < datetime.date(year, 1, 1):
            return 0.0
        previous, start = 0.0, datetime.date(year, 1, 1)
        for target, (month, day) in zip(targets, QUARTER_ENDS, strict=False):
            end = datetime.date(year, month, day)
            if today <= end:
                return round(_linear(start, end, previous, target, today), 1)
            previous, start = target, end + datetime.timedelta(days=1)
        return targets[-1]
    if today < open_date:
        return 0.0
    if today == due_date:
        return 100.0
    return round(_linear(open_date, due_date, 0.0, 100.0, today), 1)


def pace_of(percent, expected):
    """ahead / on_track / behind, or None when there is nothing to measure."""
    if percent is None or expected is None:
        return None
    if percent >= expected + PACE_TOLERANCE:
        return AHEAD
    if percent <= expected - PACE_TOLERANCE:
        return BEHIND
    return ON_TRACK
