"""The person transcript (个人培训档案) for HR files: the person, every assignment of every plan
with its status, every completion record (superseded ones marked) and the credit hours per
year, as PDF (reportlab, the certificates' CID font) or XLSX (openpyxl).

Read in three queries whatever the number of plans and records. Who may read whose
transcript is the caller's business: the views start from ``visible_staff`` or the learner's
own profile.
"""

import io
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from xml.sax.saxutils import escape

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from lms.models import Assignment, CompletionRecord, StaffProfile
from lms.services.exports import local_text, neutralise, person_label
from lms.services.plans import assignment_status
from lms.services.records.certificates import register_font
from lms.services.records.outside import provenance
from lms.services.reports import status_text

#: Records entered or corrected by hand: the transcript says by whom and why.
ENTERED = (CompletionRecord.OFFICER_IMPORT, CompletionRecord.CORRECTION)


def plan_label(plan):
    """The plan as the transcript names it: its title, which usually holds the year already
    ("2026年度消保培训计划"); the year in front only when the title lacks it."""
    title = (plan.title or "").strip()
    if not title:
        return str(plan.year)
    if str(plan.year) in title:
        return title
    return f"{plan.year} {title}"


@dataclass
class Transcript:
    staff: StaffProfile
    assignments: list
    records: list
    hours_by_year: list = field(default_factory=list)
    generated_at: object = None

    def details(self):
        """``[(label, value)]`` of the person."""
        staff = self.staff
        return [
            (pgettext("person", "Name"), staff.name),
            (_("Employee number"), staff.employee_no),
            (_("Unit"), f"{staff.org_unit.name} ({staff.org_unit.code})"),
            (_("Position"), staff.position.name if staff.position else ""),
            (_("Hire date"), local_text(staff.hire_date)),
            (
                _("Staff status"),
                pgettext("staff status", "Active") if staff.is_active else _("Left"),
            ),
            (_("Generated at"), local_text(self.generated_at)),
        ]

    def assignment_rows(self):
        today = timezone.localdate()
        rows = []
        for a in self.assignments:
            completed_at = a.record.completed_at if a.record else a.completed_at
            status = assignment_status(a, today)
            rows.append(
                (
                    plan_label(a.plan_item.plan),
                    a.plan_item.title,
                    local_text(a.due_date),
                    status_text(status, a.due_date, completed_at),
                    local_text(completed_at),
                )
            )
        return rows

    @staticmethod
    def method_text(record):
        """The method, with who entered or corrected the record by hand and why."""
        if record.method not in ENTERED:
            return record.get_method_display()
        who = record.recorded_by
        name = person_label(who.first_name, who.last_name, who.get_username()) if who else ""
        return provenance(record.get_method_display(), name, record.reason)

    def record_rows(self):
        return [
            (
                local_text(r.completed_at),
                r.title,
                self.method_text(r),
                r.score,
                r.credit_hours,
                r.content_revision_id,
                r.credited_unit.name if r.credited_unit else "",
                _("Superseded") if r.superseded else "",
                r.pk,
            )
            for r in self.records
        ]


def transcript(staff):
    """The transcript of ``staff`` (a StaffProfile with ``org_unit`` and ``position`` loaded)."""
    assignments = list(
        Assignment.objects.filter(staff=staff)
        .select_related("plan_item__plan", "record")
        .order_by("-plan_item__plan__year", "plan_item__plan_id", "plan_item__sort_order", "pk")
    )
    records = list(
        CompletionRecord.objects.filter(user_id=staff.user_id)
        .select_related("credited_unit", "recorded_by")
        .annotate(superseded=Exists(CompletionRecord.objects.filter(supersedes=OuterRef("pk"))))
        .order_by("completed_at", "pk")
    )
    hours = defaultdict(Decimal)
    for record in records:
        # Of a chain of corrections only the newest record counts (as on the learner home).
        if not record.superseded:
            hours[timezone.localtime(record.completed_at).year] += record.credit_hours
    return Transcript(
        staff=staff,
        assignments=assignments,
        records=records,
        hours_by_year=sorted(hours.items()),
        generated_at=timezone.now(),
    )


def assignment_headings():
    return [
        _("Plan"),
        _("Plan item"),
        _("Due on"),
        _("Status"),
        pgettext("training record", "Completed at"),
    ]


def record_headings():
    return [
        pgettext("training record", "Completed at"),
        pgettext("training record", "Title"),
        pgettext("completion method", "Method"),
        _("Score"),
        _("Credit hours"),
        _("Content revision"),
        _("Credited unit"),
        _("Superseded"),
        _("Record ID"),
    ]


# --- XLSX ------------------------------------------------------------------------------------


def render_xlsx(data):
    """The transcript as an XLSX workbook (bytes), in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = _("Person")
        _append_rows(sheet, data.details())
        assignments = workbook.create_sheet(_("Assignments"))
        _append_rows(assignments, [assignment_headings(), *data.assignment_rows()])
        records = workbook.create_sheet(_("Records"))
        _append_rows(records, [record_headings(), *data.record_rows()])
        hours = workbook.create_sheet(_("Hours per year"))
        _append_rows(hours, [(_("Year"), _("Credit hours")), *data.hours_by_year])
        output = io.BytesIO()
        workbook.save(output)
    return output.getvalue()


def _append_rows(sheet, rows):
    """Text is neutralised (see ``services.exports``); numbers stay numbers."""
    for row in rows:
        sheet.append(
            [v if v is None or isinstance(v, int | Decimal) else neutralise(str(v)) for v in row]
        )


# --- PDF -------------------------------------------------------------------------------------


def render_pdf(data):
    """The transcript as an A4 PDF (bytes), in the site's language: a document for HR files."""
    with translation.override(settings.LANGUAGE_CODE):
        return _render_pdf(data)


def _render_pdf(data):
    font = register_font()
    title_style = ParagraphStyle("title", fontName=font, fontSize=18, leading=24)
    heading = ParagraphStyle("heading", fontName=font, fontSize=12, leading=18, spaceBefore=8)
    cell = ParagraphStyle("cell", fontName=font, fontSize=8, leading=10, wordWrap="CJK")

    def table(rows, widths):
        body = [[Paragraph(_escape(value), cell) for value in row] for row in rows]
        result = Table(body, colWidths=[w * mm for w in widths], repeatRows=1)
        result.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        return result

    name = data.staff.name
    story = [
        Paragraph(_escape(_("Training transcript: %(name)s") % {"name": name}), title_style),
        Spacer(1, 4 * mm),
        table(data.details(), [40, 130]),
        Paragraph(_escape(_("Assignments")), heading),
        table([assignment_headings(), *data.assignment_rows()], [40, 46, 22, 30, 32]),
        Paragraph(_escape(_("Completion records")), heading),
        table([record_headings(), *data.record_rows()], [24, 40, 20, 12, 12, 14, 22, 14, 12]),
        Paragraph(_escape(_("Hours per year")), heading),
        table([(_("Year"), _("Credit hours")), *data.hours_by_year], [30, 30]),
    ]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=_("Training transcript: %(name)s") % {"name": name},
    )
    document.build(story)
    return buffer.getvalue()


def _escape(value):
    """Paragraph text is markup: escape it."""
    return escape("" if value is None else str(value))
