"""How long a completion counts: a plan item's validity rule applied to a completion date.

- ``PlanItem.NO_EXPIRY``: it never expires (``None``).
- ``PlanItem.MONTHS``: N months from the completion: completed on 15 March with 12 months, it
  counts through 14 March of the next year (the day before the same date N months on). Where
  that month is shorter, through its last day: 31 August + 6 months counts through 28 (or 29)
  February.
- ``PlanItem.YEAR_END``: through 31 December of the completion's year.

A renewal done while the previous completion still counts starts where that one ends, not on
the day it was done: whoever renews early loses nothing (a year-end item renewed in December
counts through the end of the next year)."""

import calendar
import datetime

from django.utils import timezone

from lms.models import PlanItem

ONE_DAY = datetime.timedelta(days=1)


def add_months(day, months):
    """``day`` moved by ``months`` calendar months, clamped to the target month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def local_day(moment):
    """The date of ``moment`` (aware) in the site's time zone; a date is returned as is."""
    if isinstance(moment, datetime.datetime):
        return timezone.localdate(moment)
    return moment


def valid_until(kind, months, completed, prior_valid_until=None):
    """The last day a completion on ``completed`` (a date or an aware datetime) counts under the
    rule ``kind``/``months``; None when it does not expire. ``prior_valid_until``: the last day
    of the completion this one renews (it starts the day after, if that is later)."""
    if not kind or (kind == PlanItem.MONTHS and not months):
        return None
    start = local_day(completed)
    if prior_valid_until is not None and prior_valid_until >= start:
        start = prior_valid_until + ONE_DAY
    if kind == PlanItem.YEAR_END:
        return datetime.date(start.year, 12, 31)
    end = add_months(start, months)
    return end if end.day < start.day else end - ONE_DAY


def item_valid_until(item, completed, prior_valid_until=None):
    return valid_until(item.validity_kind, item.validity_months, completed, prior_valid_until)
