"""The complaint register from a spreadsheet, as the bank's complaint system exports it, through
the common import pipeline (``quizzes.importing.pipeline``): all or nothing, row-numbered errors,
a dry run.

The sheet: one complaint a row, headers in the first non-blank row, .xlsx (first sheet) or .csv
(UTF-8, UTF-8 with BOM or GB18030):

    投诉编号  受理日期  受理渠道  业务类别  投诉原因
    涉及机构  涉及员工工号  摘要  办结日期  是否有责

- 投诉编号 (required) identifies the complaint: a number already registered updates that
  complaint (every field, the staff replaced), and the same number twice in a file is an error.
- 受理日期 (required) and 办结日期 (blank: still open) accept 2026-03-01, 2026/3/1, 2026年3月1日,
  20260301 and Excel dates.
- 受理渠道, 业务类别 and 投诉原因 (required): a code of JR/T 0169-2018 or of the bank's own
  (``C.5``), its name (``信息披露``), both (``C.5 信息披露``) or a path of names
  (``电子渠道/其他``); see ``codes``.
- 涉及机构 (required): a unit's code, or its exact name.
- 涉及员工工号 (optional): employee numbers separated by ``,`` ``，`` ``;`` ``；`` ``、`` or
  spaces; a number not on the roster is an error.
- 摘要: masked before it is saved (``masking``); the report says how many numbers were masked.
- 是否有责: 是/有责 (the bank at fault), 否/无责, or blank (not decided).

The largest file: ``LMS_COMPLAINTS_IMPORT_MAX_BYTES`` and ``LMS_COMPLAINTS_IMPORT_MAX_ROWS``
(``lms.conf``)."""

import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from lms.conf import app_settings
from lms.models import Complaint
from lms.services.complaints import register
from lms.services.complaints.codes import CodeBook, CodeError
from quizzes.importing.pipeline import ImportReport, SpreadsheetImporter
from quizzes.importing.sheets import header_key, parse_date
from quizzes.models import ClassificationCode

NUMBER, RECEIVED_ON, CHANNEL, BUSINESS, REASON = (
    "number",
    "received_on",
    "channel",
    "business",
    "reason",
)
UNIT, STAFF, SUMMARY, CLOSED_ON, AT_FAULT = "unit", "staff", "summary", "closed_on", "at_fault"
COLUMNS = [
    (NUMBER, "投诉编号"),
    (RECEIVED_ON, "受理日期"),
    (CHANNEL, "受理渠道"),
    (BUSINESS, "业务类别"),
    (REASON, "投诉原因"),
    (UNIT, "涉及机构"),
    (STAFF, "涉及员工工号"),
    (SUMMARY, "摘要"),
    (CLOSED_ON, "办结日期"),
    (AT_FAULT, "是否有责"),
]
LABELS = dict(COLUMNS)
ALIASES = {
    NUMBER: ["投诉单号", "工单编号", "complaint number"],
    RECEIVED_ON: ["受理时间", "投诉日期", "received"],
    CHANNEL: ["渠道", "业务办理渠道"],
    BUSINESS: ["业务类型", "business category"],
    REASON: ["投诉原因分类", "complaint reason"],
    UNIT: ["机构", "被投诉机构", "涉及机构代码", "org_unit"],
    STAFF: ["涉及员工", "员工工号", "工号", "employee numbers"],
    SUMMARY: ["投诉摘要", "投诉内容摘要", "投诉内容"],
    CLOSED_ON: ["办结时间", "closed"],
    AT_FAULT: ["有责", "责任认定", "at fault"],
}
HEADER_KEYS = {
    header_key(name): key for key, zh in COLUMNS for name in (key, zh, *ALIASES.get(key, []))
}
OPTIONAL = (STAFF, SUMMARY, CLOSED_ON, AT_FAULT)
REQUIRED = [(key, f"{zh}/{key}") for key, zh in COLUMNS if key not in OPTIONAL]
DIMENSIONS = {
    CHANNEL: ClassificationCode.CHANNEL,
    BUSINESS: ClassificationCode.BUSINESS,
    REASON: ClassificationCode.REASON,
}
STAFF_SEPARATORS = re.compile(r"[,，;；、\s]+")
AT_FAULT_WORDS = {
    **{header_key(word): True for word in ("是", "有责", "yes", "true", "1")},
    **{header_key(word): False for word in ("否", "无责", "no", "false", "0")},
}


def at_fault_value(text):
    """True, False or None for a 是否有责 cell; ValueError for anything else."""
    text = header_key(text)
    if not text:
        return None
    if text not in AT_FAULT_WORDS:
        raise ValueError(text)
    return AT_FAULT_WORDS[text]


def staff_numbers(text):
    """The employee numbers of a 涉及员工工号 cell, in order, each once."""
    return list(dict.fromkeys(part for part in STAFF_SEPARATORS.split(text) if part))


@dataclass
class ComplaintImportReport(ImportReport):
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    masked: int = 0  # numbers masked
    masked_summaries: int = 0
    saved: object = None  # register.SaveResult, once written

    kind = "complaints"
    refused = gettext_lazy("No complaint was imported")

    @property
    def counts(self):
        return _(
            "New: %(created)s · updated: %(updated)s · unchanged: %(unchanged)s · personal "
            "numbers masked: %(masked)s (in %(summaries)s summaries)"
        ) % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "masked": self.masked,
            "summaries": self.masked_summaries,
        }

    @property
    def notes(self):
        if self.dry_run:
            return [self.dry_run_note()]
        training = getattr(self.saved, "training", None)
        return [training_note(training)] if training is not None else []


def training_note(outcome):
    """What the complaint rules did, in a sentence."""
    return _(
        "Targeted training: %(assigned)d assigned, %(reopened)d assigned again, %(linked)d "
        "linked to training already assigned, %(credited)d earlier completions credited; "
        "%(unmatched)d complaints matched no rule."
    ) % {
        "assigned": outcome.assigned,
        "reopened": outcome.reopened,
        "linked": outcome.linked,
        "credited": outcome.credited,
        "unmatched": len(outcome.unmatched),
    }


@dataclass
class SheetRow:
    row: int
    number: str
    received_on: date | None
    codes: dict  # column key → text
    unit: str
    staff: list = field(default_factory=list)
    summary: str = ""
    closed_on: date | None = None
    at_fault: bool | None = None


def _text(value):
    if isinstance(value, date):
        return value.isoformat()
    return unicodedata.normalize("NFKC", str(value)).strip()


def _date(values, key, errors):
    raw = values.get(key, "")
    try:
        return parse_date(raw)
    except ValueError:
        errors.append(
            _("%(column)s “%(value)s” is not a date: write it like 2026-03-01.")
            % {"column": LABELS[key], "value": _text(raw)}
        )
        return None


class ComplaintImporter(SpreadsheetImporter):
    """The complaint register, imported as ``source`` (see the module docstring). Every row is
    checked and planned, so that all the problems of a file are reported at once."""

    report_class = ComplaintImportReport
    header_keys = HEADER_KEYS
    required_columns = REQUIRED
    plan_after_row_errors = True
    too_many = gettext_lazy(
        "The file has more than %(max)d complaints: split it into smaller files."
    )
    no_rows = gettext_lazy("The file has no complaints below the header.")

    def __init__(self, source=Complaint.IMPORT):
        self.source = source

    def limits(self):
        return (
            app_settings.LMS_COMPLAINTS_IMPORT_MAX_BYTES,
            app_settings.LMS_COMPLAINTS_IMPORT_MAX_ROWS,
        )

    def conflict(self):
        return _(
            "Some of these complaints were registered by someone else at the same moment: "
            "nothing was imported. Import the file again."
        )

    def parse_row(self, number, values):
        errors = []
        complaint_number = _text(values[NUMBER])
        if not complaint_number:
            errors.append(_("The complaint number (投诉编号) is missing."))
        received_on = _date(values, RECEIVED_ON, errors)
        if received_on is None and not errors:
            errors.append(_("The day received (受理日期) is missing."))
        codes = {key: _text(values[key]) for key in DIMENSIONS}
        for key, text in codes.items():
            if not text:
                errors.append(_("%(column)s is missing.") % {"column": LABELS[key]})
        unit = _text(values[UNIT])
        if not unit:
            errors.append(_("The unit (涉及机构) is missing."))
        try:
            at_fault = at_fault_value(_text(values.get(AT_FAULT, "")))
        except ValueError:
            at_fault = None
            errors.append(
                _("是否有责 “%(value)s” must be 是, 否, 有责, 无责 or blank.")
                % {"value": _text(values[AT_FAULT])}
            )
        row = SheetRow(
            number,
            complaint_number,
            received_on,
            codes,
            unit,
            staff_numbers(_text(values.get(STAFF, ""))),
            str(values.get(SUMMARY, "")).strip(),
            _date(values, CLOSED_ON, errors),
            at_fault,
        )
        return (None, errors) if errors else (row, [])

    def plan(self, rows, report):
        book, units = CodeBook(), register.UnitBook(row.unit for row in rows)
        people = register.staff_by_number(n for row in rows for n in row.staff)
        seen, valid = {}, []
        for row in rows:
            data, errors = self._data(row, book, units, people)
            if row.number in seen:
                errors.insert(
                    0,
                    _("Complaint %(number)s is also on row %(row)d.")
                    % {"number": row.number, "row": seen[row.number]},
                )
            seen.setdefault(row.number, row.row)
            if data is not None and not errors:
                errors = register.check(data)
            report.errors.extend((row.row, message) for message in errors)
            if not errors:
                valid.append(data)
        if not report.ok:
            return []
        planned = register.plan_complaints(valid)
        for entry in planned:
            setattr(report, entry.action, getattr(report, entry.action) + 1)
            report.masked += entry.masked
            report.masked_summaries += bool(entry.masked)
        return planned

    def _data(self, row, book, units, people):
        errors, codes = [], {}
        for key, dimension in DIMENSIONS.items():
            try:
                codes[key] = book.resolve(dimension, row.codes[key], LABELS[key])
            except CodeError as error:
                errors.append(error.message)
        unit, problem = units.resolve(row.unit)
        if problem:
            errors.append(problem)
        unknown = [number for number in row.staff if number not in people]
        if unknown:
            errors.append(
                _("涉及员工工号: no one on the roster has employee number %(numbers)s.")
                % {"numbers": ", ".join(unknown)}
            )
        if errors:
            return None, errors
        data = register.ComplaintData(
            number=row.number,
            received_on=row.received_on,
            channel=codes[CHANNEL],
            business=codes[BUSINESS],
            reason=codes[REASON],
            org_unit=unit,
            staff=[people[number] for number in row.staff],
            summary=row.summary,
            closed_on=row.closed_on,
            at_fault=row.at_fault,
            row=row.row,
        )
        return data, []

    def write(self, planned, report):
        report.saved = register.save_planned(planned, self.source)


def import_complaints(file_bytes, filename, dry_run=False, source=Complaint.IMPORT):
    """Import the complaint register of the file, all or nothing. Returns a
    ComplaintImportReport; nothing is written when it has errors or ``dry_run``. Once written,
    ``report.saved.changed`` lists the complaints created or updated."""
    return ComplaintImporter(source).run(file_bytes, filename, dry_run=dry_run)


def template_workbook():
    """An .xlsx template (bytes): the headers and two example rows (invented)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "投诉登记"
    sheet.append([zh for _key, zh in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(
        [
            "TS2026030001",
            date(2026, 3, 2),
            "营业现场",
            "自营理财",
            "C.5 信息披露",
            "LZ0101",
            "000101、000102",
            "客户称购买理财时未被告知风险等级，要求退还手续费。",
            date(2026, 3, 9),
            "有责",
        ]
    )
    sheet.append(
        [
            "TS2026030002",
            date(2026, 3, 5),
            "电子渠道/移动客户端",
            "B.4.4",
            "C.3",
            "城关营业部",
            "",
            "客户反映手机银行转账限额调整未提前通知。",
            None,
            "",
        ]
    )
    sheet["A2"].number_format = sheet["A3"].number_format = "@"
    sheet["G2"].number_format = "@"
    for cell in ("B2", "B3", "I2"):
        sheet[cell].number_format = "yyyy-mm-dd"
    widths = {"A": 16, "B": 12, "C": 20, "D": 14, "E": 26, "F": 12, "G": 18, "H": 48, "I": 12}
    for column, width in {**widths, "J": 10}.items():
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
