"""Bulk entry of training held elsewhere from a spreadsheet, all or nothing, through the common
import pipeline; one attachment for the whole upload (the scanned sign-in sheet), referenced by
every record.

The sheet: one completion a row, headers in the first non-blank row, .xlsx or .csv:

    工号/employee_no  培训项目/plan_item  完成日期/completed_on  学时/hours  形式/held_as
    原因/reason

培训项目 is an item of the chosen plan, by its exact title or its id. 形式 is 监管讲座, 视频会议,
纸质签到 or 其他 (regulator lecture, video meeting, paper sign-in, other). Errors carry the
sheet's row number; nothing is recorded unless every row is valid."""

import io
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from lms.models import Assignment, StaffProfile
from lms.services.records import outside
from lms.services.records.chain import chained_last
from lms.services.roster.reading import PeopleSheetImporter
from quizzes.importing.pipeline import ImportReport
from quizzes.importing.sheets import header_key, parse_date

EMPLOYEE_NO, ITEM, COMPLETED_ON = "employee_no", "plan_item", "completed_on"
HOURS, HELD_AS, REASON = "hours", "held_as", "reason"
COLUMNS = [
    (EMPLOYEE_NO, "工号"),
    (ITEM, "培训项目"),
    (COMPLETED_ON, "完成日期"),
    (HOURS, "学时"),
    (HELD_AS, "形式"),
    (REASON, "原因"),
]
ALIASES = {
    EMPLOYEE_NO: ["员工号", "员工编号", "employee number"],
    ITEM: ["项目", "计划项目", "item"],
    COMPLETED_ON: ["日期", "培训日期", "date"],
    HOURS: ["学时数", "credit hours"],
    HELD_AS: ["培训形式", "method"],
}
HEADER_KEYS = {
    header_key(name): key for key, zh in COLUMNS for name in (key, zh, *ALIASES.get(key, []))
}
REQUIRED = [(key, f"{zh}/{key}") for key, zh in COLUMNS]
HELD_AS_WORDS = {
    outside.REGULATOR_LECTURE: ["监管讲座", "监管部门讲座", "regulator lecture", "regulator"],
    outside.VIDEO_MEETING: ["视频会议", "线上会议", "video meeting", "video"],
    outside.PAPER_SIGN_IN: ["纸质签到", "现场签到", "paper sign-in", "paper sign in", "paper"],
    outside.OTHER: ["其他", "other"],
}
HELD_AS_KEYS = {header_key(word): key for key, words in HELD_AS_WORDS.items() for word in words}


@dataclass
class OutsideReport(ImportReport):
    """Outcome of a bulk entry: the records made (or, in a dry run, to make)."""

    recorded: list = field(default_factory=list)

    kind = "outside"
    refused = gettext_lazy("Nothing was recorded")
    change_columns = (
        (gettext_lazy("Row"), "row"),
        (gettext_lazy("Person"), "person"),
        (gettext_lazy("Plan item"), "item"),
        (gettext_lazy("Completed on"), "day"),
        (gettext_lazy("Credit hours"), "hours"),
        (gettext_lazy("Held as"), "held_as"),
    )

    @property
    def counts(self):
        return _("Completions to record: %(count)d") % {"count": len(self.changes)}

    @property
    def notes(self):
        return [self.dry_run_note()] if self.dry_run else []

    def dry_run_note(self):
        return _(
            "To record them, upload the file and the attachment again with “Dry run” unticked."
        )


@dataclass
class SheetRow:
    row: int
    employee_no: str
    item: str
    day: date | None
    hours: object
    held_as: str
    reason: str


@dataclass
class Planned:
    row: int
    person: str
    item: str
    day: str
    hours: object
    held_as: str
    fields: dict


def _text(value):
    return value.isoformat() if isinstance(value, date) else unicodedata.normalize("NFKC", value)


class OutsideImporter(PeopleSheetImporter):
    """Completions held elsewhere for items of ``plan``, entered by ``officer`` with one
    ``attachment`` (``(name, bytes)``, stored when the rows are written)."""

    report_class = OutsideReport
    header_keys = HEADER_KEYS
    required_columns = REQUIRED

    def __init__(self, plan, officer, attachment, today=None):
        self.training_plan, self.officer = plan, officer
        self.attachment = attachment
        self.today = today or timezone.localdate()

    def refusal(self):
        if not outside.may_record_outside(self.officer):
            return _("Only the consumer-protection officer may do this.")
        try:
            outside.check_attachment(*self.attachment)
        except outside.OutsideRecordError as error:
            return str(error)
        return None

    def parse_row(self, number, values):
        errors = []
        employee_no = _text(values[EMPLOYEE_NO]).strip()
        if not employee_no:
            errors.append(_("The employee number (工号) is missing."))
        item = " ".join(_text(values[ITEM]).split())
        if not item:
            errors.append(_("The plan item (培训项目) is missing."))
        try:
            day = parse_date(values[COMPLETED_ON])
            if day is None:
                errors.append(_("The completion date (完成日期) is missing."))
        except ValueError:
            day = None
            errors.append(
                _("Date “%(value)s” is not a date: write it like 2026-03-01.")
                % {"value": _text(values[COMPLETED_ON])}
            )
        held_as = HELD_AS_KEYS.get(header_key(_text(values[HELD_AS])))
        if held_as is None:
            errors.append(
                _("Held as “%(value)s” must be 监管讲座, 视频会议, 纸质签到 or 其他.")
                % {"value": _text(values[HELD_AS])}
            )
        row = SheetRow(
            number, employee_no, item, day, _text(values[HOURS]), held_as, _text(values[REASON])
        )
        return (None, errors) if errors else (row, [])

    def _item(self, text, items):
        by_title = [item for item in items if item.title == text]
        if len(by_title) == 1:
            return by_title[0], None
        if len(by_title) > 1:
            return None, _("Several items of the plan are called “%(item)s”: give its id.") % {
                "item": text
            }
        by_id = [item for item in items if str(item.pk) == text]
        if by_id:
            return by_id[0], None
        return None, _("The plan has no item “%(item)s”.") % {"item": text}

    def plan(self, rows, report):
        items = list(self.training_plan.items.select_related("course", "quiz"))
        staff = {
            person.employee_no: person
            for person in StaffProfile.objects.select_related("org_unit", "user").filter(
                employee_no__in=[row.employee_no for row in rows]
            )
        }
        statuses = {}
        for staff_id, item_id, status in Assignment.objects.filter(
            plan_item__plan=self.training_plan, staff__in=list(staff.values())
        ).values_list("staff_id", "plan_item_id", "status"):
            statuses.setdefault((staff_id, item_id), []).append(status)
        seen = {}
        for row in rows:
            problem, planned = self._plan_row(row, items, staff, statuses, seen)
            if problem:
                report.errors.append((row.row, problem))
            else:
                report.changes.append(planned)
        return report.changes

    def _plan_row(self, row, items, staff, statuses, seen):
        person = staff.get(row.employee_no)
        if person is None:
            return _("No one on the roster has employee number %(no)s.") % {
                "no": row.employee_no
            }, None
        item, problem = self._item(row.item, items)
        if problem:
            return problem, None
        if (person.pk, item.pk) in seen:
            return _("%(name)s and “%(item)s” are also on row %(row)d.") % {
                "name": person.name,
                "item": item.title,
                "row": seen[person.pk, item.pk],
            }, None
        seen[person.pk, item.pk] = row.row
        try:
            hours, reason = outside.check_entry(
                person, item, row.day, row.hours, row.held_as, row.reason, self.today
            )
        except outside.OutsideRecordError as error:
            return str(error), None
        problem = outside.assignment_problem(person, item, statuses.get((person.pk, item.pk), []))
        if problem:
            return problem, None
        fields = outside.outside_fields(
            self.officer, person, item, row.day, hours, row.held_as, reason, None
        )
        planned = Planned(
            row.row,
            f"{person.name} ({person.employee_no})",
            item.title,
            row.day.isoformat(),
            hours,
            str(outside.held_as_label(row.held_as)),
            {**fields, "plan_item": item},
        )
        return None, planned

    def write(self, planned, report):
        attachment = outside.store_attachment(*self.attachment)
        with chained_last():
            for entry in planned:
                fields = dict(entry.fields)
                item = fields.pop("plan_item")
                fields["evidence"] = {**fields["evidence"], "attachment": attachment}
                report.recorded.append(outside.append_outside(fields, item))


def import_outside(plan, officer, file_bytes, filename, attachment, dry_run=False, today=None):
    """Record every completion on the sheet for items of ``plan``, all or nothing, each with
    ``attachment`` (``(name, bytes)``). Returns an OutsideReport; nothing is written when it has
    errors or ``dry_run``."""
    importer = OutsideImporter(plan, officer, attachment, today=today)
    return importer.run(file_bytes, filename, dry_run=dry_run)


def template_workbook():
    """An .xlsx template (bytes): the headers and an example row."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "外部培训"
    sheet.append([zh for _key, zh in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(
        ["000101", "反洗钱专题讲座", date(2026, 5, 20), 2, "监管讲座", "人民银行组织的线下讲座"]
    )
    sheet["A2"].number_format = "@"
    sheet["C2"].number_format = "yyyy-mm-dd"
    for column, width in {"A": 12, "B": 24, "C": 14, "D": 8, "E": 12, "F": 40}.items():
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
