"""Reports on assignments and records for managers: the status of an assignment as a query
(so "overdue" filters in the database) and the regulator evidence export (监管留痕导出).

Everything starts from the scope querysets (:mod:`lms.services.scope`): a manager's report or
export only ever holds rows of their subtree.
"""

import zoneinfo

from django.conf import settings
from django.db import transaction
from django.db.models import Case, CharField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext, pgettext_lazy

from lms.models import Assignment, CompletionRecord, Exemption, PlanItem
from lms.services.compliance.exemptions import decider_name, latest_decisions
from lms.services.exports import local_text, person_label
from lms.services.plans import (
    COMPLETED,
    EXEMPT,
    EXPIRED,
    IN_PROGRESS,
    NOT_STARTED,
    OVERDUE,
    WITHDRAWN,
    assignment_status,
)
from lms.services.scope import visible_assignments, visible_exemptions

STATUS_CHOICES = [
    (NOT_STARTED, pgettext_lazy("learning", "Not started")),
    (IN_PROGRESS, pgettext_lazy("learning", "In progress")),
    (COMPLETED, gettext_lazy("Completed")),
    (OVERDUE, gettext_lazy("Overdue")),
    (WITHDRAWN, gettext_lazy("Withdrawn")),
    (EXPIRED, gettext_lazy("Expired")),
    (EXEMPT, gettext_lazy("Exempt")),
]


def status_conditions(today=None):
    """``{status: Q}``: the rules of :func:`lms.services.plans.assignment_status` as filters,
    ``today`` in the site's time zone (Asia/Shanghai) by default."""
    today = today or timezone.localdate()
    open_ = Q(status=Assignment.OPEN)
    return {
        COMPLETED: Q(status=Assignment.COMPLETED),
        WITHDRAWN: Q(status=Assignment.WITHDRAWN),
        EXPIRED: Q(status=Assignment.EXPIRED),
        EXEMPT: Q(status=Assignment.EXEMPT),
        OVERDUE: open_ & Q(due_date__lt=today),
        IN_PROGRESS: open_ & Q(due_date__gte=today, started_at__isnull=False),
        NOT_STARTED: open_ & Q(due_date__gte=today, started_at__isnull=True),
    }


def with_status(queryset, today=None):
    """Assignments annotated with ``report_status`` (one of the statuses above), computed by
    the database."""
    whens = [When(q, then=Value(name)) for name, q in status_conditions(today).items()]
    return queryset.annotate(
        report_status=Case(*whens, default=Value(NOT_STARTED), output_field=CharField())
    )


def status_label(status):
    return dict(STATUS_CHOICES).get(status, status)


def days_late(due_date, completed_at):
    """Whole days from ``due_date`` to the day of ``completed_at`` (a datetime, read as a local
    date in the site's time zone, Asia/Shanghai, whatever zone the viewer has chosen); 0 when
    it was done on or before the due date, or either is missing."""
    if due_date is None or completed_at is None:
        return 0
    if hasattr(completed_at, "hour"):
        completed_at = timezone.localtime(completed_at, zoneinfo.ZoneInfo(settings.TIME_ZONE))
        completed_at = completed_at.date()
    return max((completed_at - due_date).days, 0)


def late_label(days):
    """The status of a completion ``days`` (> 0) after its due date."""
    return ngettext("Completed (%(days)d day late)", "Completed (%(days)d days late)", days) % {
        "days": days
    }


def status_text(status, due_date=None, completed_at=None):
    """The label of ``status``; a completion after the due date says so, with the days late
    (已完成（逾期3天）)."""
    if status == COMPLETED:
        days = days_late(due_date, completed_at)
        if days:
            return late_label(days)
    return str(status_label(status))


# --- The evidence export ---------------------------------------------------------------------

EVIDENCE_FIELDS = [
    "staff__employee_no",
    "staff__name",
    "staff__position__name",
    "staff__is_active",
    "org_unit__code",
    "org_unit__name",
    "plan_item__title",
    "plan_item__kind",
    "due_date",
    "status",
    "started_at",
    "completed_at",
    "record__completed_at",
    "record__method",
    "record__score",
    "record__credit_hours",
    "record__evidence__time_spent_seconds",
    "record__content_revision_id",
    "record__credited_unit__code",
    "record__credited_unit__name",
    "record_id",
    "record__hash",
    "record__recorded_by__first_name",
    "record__recorded_by__last_name",
    "record__recorded_by__username",
    "record__reason",
    "staff_id",
    "plan_item_id",
]


def evidence_headings():
    return [
        _("Employee number"),
        pgettext("person", "Name"),
        _("Position"),
        _("Staff status"),
        _("Unit code"),
        _("Unit"),
        _("Plan item"),
        _("Kind"),
        _("Due on"),
        _("Status"),
        _("Completed at (Beijing time)"),
        pgettext("completion method", "Method"),
        _("Score"),
        _("Credit hours"),
        _("Time spent"),
        _("Content revision"),
        _("Credited unit code"),
        _("Credited unit"),
        _("Record ID"),
        _("Record hash"),
        _("Recorded by"),
        _("Reason"),
        _("Exemption / extension"),
        _("Exemption reason"),
        _("Granted by"),
        _("Granted at"),
    ]


def time_spent_text(seconds, template=None):
    """Reading time in the evidence export as minutes and seconds, ``"12 min 34 s"``
    (“12分34秒”) for 754 seconds: words, not ``12:34``, which a spreadsheet would read as a
    time of day in hours. ``""`` when the record has none (an offline session, an attestation,
    a record from before reading time was kept). ``template`` is the translated format, looked
    up once per export."""
    if seconds is None or isinstance(seconds, bool):
        return ""
    try:
        seconds = max(int(seconds), 0)
    except (TypeError, ValueError):
        return ""
    template = template or _("%(minutes)d min %(seconds)02d s")
    return template % {"minutes": seconds // 60, "seconds": seconds % 60}


def evidence_queryset(user, plan):
    """The values of every assignment of ``plan`` in ``user``'s scope, one row per person ×
    item, people grouped together. One query; iterate it with ``.iterator()``."""
    return (
        visible_assignments(user)
        .filter(plan_item__plan=plan)
        .order_by("staff_id", "plan_item_id")
        .values_list(*EVIDENCE_FIELDS)
    )


class _Row:
    """Holds the three fields :func:`assignment_status` reads, so a row read as values gets
    its status from the one rule."""

    __slots__ = ("status", "due_date", "started_at")


def evidence_rows(user, plan, today=None, chunk_size=2000):
    """Yield the evidence rows (in the order of :func:`evidence_headings`) of ``plan`` visible
    to ``user``, streaming from the database ``chunk_size`` rows at a time."""
    today = today or timezone.localdate()
    # Labels translated once, not per row.
    statuses = {key: str(label) for key, label in STATUS_CHOICES}
    kinds = {key: str(label) for key, label in PlanItem.KIND_CHOICES}
    methods = {key: str(label) for key, label in CompletionRecord.METHOD_CHOICES}
    active, leaver = pgettext("staff status", "Active"), _("Left")
    late = {}
    spent = _("%(minutes)d min %(seconds)02d s")
    row = _Row()
    decisions = latest_decisions(visible_exemptions(user).filter(plan_item__plan=plan))
    for (
        employee_no,
        name,
        position,
        is_active,
        unit_code,
        unit_name,
        title,
        kind,
        due_date,
        status,
        started_at,
        completed_at,
        record_completed_at,
        method,
        score,
        hours,
        time_spent,
        revision_id,
        credited_code,
        credited_name,
        record_id,
        record_hash,
        first_name,
        last_name,
        username,
        reason,
        staff_id,
        item_id,
    ) in streamed(evidence_queryset(user, plan), chunk_size):
        status = _status(row, status, due_date, started_at, today)
        label = statuses[status]
        if status == COMPLETED:
            days = days_late(due_date, record_completed_at or completed_at)
            if days:
                label = late.get(days) or late.setdefault(days, late_label(days))
        yield (
            employee_no,
            name,
            position,
            active if is_active else leaver,
            unit_code,
            unit_name,
            title,
            kinds.get(kind, kind),
            local_text(due_date),
            label,
            local_text(record_completed_at or completed_at),
            methods.get(method, method) if method else "",
            score,
            hours,
            time_spent_text(time_spent, spent),
            revision_id,
            credited_code,
            credited_name,
            record_id,
            record_hash,
            person_label(first_name, last_name, username) if username else "",
            reason or "",
            *exemption_cells(decisions.get((staff_id, item_id))),
        )


def exemption_cells(decision):
    """The four exemption columns of the evidence export for the latest approved decision
    (``latest_decisions``) of a person × item: what it is, its reason, who granted it and when.
    Empty cells when there is none."""
    if decision is None:
        return ("", "", "", "")
    kind = decision["kind"]
    if kind == Exemption.EXTENSION:
        label = _("Extension to %(date)s (was %(before)s)") % {
            "date": local_text(decision["due_date"]),
            "before": local_text(decision["previous_due_date"]),
        }
    else:
        label = str(dict(Exemption.KIND_CHOICES).get(kind, kind))
    return (label, decision["reason"], decider_name(decision), local_text(decision["decided_at"]))


def streamed(queryset, chunk_size):
    """Iterate ``queryset`` from the database ``chunk_size`` rows at a time. Inside a
    transaction: on PostgreSQL an iterator outside one uses a WITH HOLD cursor, which the
    server materialises in full before the first row arrives (seconds for 600k rows); inside,
    rows flow at once, all from one consistent snapshot."""
    with transaction.atomic():
        yield from queryset.iterator(chunk_size=chunk_size)


def _status(row, status, due_date, started_at, today):
    row.status, row.due_date, row.started_at = status, due_date, started_at
    return assignment_status(row, today)
