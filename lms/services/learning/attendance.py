"""Importing a session's attendance sheet (签到表): everyone on it is checked in, all or nothing.

The sheet: one person a row, headers in the first non-blank row, .xlsx or .csv (UTF-8, BOM,
GB18030), columns 工号/employee_no (required), 姓名/name (optional: when given it must match the
roster, which catches a mistyped number) and 签到时间/checked_in_at (optional: a date and time, or a
date; blank means the session's start). Errors carry the sheet's row number. People already
checked in are skipped and listed, not an error, so a sheet can be imported again.
"""

import datetime
import unicodedata
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.conf import app_settings
from lms.models import CheckIn, StaffProfile
from lms.services.learning.offline import CheckInError, _attendee, _write_check_in
from lms.services.sheets import ImportFileError, map_header, parse_date, read_rows
from quizzes.importing.format import _key

EMPLOYEE_NO, NAME, CHECKED_IN_AT = "employee_no", "name", "checked_in_at"
HEADERS = {
    EMPLOYEE_NO: ["工号", "员工号", "员工编号", "employee_no", "employee number"],
    NAME: ["姓名", "员工姓名", "name"],
    CHECKED_IN_AT: ["签到时间", "签到", "checked_in_at", "time"],
}
HEADER_KEYS = {_key(name): key for key, names in HEADERS.items() for name in names}


@dataclass
class AttendanceReport:
    filename: str
    dry_run: bool = False
    rows: int = 0
    checked_in: list = field(default_factory=list)  # names, in sheet order
    already: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # (row number or None, message)
    warnings: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors

    @property
    def written(self):
        return self.ok and not self.dry_run


def _time(raw, session):
    """A check-in moment from a cell: blank → the session's start; a date alone → that day at
    the session's start time; else a date and a time (Asia/Shanghai)."""
    if isinstance(raw, datetime.datetime):
        return timezone.make_aware(raw) if timezone.is_naive(raw) else raw
    text = raw if isinstance(raw, datetime.date) else unicodedata.normalize("NFKC", raw).strip()
    if not text:
        return session.starts_at
    if isinstance(text, str):
        for pattern in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M"):
            try:
                return timezone.make_aware(datetime.datetime.strptime(text, pattern))
            except ValueError:
                continue
    day = parse_date(text)  # ValueError when it is no date either
    start = timezone.localtime(session.starts_at)
    return timezone.make_aware(datetime.datetime.combine(day, start.time()))


def _plain(value):
    return value.isoformat() if isinstance(value, datetime.date) else str(value)


def _rows(rows, columns, report):
    """``(row number, employee number, name, raw time)`` of the rows, duplicates reported."""
    seen = {}
    parsed = []
    for number, cells in rows:
        values = {key: cells[index] if index < len(cells) else "" for key, index in columns.items()}
        employee_no = unicodedata.normalize("NFKC", _plain(values[EMPLOYEE_NO])).strip()
        if not employee_no:
            report.errors.append((number, _("The employee number (工号) is missing.")))
            continue
        if employee_no in seen:
            report.errors.append(
                (
                    number,
                    _("Employee number %(no)s is also on row %(row)d.")
                    % {"no": employee_no, "row": seen[employee_no]},
                )
            )
            continue
        seen[employee_no] = number
        parsed.append(
            (
                number,
                employee_no,
                " ".join(_plain(values.get(NAME, "")).split()),
                values.get(CHECKED_IN_AT, ""),
            )
        )
    return parsed


def import_attendance(session, file_bytes, filename, recorded_by=None, dry_run=False, now=None):
    """Check in everyone on the sheet to ``session``, all or nothing. Returns an
    AttendanceReport; nothing is written when it has errors or ``dry_run``."""
    now = now or timezone.now()
    report = AttendanceReport(filename=filename, dry_run=dry_run)
    if session.cancelled:
        report.errors.append((None, _("This session was cancelled.")))
        return report
    try:
        rows = read_rows(
            file_bytes,
            filename,
            max_bytes=app_settings.LMS_ROSTER_IMPORT_MAX_BYTES,
            max_rows=app_settings.LMS_ROSTER_IMPORT_MAX_ROWS,
        )
    except ImportFileError as error:
        report.errors.append((None, str(error)))
        return report
    if not rows:
        report.errors.append((None, _("The file is empty.")))
        return report
    columns = map_header(*rows[0], report, HEADER_KEYS, [(EMPLOYEE_NO, "工号/employee_no")])
    if not report.ok:
        return report
    parsed = _rows(rows[1:], columns, report)
    report.rows = len(rows) - 1
    if not report.rows:
        report.errors.append((None, _("The file has no people below the header.")))
        return report
    staff = {
        person.employee_no: person
        for person in StaffProfile.objects.select_related("org_unit", "user").filter(
            employee_no__in=[row[1] for row in parsed]
        )
    }
    done = set(CheckIn.objects.filter(session=session).values_list("staff_id", flat=True))
    latest = session.ends_at + datetime.timedelta(days=1)
    planned = []
    for number, employee_no, name, raw_time in parsed:
        person = staff.get(employee_no)
        if person is None:
            report.errors.append(
                (
                    number,
                    _("No one on the roster has employee number %(no)s.") % {"no": employee_no},
                )
            )
            continue
        if name and name != person.name:
            report.errors.append(
                (
                    number,
                    _("Employee number %(no)s is %(roster)s on the roster, not %(name)s.")
                    % {"no": employee_no, "roster": person.name, "name": name},
                )
            )
            continue
        try:
            _attendee(session, staff=person)
        except CheckInError as error:
            report.errors.append((number, f"{person.name}：{error}"))
            continue
        try:
            at = _time(raw_time, session)
        except ValueError:
            report.errors.append(
                (
                    number,
                    _(
                        "Check-in time “%(value)s” is not a date and time: write it like "
                        "2026-06-18 09:05."
                    )
                    % {"value": raw_time},
                )
            )
            continue
        if at > min(now, latest) or at < session.starts_at - datetime.timedelta(days=1):
            report.errors.append(
                (
                    number,
                    _("The check-in time %(time)s is not on the day of the session.")
                    % {"time": timezone.localtime(at).strftime("%Y-%m-%d %H:%M")},
                )
            )
            continue
        if person.pk in done:
            report.already.append(person.name)
            continue
        planned.append((person, at))
    report.errors.sort(key=lambda error: error[0] or 0)
    if not report.ok or dry_run:
        report.checked_in = [person.name for person, _at in planned]
        return report
    with transaction.atomic():
        for person, at in planned:
            _check_in, created = _write_check_in(
                session, person, at, CheckIn.IMPORT, recorded_by=recorded_by
            )
            (report.checked_in if created else report.already).append(person.name)
    return report
