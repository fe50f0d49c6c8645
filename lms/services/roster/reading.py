"""The roster (staff list) as a spreadsheet: the format, checking its rows, and the downloadable
template; and what every spreadsheet of people (the roster, an attendance sheet) has in common:
its size limits and messages (``PeopleSheetImporter``). Nothing is written here; the import is
``lms.services.roster``, the file is read by ``quizzes.importing.sheets``.

The format: one person a row, headers in the first non-blank row, in Chinese or English (case,
spaces and underscores ignored), .xlsx (first sheet) or .csv (UTF-8, UTF-8 with BOM or GB18030):

    工号/employee_no  姓名/name  机构/org_unit  岗位/position  入职日期/hire_date  状态/status

- 工号 is text: leading zeros are kept (a numeric Excel cell shows them through its number
  format, e.g. ``000000``). It becomes the login name of the person's account.
- 机构 is a unit's code, or else its exact name (a name shared by several units is an error).
- 岗位 is the exact name of a position; an unknown one is an error unless the import is told to
  create positions.
- 入职日期 accepts 2026-03-01, 2026/3/1, 2026.3.1, 2026年3月1日, 20260301 and Excel dates.
- 状态 is 在职 (active) or 离职 (inactive); blank means active.

姓名, 工号 and 机构 are required columns. 岗位, 入职日期 and 状态 are optional: without the
column, existing people keep what they have; with it, a blank cell means no position, no hire
date, active.

The largest file accepted: ``LMS_ROSTER_IMPORT_MAX_BYTES`` and ``LMS_ROSTER_IMPORT_MAX_ROWS``
(``lms.conf``).
"""

import io
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from lms.conf import app_settings
from quizzes.importing.pipeline import SpreadsheetImporter
from quizzes.importing.sheets import header_key, parse_date

EMPLOYEE_NO, NAME, ORG_UNIT = "employee_no", "name", "org_unit"
POSITION, HIRE_DATE, STATUS = "position", "hire_date", "status"
COLUMNS = [
    (EMPLOYEE_NO, "工号"),
    (NAME, "姓名"),
    (ORG_UNIT, "机构"),
    (POSITION, "岗位"),
    (HIRE_DATE, "入职日期"),
    (STATUS, "状态"),
]
REQUIRED_COLUMNS = (EMPLOYEE_NO, NAME, ORG_UNIT)
REQUIRED_HEADERS = [(key, f"{zh}/{key}") for key, zh in COLUMNS if key in REQUIRED_COLUMNS]
OPTIONAL_COLUMNS = (POSITION, HIRE_DATE, STATUS)
ALIASES = {
    EMPLOYEE_NO: ["员工号", "员工编号", "employee_number", "employee no", "emp_no"],
    NAME: ["员工姓名"],
    ORG_UNIT: ["所属机构", "机构代码", "unit"],  # 机构名称 beside 机构代码 is ignored
    POSITION: ["职位"],
    HIRE_DATE: ["入行日期"],
    STATUS: ["在职状态", "人员状态"],
}
HEADER_KEYS = {
    header_key(name): key for key, zh in COLUMNS for name in (key, zh, *ALIASES.get(key, []))
}
ACTIVE_TEXT, INACTIVE_TEXT = "在职", "离职"
ACTIVE_WORDS = {header_key(word) for word in (ACTIVE_TEXT, "在岗", "正常", "active")}
INACTIVE_WORDS = {
    header_key(word) for word in (INACTIVE_TEXT, "已离职", "退休", "inactive", "left")
}

MAX_EMPLOYEE_NO = 32  # StaffProfile.employee_no
MAX_NAME = 50  # StaffProfile.name
MAX_POSITION = 50  # Position.name
username_validator = UnicodeUsernameValidator()


@dataclass
class RosterRow:
    """One valid row. ``given`` holds the optional columns the file has: a field whose column is
    missing is left as it is on an existing person."""

    row: int
    employee_no: str
    name: str
    unit: str  # a code or a name, as written
    position: str = ""  # "" = no position
    hire_date: date | None = None
    active: bool = True
    given: frozenset = frozenset()


class PeopleSheetImporter(SpreadsheetImporter):
    """An import of a spreadsheet of people, one a row: at most ``LMS_ROSTER_IMPORT_MAX_BYTES``
    and ``LMS_ROSTER_IMPORT_MAX_ROWS`` people (``lms.conf``). Every row is checked and planned, so
    that all the problems of a file are reported at once."""

    plan_after_row_errors = True
    too_many = gettext_lazy("The file has more than %(max)d people: split it into smaller files.")
    no_rows = gettext_lazy("The file has no people below the header.")

    def limits(self):
        return app_settings.LMS_ROSTER_IMPORT_MAX_BYTES, app_settings.LMS_ROSTER_IMPORT_MAX_ROWS


# --- Checking one row ----------------------------------------------------------------------


def _text(value):
    return value.isoformat() if isinstance(value, date) else value


def _employee_no(raw, errors):
    value = unicodedata.normalize("NFKC", _text(raw)).strip()
    if not value:
        errors.append(_("The employee number (工号) is missing."))
    elif len(value) > MAX_EMPLOYEE_NO:
        errors.append(
            _("The employee number “%(value)s” is longer than %(max)d characters.")
            % {"value": value, "max": MAX_EMPLOYEE_NO}
        )
    else:
        try:
            username_validator(value)
        except ValidationError:
            errors.append(
                _(
                    "The employee number “%(value)s” may only contain letters, digits and "
                    "@ . + - _ (no spaces)."
                )
                % {"value": value}
            )
    return value


def _name(raw, errors):
    value = " ".join(_text(raw).split())
    if not value:
        errors.append(_("The name (姓名) is missing."))
    elif len(value) > MAX_NAME:
        errors.append(
            _("The name is longer than %(max)d characters.") % {"max": MAX_NAME},
        )
    return value


def _unit(raw, errors):
    value = _text(raw).strip()
    if not value:
        errors.append(_("The unit (机构) is missing: give its code or its name."))
    return value


def _position(raw, errors):
    value = " ".join(_text(raw).split())
    if len(value) > MAX_POSITION:
        errors.append(
            _("Position “%(value)s” is longer than %(max)d characters.")
            % {"value": value, "max": MAX_POSITION}
        )
    return value


def _hire_date(raw, errors):
    try:
        return parse_date(raw)
    except ValueError:
        errors.append(
            _("Hire date “%(value)s” is not a date: write it like 2026-03-01 or 2026/3/1.")
            % {"value": _text(raw)}
        )
        return None


def _active(raw, errors):
    text = _text(raw)
    if not text:
        return True
    key = header_key(text)
    if key in ACTIVE_WORDS:
        return True
    if key in INACTIVE_WORDS:
        return False
    errors.append(
        _("Status “%(value)s” must be 在职 or 离职 (active or inactive).") % {"value": text}
    )
    return True


def parse_row(number, values):
    """Check one row (``values`` maps the file's column keys to cells):
    ``(RosterRow or None, errors)``."""
    errors = []
    row = RosterRow(
        row=number,
        employee_no=_employee_no(values.get(EMPLOYEE_NO, ""), errors),
        name=_name(values.get(NAME, ""), errors),
        unit=_unit(values.get(ORG_UNIT, ""), errors),
        given=frozenset(key for key in OPTIONAL_COLUMNS if key in values),
    )
    if POSITION in values:
        row.position = _position(values[POSITION], errors)
    if HIRE_DATE in values:
        row.hire_date = _hire_date(values[HIRE_DATE], errors)
    if STATUS in values:
        row.active = _active(values[STATUS], errors)
    if errors:
        return None, errors
    return row, []


# --- The template --------------------------------------------------------------------------

EXAMPLES = [
    ["000101", "张三", "LZ0101", "柜员", date(2020, 3, 1), ACTIVE_TEXT],
    ["000102", "李四", "东岗网点", "大堂经理", date(2026, 2, 1), ""],
    ["000103", "王五", "LZ0201", "柜员", date(2015, 7, 1), INACTIVE_TEXT],
]


def _instructions():
    return [
        (_("Column"), _("What to write")),
        ("工号 / employee_no", _("Employee number, kept as text (leading zeros count). Required.")),
        ("姓名 / name", _("The person's name. Required.")),
        ("机构 / org_unit", _("The unit's code, or its exact name. Required.")),
        (
            "岗位 / position",
            _(
                "The exact name of a position. Unknown positions are errors unless you ask to "
                "create them."
            ),
        ),
        ("入职日期 / hire_date", _("A date: 2026-03-01, 2026/3/1 or 20260301.")),
        ("状态 / status", _("在职 or 离职 (active or inactive); blank means active.")),
        (
            "",
            _(
                "A row with the employee number of someone on the roster updates that person; "
                "other rows add people. People missing from the file are left as they are: only "
                "a 离职 row makes someone a leaver (deactivated, never deleted)."
            ),
        ),
        (
            "",
            _(
                "Nothing is imported unless every row is valid. Headers may be in Chinese or "
                "English. Save as .xlsx or .csv (UTF-8 or GB18030), at most %(rows)d people and "
                "%(size)d MB per file."
            )
            % {
                "rows": app_settings.LMS_ROSTER_IMPORT_MAX_ROWS,
                "size": app_settings.LMS_ROSTER_IMPORT_MAX_BYTES >> 20,
            },
        ),
    ]


def _cell(sheet, value, bold=False, number_format=None):
    cell = WriteOnlyCell(sheet, value=value)
    if bold:
        cell.font = Font(bold=True)
    if number_format:
        cell.number_format = number_format
    return cell


def template_workbook():
    """An .xlsx template (bytes): the headers, example rows and an instructions sheet. The
    employee number column is formatted as text so that Excel keeps leading zeros."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("花名册")
    sheet.freeze_panes = "A2"
    for column, width in {"A": 12, "B": 12, "C": 16, "D": 14, "E": 14, "F": 8}.items():
        sheet.column_dimensions[column].width = width
    sheet.append([_cell(sheet, zh, bold=True) for _name_key, zh in COLUMNS])
    for values in EXAMPLES:
        sheet.append(
            [
                _cell(sheet, values[0], number_format="@"),
                *[_cell(sheet, value) for value in values[1:4]],
                _cell(sheet, values[4], number_format="yyyy-mm-dd"),
                _cell(sheet, values[5]),
            ]
        )
    notes = workbook.create_sheet(_("Instructions"))
    notes.column_dimensions["A"].width = 24
    notes.column_dimensions["B"].width = 90
    for number, (column, text) in enumerate(_instructions()):
        notes.append([_cell(notes, column, bold=number == 0), _cell(notes, text, bold=number == 0)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
