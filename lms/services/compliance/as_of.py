"""Who was compliant on a given day: every manager-facing number "as of" a date, read from the
completions credited to each assignment (``AssignmentCredit``: when each counted from and
until), not from today's status.

On day D an assignment of an item:

- counts at all if it was assigned by the end of D and not withdrawn by then;
- is *completed* if a completion credited to it counts on D (done on or before D, valid through
  D or without end);
- is *expired* if it is not completed but a completion credited to it lapsed before D;
- is *overdue* if it is neither and the item was due before D (an expired one is overdue too,
  as it is today);
- is *due soon* if it is neither and the item falls due within a week of D; else *open*.

Exemptions and extensions count from their approval until they are lifted (``Exemption``): an
exempt one (not completed) is left out; an extended one is overdue or due soon by its own date.

Known limits (said in the README): an assignment counts for the unit it is credited to now (a
transfer since D moves an open one), and otherwise the due date is the item's (a renewal's own
due date is not kept in history; a lapsed renewal shows as expired, which is overdue).

Corrections apply retroactively: the credited row of a superseded record is replaced by the
correction's, so "as of" answers with what is known now about that day (the report says when it
was cut off).
"""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.models import (
    Assignment,
    AssignmentCredit,
    AssignmentTally,
    AssignmentTallyChange,
    Exemption,
)
from lms.services.plans import DUE_SOON_DAYS

COMPLETED, EXPIRED, OVERDUE, DUE_SOON, OPEN = "completed", "expired", "overdue", "due_soon", "open"
EXEMPT = "exempt"


class BadDate(ValueError):
    """An as-of date that cannot be used (its message is translated)."""


def parse_as_of(value, today=None):
    """The date of an ``as_of`` parameter (``YYYY-MM-DD``), None when blank; ``BadDate`` for
    anything else or a day after today."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        day = value
    else:
        try:
            day = datetime.date.fromisoformat(str(value).strip())
        except ValueError:
            raise BadDate(_("Not a date (YYYY-MM-DD): %(value)s") % {"value": value}) from None
    if day > (today or timezone.localdate()):
        raise BadDate(_("A status as of a day can only be asked for today or a past day."))
    return day


def end_of(day):
    """The first moment after ``day`` in the site's time zone."""
    start = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    return timezone.make_aware(start)


def counted_on(day):
    """A filter on ``Assignment``: assigned by the end of ``day`` and not withdrawn by then."""
    end = end_of(day)
    withdrawn = Q(status=Assignment.WITHDRAWN) & (
        Q(withdrawn_at__isnull=True) | Q(withdrawn_at__lt=end)
    )
    return Q(assigned_at__lt=end) & ~withdrawn


def personal(assignments, day):
    """The exemptions and extensions in force at the end of ``day`` among ``assignments`` (a
    queryset): ``(exempt assignment ids, {assignment id: due date})``. Approved by then and not
    lifted by then; the latest extension wins. Two small queries (they are rare)."""
    end = end_of(day)
    rows = list(
        Exemption.objects.filter(
            status=Exemption.APPROVED,
            kind__in=[Exemption.EXEMPT, Exemption.EXTENSION],
            decided_at__lt=end,
        )
        .exclude(revoked_by__status=Exemption.APPROVED, revoked_by__decided_at__lt=end)
        .order_by("decided_at", "pk")
        .values_list("staff_id", "plan_item_id", "kind", "due_date")
    )
    if not rows:
        return set(), {}
    ids = dict(
        ((staff_id, item_id), pk)
        for pk, staff_id, item_id in assignments.filter(
            staff_id__in={row[0] for row in rows}, plan_item_id__in={row[1] for row in rows}
        ).values_list("pk", "staff_id", "plan_item_id")
    )
    exempt, due = set(), {}
    for staff_id, item_id, kind, due_date in rows:
        pk = ids.get((staff_id, item_id))
        if pk is None:
            continue
        if kind == Exemption.EXEMPT:
            exempt.add(pk)
        else:
            due[pk] = due_date
    return exempt, due


def in_force_on(day):
    """A filter on ``AssignmentCredit``: the row speaking for its assignment on ``day`` (done by
    then and not yet replaced by a later completion; at most one per assignment)."""
    return Q(valid_from__lte=day) & (Q(replaced_on__isnull=True) | Q(replaced_on__gt=day))


def _grouped(queryset, n):
    return (
        queryset.values("org_unit_id", "plan_item_id")
        .annotate(n=n)
        .order_by()
        .values_list("org_unit_id", "plan_item_id", "n")
    )


def _assigned_on(item_ids, unit_ids, day):
    """Per (unit, item): the assignments counted on ``day`` (``counted_on``), as the tallies
    count them now (``lms.models.tallies``: withdrawn ones left out), less those assigned
    since, plus those withdrawn since. Four small queries instead of a pass over every
    assignment of the plan."""
    end = end_of(day)
    assigned = Counter()
    mine = Assignment.objects.filter(plan_item_id__in=item_ids)
    if unit_ids is not None:
        mine = mine.filter(org_unit_id__in=unit_ids)
    for model in (AssignmentTally, AssignmentTallyChange):  # totals, then pending changes
        rows = model.objects.filter(plan_item_id__in=item_ids)
        if unit_ids is not None:
            rows = rows.filter(org_unit_id__in=unit_ids)
        for unit_id, item_id, n in _grouped(rows, Sum("n")):
            assigned[unit_id, item_id] += n or 0
    since = mine.filter(assigned_at__gte=end).exclude(status=Assignment.WITHDRAWN)
    for unit_id, item_id, n in _grouped(since, Count("pk")):
        assigned[unit_id, item_id] -= n
    left = mine.filter(status=Assignment.WITHDRAWN, assigned_at__lt=end, withdrawn_at__gte=end)
    for unit_id, item_id, n in _grouped(left, Count("pk")):
        assigned[unit_id, item_id] += n
    return {key: n for key, n in assigned.items() if n > 0}


def unit_item_rows(unit_ids, items, day):
    """``(org_unit_id, plan_item_id, assigned, completed, overdue, due_soon)`` tuples for the
    plan ``items`` and the units ``unit_ids`` (None: every unit) as of ``day``: the shape of
    ``lms.services.dashboard.counts.unit_item_rows``. Five queries: the assignments from the
    tallies with the few assigned or withdrawn since, and one pass over the credited rows in
    force that day (from an index alone on PostgreSQL)."""
    if not items:
        return []
    item_ids = [item.pk for item in items]
    assignments = Assignment.objects.filter(counted_on(day), plan_item__in=item_ids)
    if unit_ids is not None:
        assignments = assignments.filter(org_unit_id__in=unit_ids)
    assigned = _assigned_on(item_ids, unit_ids, day)
    credited = AssignmentCredit.objects.filter(in_force_on(day), plan_item_id__in=item_ids)
    if unit_ids is not None:
        credited = credited.filter(org_unit_id__in=unit_ids)
    counting = Q(valid_until__isnull=True) | Q(valid_until__gte=day)
    done = {
        (unit_id, item_id): (completed, lapsed)
        for unit_id, item_id, completed, lapsed in credited.values("org_unit_id", "plan_item_id")
        .annotate(completed=Count("pk", filter=counting), lapsed=Count("pk", filter=~counting))
        .order_by()
        .values_list("org_unit_id", "plan_item_id", "completed", "lapsed")
    }
    due = {item.pk: item.due_date for item in items}
    soon = day + datetime.timedelta(days=DUE_SOON_DAYS)
    numbers = {}
    for key in assigned.keys() | done.keys():
        unit_id, item_id = key
        count = assigned.get(key, 0)
        completed, lapsed = done.get(key, (0, 0))
        completed = min(completed, count)
        not_done = count - completed
        lapsed = min(lapsed, not_done)
        if due[item_id] < day:
            overdue, due_soon = not_done, 0
        else:
            overdue = lapsed
            due_soon = not_done - lapsed if due[item_id] <= soon else 0
        numbers[key] = [count, completed, overdue, due_soon]
    _apply_personal(numbers, assignments, day, soon)
    return [(*key, *values) for key, values in numbers.items()]


def _apply_personal(numbers, assignments, day, soon):
    """Correct the per (unit, item) ``numbers`` for the few people exempt or extended on
    ``day``: an exempt one not completed leaves the counts; an extended one is overdue or due
    soon by its own date."""
    exempt, due = personal(assignments, day)
    if not exempt and not due:
        return
    few = assignments.filter(pk__in=exempt | set(due))
    for pk, state in states(few, day, in_force=(exempt, due)).items():
        key = state.key
        if state.status in (COMPLETED, EXPIRED) or key not in numbers:
            continue
        values = numbers[key]
        before = state.item_due < day, state.item_due >= day and state.item_due <= soon
        values[2] -= before[0]
        values[3] -= before[1]
        if pk in exempt:
            values[0] -= 1
        elif state.status == OVERDUE:
            values[2] += 1
        elif state.status == DUE_SOON:
            values[3] += 1


@dataclass
class State:
    """One assignment as of a day: ``status`` (completed / exempt / expired / overdue /
    due_soon / open: completed wins over an exemption, as today) and the completion that
    counted or lapsed (``valid_from``, ``valid_until``, its record ``credited_record``), if
    any."""

    status: str
    valid_from: datetime.date | None = None
    valid_until: datetime.date | None = None
    credited_record: int | None = None
    #: ``(org_unit_id, plan_item_id)``, the person, the item's due date and the due date in
    #: force that day (an extension's).
    key: tuple = ()
    staff_id: int | None = None
    item_due: datetime.date | None = None
    due: datetime.date | None = None


def states(assignments, day, in_force=None):
    """``{assignment id: State}`` as of ``day`` for ``assignments`` (a queryset, already scoped;
    those not counted on ``day`` are left out). Two queries, and two more for the exemptions and
    extensions in force unless given (``in_force``: what ``personal`` returned). For one unit's
    people or one person."""
    assignments = assignments.filter(counted_on(day))
    rows = list(
        assignments.values_list(
            "pk", "org_unit_id", "plan_item_id", "staff_id", "plan_item__due_date"
        )
    )
    credits = {}
    for assignment_id, valid_from, valid_until, record_id in AssignmentCredit.objects.filter(
        in_force_on(day), assignment_id__in=[row[0] for row in rows]
    ).values_list("assignment_id", "valid_from", "valid_until", "record_id"):
        credits[assignment_id] = (valid_from, valid_until, record_id)
    if in_force is None:
        in_force = personal(assignments, day) if rows else (set(), {})
    exempt, extended = in_force
    soon = day + datetime.timedelta(days=DUE_SOON_DAYS)
    result = {}
    for pk, unit_id, item_id, staff_id, item_due in rows:
        credit = credits.get(pk)
        counts = credit is not None and (credit[1] is None or credit[1] >= day)
        due = extended.get(pk, item_due)
        context = {
            "key": (unit_id, item_id),
            "staff_id": staff_id,
            "item_due": item_due,
            "due": due,
        }
        status = status_of(counts, credit is not None, pk in exempt, due, day, soon)
        shown = credit if status in (COMPLETED, EXPIRED) else ()
        result[pk] = State(status, *shown, **context)
    return result


def status_of(counts, credited, exempt, due, day, soon):
    """The status of one assignment on ``day``: ``counts`` (a completion credited to it counts
    that day), ``credited`` (one was in force, counting or lapsed), ``exempt`` (an exemption in
    force), ``due`` (the due date in force), ``soon`` (the last day of "due soon")."""
    if counts:
        return COMPLETED
    if exempt:
        return EXEMPT
    if credited:  # the completion in force that day had lapsed
        return EXPIRED
    if due < day:
        return OVERDUE
    return DUE_SOON if due <= soon else OPEN
