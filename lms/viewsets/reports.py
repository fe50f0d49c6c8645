"""The training reports of the admin Reports menu (培训完成情况, 学习记录), built on Wagtail's
``ReportView`` with its CSV/XLSX export, and the regulator evidence export (监管留痕导出).

Officers see every unit, managers their subtree; anyone else who reached the admin (a
trainer) is refused with 403. Every queryset starts from ``lms.services.scope``. One ViewSet
(``lms_reports`` at /admin/training/) owns their URLs, the staff transcripts' and the three
Reports-menu items.
"""

from functools import partial

from django.contrib import messages
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.cache import never_cache
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import BaseListingView
from wagtail.admin.views.reports import ReportView
from wagtail.admin.viewsets.base import ViewSet

import quizzes.converters  # noqa: F401  (registers the <dbid:…> path converter)
from lms.models import Assignment, CompletionRecord, TrainingPlan
from lms.services.compliance import report_as_of
from lms.services.compliance.as_of import BadDate, parse_as_of
from lms.services.compliance.evidence_as_of import evidence_rows_as_of
from lms.services.exports import in_current_locale, local_text, stream_csv
from lms.services.reports import evidence_headings, evidence_rows, status_text, with_status
from lms.services.scope import ManagerRequiredMixin, ScopedQuerysetMixin, manager_required
from lms.views import transcripts
from lms.viewsets.base import ManagerMenuItem
from lms.viewsets.filters import AssignmentReportFilterSet, RecordReportFilterSet
from lms.viewsets.report_mixins import EXPORT_CHUNK, AsOfReportMixin, SafeExportMixin


def _completed_at(assignment):
    record = assignment.record
    return record.completed_at if record else assignment.completed_at


def _record_value(name):
    def get(assignment):
        return getattr(assignment.record, name) if assignment.record_id else None

    return get


_METHODS = dict(CompletionRecord.METHOD_CHOICES)


def _method(record):
    return str(_METHODS.get(record.method, record.method)) if record else ""


#: Wagtail's utility class: status cells, dates and numbers never wrap mid-word (已逾/期).
NOWRAP = "w-whitespace-nowrap"


class TranscriptColumn(Column):
    cell_template_name = "lms/admin/reports/transcript_cell.html"


def _credited(name):
    """A field of the record credited to the assignment on the day (as of a day)."""

    def get(assignment):
        record = report_as_of.credited_record(assignment)
        return getattr(record, name) if record else None

    return get


def _assignment_columns(values):
    """The columns of the training-completion report, reading the cells of ``values``."""
    return [
        Column("name", label=pgettext_lazy("person", "Name"), accessor=values["name"]),
        Column("employee_no", label=_("Employee number"), accessor="staff.employee_no"),
        Column("unit", label=_("Unit"), accessor="org_unit.name"),
        Column("position", label=_("Position"), accessor=values["position"]),
        Column("plan_item", label=_("Plan item"), accessor="plan_item.title"),
        Column("due_date", label=_("Due on"), accessor=values["due_date"], classname=NOWRAP),
        Column("status", label=_("Status"), accessor=values["status"], classname=NOWRAP),
        Column(
            "completed_at",
            label=pgettext_lazy("training record", "Completed at"),
            accessor=lambda a: local_text(values["completed_at"](a)),
            classname=NOWRAP,
        ),
        Column(
            "method",
            label=pgettext_lazy("completion method", "Method"),
            accessor=values["method"],
            classname=NOWRAP,
        ),
        Column("score", label=_("Score"), accessor=values["score"], classname=NOWRAP),
        Column("hours", label=_("Credit hours"), accessor=values["hours"], classname=NOWRAP),
        TranscriptColumn("transcript", label=_("Transcript"), accessor="staff_id"),
    ]


class AssignmentReportView(
    ManagerRequiredMixin, ScopedQuerysetMixin, AsOfReportMixin, SafeExportMixin, ReportView
):
    model = Assignment
    page_title = _("Training completion")
    header_icon = "tasks"
    index_url_name = "lms_reports:assignments"
    index_results_url_name = "lms_reports:assignments_results"
    filterset_class = AssignmentReportFilterSet
    export_filename = "training-completion"
    export_values = {
        "name": lambda a: a.staff.name,
        "employee_no": lambda a: a.staff.employee_no,
        "unit_code": lambda a: a.org_unit.code,
        "unit": lambda a: a.org_unit.name,
        "position": lambda a: a.staff.position.name if a.staff.position else "",
        "plan": lambda a: a.plan_item.plan.title,
        "plan_item": lambda a: a.plan_item.title,
        "due_date": lambda a: a.due_date,
        "status": lambda a: status_text(a.report_status, a.due_date, _completed_at(a)),
        "completed_at": _completed_at,
        "method": lambda a: _method(a.record),
        "score": _record_value("score"),
        "hours": _record_value("credit_hours"),
    }
    #: As of a day: the status that day, the due date in force then (an extension's) and the
    #: record credited that day (``lms.services.compliance.report_as_of``).
    export_values_as_of = {
        **export_values,
        "due_date": lambda a: a.due_on,
        "status": report_as_of.status_text,
        "completed_at": _credited("completed_at"),
        "method": lambda a: _method(report_as_of.credited_record(a)),
        "score": _credited("score"),
        "hours": _credited("credit_hours"),
    }
    export_headings = {
        "name": pgettext_lazy("person", "Name"),
        "employee_no": _("Employee number"),
        "unit_code": _("Unit code"),
        "unit": _("Unit"),
        "position": _("Position"),
        "plan": _("Plan"),
        "plan_item": _("Plan item"),
        "due_date": _("Due on"),
        "status": _("Status"),
        "completed_at": pgettext_lazy("training record", "Completed at"),
        "method": pgettext_lazy("completion method", "Method"),
        "score": _("Score"),
        "hours": _("Credit hours"),
    }
    columns = _assignment_columns(export_values)
    columns_as_of = _assignment_columns(export_values_as_of)
    as_of_note = _(
        "Status as of the end of %(date)s: who was assigned then, with the status, due date "
        "and completion of that day (from the credited completions and the exemptions, not "
        "today's status)."
    )

    def get_queryset(self):
        base = self.get_base_queryset()
        if self.as_of:
            found = report_as_of.assignments_as_of(base, self.as_of)
        else:
            found = with_status(base).select_related("record")
        return found.select_related(
            "staff", "staff__position", "org_unit", "plan_item", "plan_item__plan"
        ).order_by("org_unit__path", "staff__employee_no", "plan_item__sort_order", "pk")


def _superseded_label(record):
    return str(_("Superseded")) if record.superseded else ""


class RecordReportView(
    ManagerRequiredMixin, ScopedQuerysetMixin, AsOfReportMixin, SafeExportMixin, ReportView
):
    model = CompletionRecord
    page_title = _("Completion records")
    header_icon = "doc-full"
    index_url_name = "lms_reports:records"
    index_results_url_name = "lms_reports:records_results"
    filterset_class = RecordReportFilterSet
    export_filename = "completion-records"
    export_values = {
        "id": lambda r: r.pk,
        "completed_at": lambda r: r.completed_at,
        "name": lambda r: r.staff.name if r.staff else r.user.get_username(),
        "employee_no": lambda r: r.staff.employee_no if r.staff else "",
        "title": lambda r: r.title,
        "kind": lambda r: r.get_kind_display(),
        "method": lambda r: r.get_method_display(),
        "score": lambda r: r.score,
        "hours": lambda r: r.credit_hours,
        "revision": lambda r: r.content_revision_id,
        "unit_code": lambda r: r.credited_unit.code if r.credited_unit else "",
        "unit": lambda r: r.credited_unit.name if r.credited_unit else "",
        "superseded": _superseded_label,
        "supersedes": lambda r: r.supersedes_id,
        "hash": lambda r: r.hash,
    }
    export_headings = {
        "id": _("Record ID"),
        "completed_at": pgettext_lazy("training record", "Completed at"),
        "name": pgettext_lazy("person", "Name"),
        "employee_no": _("Employee number"),
        "title": pgettext_lazy("training record", "Title"),
        "kind": _("Kind"),
        "method": pgettext_lazy("completion method", "Method"),
        "score": _("Score"),
        "hours": _("Credit hours"),
        "revision": _("Content revision"),
        "unit_code": _("Credited unit code"),
        "unit": _("Credited unit"),
        "superseded": _("Superseded"),
        "supersedes": _("Corrects record"),
        "hash": _("Record hash"),
    }
    columns = [
        Column("id", label=_("Record ID"), accessor="pk"),
        Column(
            "completed_at",
            label=pgettext_lazy("training record", "Completed at"),
            accessor=lambda r: local_text(r.completed_at),
            classname=NOWRAP,
        ),
        Column("name", label=pgettext_lazy("person", "Name"), accessor=export_values["name"]),
        Column("employee_no", label=_("Employee number"), accessor=export_values["employee_no"]),
        Column("title", label=pgettext_lazy("training record", "Title")),
        Column("kind", label=_("Kind"), accessor="get_kind_display", classname=NOWRAP),
        Column(
            "method",
            label=pgettext_lazy("completion method", "Method"),
            accessor="get_method_display",
            classname=NOWRAP,
        ),
        Column("score", label=_("Score"), classname=NOWRAP),
        Column("hours", label=_("Credit hours"), accessor="credit_hours", classname=NOWRAP),
        Column("revision", label=_("Content revision"), accessor="content_revision_id"),
        Column("unit", label=_("Credited unit"), accessor=export_values["unit"]),
        Column("superseded", label=_("Superseded"), accessor=_superseded_label, classname=NOWRAP),
    ]

    as_of_note = _(
        "Records as of the end of %(date)s: those recorded by then; a record is superseded "
        "only if its correction was recorded by then."
    )

    def get_queryset(self):
        found = self.get_base_queryset()
        if self.as_of:
            found = report_as_of.records_as_of(found, self.as_of)
        return (
            found.select_related("staff", "user", "credited_unit")
            .annotate(superseded=report_as_of.superseded(self.as_of))
            .order_by("-completed_at", "-pk")
        )


# --- The evidence export ---------------------------------------------------------------------


class DownloadColumn(Column):
    cell_template_name = "lms/admin/reports/evidence_download_cell.html"


class EvidenceIndexView(ManagerRequiredMixin, BaseListingView):
    """The plans, each with its evidence download (the rows of the user's scope)."""

    page_title = _("Evidence export")
    header_icon = "download"
    index_url_name = "lms_reports:evidence"
    paginate_by = 50
    columns = [
        Column("title", label=_("Plan")),
        Column("year", label=_("Year")),
        Column("status", label=_("Status"), accessor="get_status_display", classname=NOWRAP),
        DownloadColumn("download", label=_("Evidence (CSV)"), accessor="pk"),
    ]

    def get_queryset(self):
        return TrainingPlan.objects.exclude(status=TrainingPlan.DRAFT).order_by("-year", "title")


@never_cache
@manager_required
def evidence_csv(request, plan_id):
    """Every person × item of the plan in the user's scope, streamed as CSV (UTF-8 with BOM):
    the first bytes leave before the query runs, and memory stays flat whatever the size.
    ``?as_of=YYYY-MM-DD``: as of that past day (a bad or future day: back to the list, saying
    why)."""
    plan = get_object_or_404(TrainingPlan, pk=plan_id)
    try:
        day = parse_as_of(request.GET.get("as_of"))
    except BadDate as error:
        messages.error(request, str(error))
        return redirect("lms_reports:evidence")
    if day is None:
        rows = evidence_rows(request.user, plan, chunk_size=EXPORT_CHUNK)
    else:
        rows = evidence_rows_as_of(request.user, plan, day, chunk_size=EXPORT_CHUNK)
    response = StreamingHttpResponse(
        in_current_locale(stream_csv(evidence_headings(), rows)),
        content_type="text/csv; charset=utf-8",
    )
    filename = f"evidence-{plan.year}-plan{plan.pk}-{day or timezone.localdate():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class ReportsViewSet(ViewSet):
    """The training reports, the evidence export and the staff transcripts under
    /admin/training/, and their three items in the Reports menu (officers and managers only)."""

    name = "lms_reports"
    url_prefix = "training"
    menu_hook = "register_reports_menu_item"
    MENU_ITEMS = [
        # (label, view name, menu name, icon, order)
        (_("Training completion"), "assignments", "training-completion", "tasks", 1300),
        (_("Completion records"), "records", "training-records", "doc-full", 1310),
        (_("Evidence export"), "evidence", "training-evidence", "download", 1320),
    ]

    def get_urlpatterns(self):
        return [
            path("reports/assignments/", AssignmentReportView.as_view(), name="assignments"),
            path(
                "reports/assignments/results/",
                AssignmentReportView.as_view(results_only=True),
                name="assignments_results",
            ),
            path("reports/records/", RecordReportView.as_view(), name="records"),
            path(
                "reports/records/results/",
                RecordReportView.as_view(results_only=True),
                name="records_results",
            ),
            path("evidence/", EvidenceIndexView.as_view(), name="evidence"),
            path("evidence/<dbid:plan_id>.csv", evidence_csv, name="evidence_csv"),
            path(
                "transcripts/<dbid:staff_id>.pdf",
                transcripts.staff_transcript_pdf,
                name="transcript_pdf",
            ),
            path(
                "transcripts/<dbid:staff_id>.xlsx",
                transcripts.staff_transcript_xlsx,
                name="transcript_xlsx",
            ),
        ]

    def register_menu_item(self):
        for label, view_name, menu_name, icon, order in self.MENU_ITEMS:
            hooks.register(
                self.menu_hook,
                partial(
                    ManagerMenuItem,
                    label,
                    reverse_lazy(self.get_url_name(view_name)),
                    name=menu_name,
                    icon_name=icon,
                    order=order,
                ),
            )
