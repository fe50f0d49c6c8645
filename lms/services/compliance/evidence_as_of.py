"""The evidence export (监管留痕导出) as of a past day: the same columns as today's
(``lms.services.reports.evidence_headings``), one row per person × item assigned by then and not
withdrawn by then, each with its status that day (``lms.services.compliance.as_of``), the
record of the completion that counted (or lapsed) that day, the due date in force then, and the
exemption or extension decided by then. Streamed: a few queries per ``chunk_size`` rows."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from lms.models import Assignment, CompletionRecord, PlanItem
from lms.services.compliance import as_of
from lms.services.compliance.exemptions import latest_decisions
from lms.services.exports import local_text, person_label
from lms.services.reports import (
    STATUS_CHOICES,
    days_late,
    exemption_cells,
    late_label,
    streamed,
    time_spent_text,
)
from lms.services.scope import visible_assignments, visible_exemptions

PERSON_FIELDS = [
    "pk",
    "staff__employee_no",
    "staff__name",
    "staff__position__name",
    "staff__is_active",
    "org_unit__code",
    "org_unit__name",
    "plan_item__title",
    "plan_item__kind",
    "staff_id",
    "plan_item_id",
]
RECORD_FIELDS = [
    "pk",
    "completed_at",
    "method",
    "score",
    "credit_hours",
    "evidence__time_spent_seconds",
    "content_revision_id",
    "credited_unit__code",
    "credited_unit__name",
    "hash",
    "recorded_by__first_name",
    "recorded_by__last_name",
    "recorded_by__username",
    "reason",
]


def _chunks(rows, size):
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def evidence_rows_as_of(user, plan, day, chunk_size=2000):
    """Yield the evidence rows of ``plan`` visible to ``user`` as of ``day``."""
    labels = {key: str(label) for key, label in STATUS_CHOICES}
    labels[as_of.OPEN] = labels[as_of.DUE_SOON] = _("Not done yet")
    kinds = {key: str(label) for key, label in PlanItem.KIND_CHOICES}
    methods = {key: str(label) for key, label in CompletionRecord.METHOD_CHOICES}
    active, leaver = pgettext("staff status", "Active"), _("Left")
    spent = _("%(minutes)d min %(seconds)02d s")
    mine = visible_assignments(user).filter(plan_item__plan=plan)
    in_force = as_of.personal(mine, day)
    decisions = latest_decisions(
        visible_exemptions(user).filter(plan_item__plan=plan, decided_at__lt=as_of.end_of(day))
    )
    people = (
        mine.filter(as_of.counted_on(day))
        .order_by("staff_id", "plan_item_id")
        .values_list(*PERSON_FIELDS)
    )
    for chunk in _chunks(streamed(people, chunk_size), chunk_size):
        states = as_of.states(
            Assignment.objects.filter(pk__in=[row[0] for row in chunk]), day, in_force
        )
        records = {
            row[0]: row
            for row in CompletionRecord.objects.filter(
                pk__in={s.credited_record for s in states.values() if s.credited_record}
            ).values_list(*RECORD_FIELDS)
        }
        for (
            pk,
            employee_no,
            name,
            position,
            is_active,
            code,
            unit,
            title,
            kind,
            staff,
            item,
        ) in chunk:
            state = states[pk]
            record = records.get(state.credited_record) or (None,) * len(RECORD_FIELDS)
            (_pk, done_at, method, score, hours, seconds, revision, credited_code) = record[:8]
            credited_name, digest, first, last, username, reason = record[8:]
            label = labels[state.status]
            late = days_late(state.due, done_at) if state.status == as_of.COMPLETED else 0
            if late:
                label = late_label(late)
            yield (
                employee_no,
                name,
                position,
                active if is_active else leaver,
                code,
                unit,
                title,
                kinds.get(kind, kind),
                local_text(state.due),
                label,
                local_text(done_at),
                methods.get(method, method) if method else "",
                score,
                hours,
                time_spent_text(seconds, spent),
                revision,
                credited_code,
                credited_name,
                record[0],
                digest,
                person_label(first, last, username) if username else "",
                reason or "",
                *exemption_cells(decisions.get((staff, item))),
            )
