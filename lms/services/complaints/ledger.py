"""溯源整改台账: the complaint register with the training each complaint caused, as rows for
the streamed CSV and the workbook — one row per complaint and training it caused (one row with
empty training columns for a complaint that caused none): the complaint, its three codes, the
unit, the staff concerned, the person trained, the item, whether it was assigned or an earlier
completion credited, its due date and status, the completion record with its hash, and the day
the loop closed. Read in chunks: a few queries per ``chunk_size`` complaints."""

from collections import defaultdict

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from lms.models import Complaint, ComplaintTraining
from lms.services.complaints import loop
from lms.services.exports import local_text
from lms.services.plans import assignment_status
from lms.services.reports import status_label


def headings():
    return [
        _("Complaint number"),
        _("Received on"),
        _("Channel (A)"),
        _("Business category (B)"),
        _("Complaint reason (C)"),
        _("Unit code"),
        _("Unit"),
        _("Staff concerned"),
        _("Employee number"),
        pgettext("person", "Name"),
        _("Plan item"),
        _("How"),
        _("Due on"),
        _("Status"),
        _("Record ID"),
        pgettext("training record", "Completed at"),
        _("Record hash"),
        _("Loop"),
        _("Rectified on"),
    ]


def _code(code):
    return f"{code.code} {code.name}"


def ledger_rows(complaints, chunk_size=500):
    """Yield the rows of ``complaints`` (a queryset, already scoped), newest first."""
    complaints = complaints.order_by("-received_on", "-pk")
    assigned, credited = _("Assigned"), _("Earlier completion credited")
    ids = list(complaints.values_list("pk", flat=True))
    for start in range(0, len(ids), chunk_size):
        chunk = ids[start : start + chunk_size]
        rows = (
            loop.with_loop(Complaint.objects.filter(pk__in=chunk))
            .select_related("channel", "business", "reason", "org_unit")
            .prefetch_related("staff")
            .order_by("-received_on", "-pk")
        )
        trainings = defaultdict(list)
        links = ComplaintTraining.objects.filter(complaint_id__in=chunk).select_related(
            "assignment__staff", "assignment__plan_item", "assignment__record"
        )
        for link in links.order_by("pk"):
            trainings[link.complaint_id].append(link)
        for complaint in rows:
            head = [
                complaint.number,
                local_text(complaint.received_on),
                _code(complaint.channel),
                _code(complaint.business),
                _code(complaint.reason),
                complaint.org_unit.code,
                complaint.org_unit.name,
                "、".join(f"{s.name}({s.employee_no})" for s in complaint.staff.all()),
            ]
            tail = [str(loop.STATE_LABELS[loop.state_of(complaint)])]
            tail.append(local_text(loop.closed_on(complaint)))
            if not trainings[complaint.pk]:
                yield head + [""] * 9 + tail
            for link in trainings[complaint.pk]:
                assignment, record = link.assignment, link.assignment.record
                yield (
                    head
                    + [
                        assignment.staff.employee_no,
                        assignment.staff.name,
                        assignment.plan_item.title,
                        credited if link.credited else assigned,
                        local_text(assignment.due_date),
                        str(status_label(assignment_status(assignment))),
                        record.pk if record else "",
                        local_text(record.completed_at) if record else "",
                        record.hash if record else "",
                    ]
                    + tail
                )
