"""Granting exemptions and extensions in bulk from a spreadsheet (officers), all or nothing.

The sheet: one grant a row, headers in the first non-blank row, .xlsx or .csv, columns
工号/employee_no, 培训项目/item (the title of an item of the chosen plan, or its id), 类型/kind
(豁免 or 延期), 延期至/due_date (extensions: the new due date) and 原因/reason. Every row is
checked (row-numbered errors) before anything is written; each becomes an approved grant
(``exemptions.grant``), applied at once.
"""

import io
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from lms.models import Assignment, Exemption, StaffProfile
from lms.services.compliance import exemptions
from lms.services.roster.reading import PeopleSheetImporter
from quizzes.importing.pipeline import ImportReport
from quizzes.importing.sheets import header_key, parse_date

EMPLOYEE_NO, ITEM, KIND, DUE_DATE, REASON = "employee_no", "item", "kind", "due_date", "reason"
COLUMNS = [
    (EMPLOYEE_NO, "工号"),
    (ITEM, "培训项目"),
    (KIND, "类型"),
    (DUE_DATE, "延期至"),
    (REASON, "原因"),
]
HEADERS = {
    EMPLOYEE_NO: ["工号", "员工号", "employee_no", "employee number"],
    ITEM: ["培训项目", "项目", "item", "plan item"],
    KIND: ["类型", "kind", "type"],
    DUE_DATE: ["延期至", "新截止日期", "due_date", "extend to"],
    REASON: ["原因", "理由", "reason"],
}
HEADER_KEYS = {header_key(name): key for key, names in HEADERS.items() for name in names}
KINDS = {
    header_key(word): kind
    for kind, words in (
        (Exemption.EXEMPT, ["豁免", "免训", "exempt", "exemption"]),
        (Exemption.EXTENSION, ["延期", "extension", "extend"]),
    )
    for word in words
}
MAX_REASON = 500


@dataclass
class ExemptionImportReport(ImportReport):
    granted: list = field(default_factory=list)  # "姓名 · 项目", sheet order

    kind = "exemptions"
    refused = gettext_lazy("No exemption or extension was granted")

    @property
    def counts(self):
        return _("Exemptions and extensions to grant: %(count)s") % {"count": len(self.granted)}

    @property
    def notes(self):
        notes = ["；".join(self.granted)] if self.granted else []
        if self.dry_run:
            notes.append(self.dry_run_note())
        return notes


@dataclass
class GrantRow:
    row: int
    employee_no: str
    item: str
    kind: str
    due_date: date | None
    reason: str


def _text(value):
    if isinstance(value, date):
        return value.isoformat()
    return unicodedata.normalize("NFKC", str(value)).strip()


class ExemptionImporter(PeopleSheetImporter):
    """Approved grants for the rows of a sheet, for the items of ``plan`` (see the module
    docstring)."""

    report_class = ExemptionImportReport
    header_keys = HEADER_KEYS
    required_columns = [
        (EMPLOYEE_NO, "工号/employee_no"),
        (ITEM, "培训项目/item"),
        (KIND, "类型/kind"),
        (REASON, "原因/reason"),
    ]

    def __init__(self, plan, user, now=None):
        self.training_plan, self.user, self.now = plan, user, now

    def refusal(self):
        if not exemptions.can_decide(self.user):
            return _("Only an officer may grant exemptions and extensions.")
        return None

    def parse_row(self, number, values):
        errors = []
        employee_no = _text(values[EMPLOYEE_NO])
        if not employee_no:
            errors.append(_("The employee number (工号) is missing."))
        item = _text(values[ITEM])
        if not item:
            errors.append(_("The plan item (培训项目) is missing."))
        kind = KINDS.get(header_key(_text(values[KIND])))
        if kind is None:
            errors.append(_("类型 must be 豁免 (exempt) or 延期 (extension)."))
        reason = " ".join(_text(values[REASON]).split())
        if not reason:
            errors.append(_("The reason (原因) is missing."))
        elif len(reason) > MAX_REASON:
            errors.append(_("The reason is longer than %(max)d characters.") % {"max": MAX_REASON})
        due, raw = None, values.get(DUE_DATE, "")
        if kind == Exemption.EXTENSION:
            try:
                due = raw if isinstance(raw, date) else parse_date(_text(raw))
            except ValueError:
                errors.append(
                    _("延期至 “%(value)s” is not a date: write it like 2026-09-30.")
                    % {"value": _text(raw)}
                )
            if due is None and not errors:
                errors.append(_("An extension needs the new due date (延期至)."))
        if errors:
            return None, errors
        if hasattr(due, "date"):
            due = due.date()
        return GrantRow(number, employee_no, item, kind, due, reason), []

    def _item(self, text, items):
        by_title = [item for item in items.values() if item.title == text]
        if len(by_title) == 1:
            return by_title[0], None
        if text.isdigit() and int(text) in items:
            return items[int(text)], None
        if by_title:
            return None, _("Several items of the plan are called “%(item)s”: give its id.") % {
                "item": text
            }
        return None, _("The plan has no item “%(item)s”.") % {"item": text}

    def plan(self, rows, report):
        items = {item.pk: item for item in self.training_plan.items.all()}
        people = {
            person.employee_no: person
            for person in StaffProfile.objects.filter(
                employee_no__in=[row.employee_no for row in rows]
            )
        }
        assignments = {
            (a.staff_id, a.plan_item_id): a
            for a in Assignment.objects.filter(
                staff__in=people.values(), plan_item__in=items
            ).select_related("staff")
        }
        seen, planned = {}, []
        for row in rows:
            person = people.get(row.employee_no)
            item, problem = self._item(row.item, items)
            if person is None:
                problem = _("No one on the roster has employee number %(no)s.") % {
                    "no": row.employee_no
                }
            elif item is not None:
                problem = self._problem(row, person, item, assignments, seen)
            if problem:
                report.errors.append((row.row, problem))
            else:
                planned.append((row, person, item))
                report.granted.append(f"{person.name} · {item.title}")
        return planned

    def _problem(self, row, person, item, assignments, seen):
        key = (person.pk, item.pk)
        if key in seen:
            return _("%(person)s and “%(item)s” are also on row %(row)d.") % {
                "person": person.name,
                "item": item.title,
                "row": seen[key],
            }
        seen[key] = row.row
        assignment = assignments.get(key)
        if assignment is None:
            return _("%(person)s has no assignment of “%(item)s”.") % {
                "person": person.name,
                "item": item.title,
            }
        try:
            exemptions.check(row.kind, assignment, row.due_date, row.reason)
        except exemptions.ExemptionError as error:
            return f"{person.name}：{error.message}"
        return None

    def write(self, planned, report):
        for row, person, item in planned:
            try:
                exemptions.grant(
                    self.user, person, item, row.kind, row.reason, row.due_date, now=self.now
                )
            except exemptions.ExemptionError as error:  # changed since the check: nothing
                report.errors.append((row.row, f"{person.name}：{error.message}"))
                transaction.set_rollback(True)
                return


def import_exemptions(plan, user, file_bytes, filename, dry_run=False, now=None):
    """Grant the exemptions and extensions of the sheet for ``plan``, all or nothing. Returns an
    ExemptionImportReport; nothing is written when it has errors or ``dry_run``."""
    return ExemptionImporter(plan, user, now=now).run(file_bytes, filename, dry_run=dry_run)


def template_workbook():
    """An .xlsx template (bytes): the headers and two example rows."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "豁免与延期"
    sheet.append([zh for _key, zh in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(["000101", "消保知识必修课", "豁免", None, "长期病假"])
    sheet.append(["000102", "消保知识必修课", "延期", date(2026, 9, 30), "外派学习"])
    sheet["A2"].number_format = sheet["A3"].number_format = "@"
    sheet["D3"].number_format = "yyyy-mm-dd"
    for column, width in {"A": 12, "B": 24, "C": 8, "D": 14, "E": 30}.items():
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
