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

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.models import CheckIn, StaffProfile
from lms.services.learning.offline import CheckInError, _attendee, _write_check_in
from lms.services.roster.reading import PeopleSheetImporter
from quizzes.importing.pipeline import ImportReport
from quizzes.importing.sheets import header_key, parse_date

EMPLOYEE_NO, NAME, CHECKED_IN_AT = "employee_no", "name", "checked_in_at"
HEADERS = {
    EMPLOYEE_NO: ["工号", "员工号", "员工编号", "employee_no", "employee number"],
    NAME: ["姓名", "员工姓名", "name"],
    CHECKED_IN_AT: ["签到时间", "签到", "checked_in_at", "time"],
}
HEADER_KEYS = {header_key(name): key for key, names in HEADERS.items() for name in names}


@dataclass
class AttendanceReport(ImportReport):
    """Outcome of an attendance sheet: who is (or, in a dry run, would be) checked in, and who
    was already, by name in sheet order."""

    checked_in: list = field(default_factory=list)
    already: list = field(default_factory=list)

    kind = "attendance"
    refused = gettext_lazy("Nobody was checked in")

    @property
    def counts(self):
        return _("To check in: %(count)s · already checked in: %(already)s") % {
            "count": len(self.checked_in),
            "already": len(self.already),
        }

    @property
    def notes(self):
        notes = ["、".join(self.checked_in)] if self.checked_in else []
        if self.dry_run:
            notes.append(self.dry_run_note())
        return notes


@dataclass
class SheetRow:
    row: int
    employee_no: str
    name: str
    time: object  # the cell: text or a date


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


class AttendanceImporter(PeopleSheetImporter):
    """Everyone on the sheet checked in to ``session`` (see the module docstring)."""

    report_class = AttendanceReport
    header_keys = HEADER_KEYS
    required_columns = [(EMPLOYEE_NO, "工号/employee_no")]

    def __init__(self, session, *, recorded_by=None, now=None):
        self.session = session
        self.recorded_by = recorded_by
        self.now = now or timezone.now()

    def refusal(self):
        return _("This session was cancelled.") if self.session.cancelled else None

    def parse_row(self, number, values):
        employee_no = unicodedata.normalize("NFKC", _plain(values[EMPLOYEE_NO])).strip()
        if not employee_no:
            return None, [_("The employee number (工号) is missing.")]
        name = " ".join(_plain(values.get(NAME, "")).split())
        return SheetRow(number, employee_no, name, values.get(CHECKED_IN_AT, "")), []

    def _problem(self, row, person, seen):
        """What is wrong with checking in ``person`` (None: not on the roster) for ``row``, or
        None."""
        if row.employee_no in seen:
            return _("Employee number %(no)s is also on row %(row)d.") % {
                "no": row.employee_no,
                "row": seen[row.employee_no],
            }
        seen[row.employee_no] = row.row
        if person is None:
            return _("No one on the roster has employee number %(no)s.") % {"no": row.employee_no}
        if row.name and row.name != person.name:
            return _("Employee number %(no)s is %(roster)s on the roster, not %(name)s.") % {
                "no": row.employee_no,
                "roster": person.name,
                "name": row.name,
            }
        try:
            _attendee(self.session, staff=person)
        except CheckInError as error:
            return f"{person.name}：{error}"
        return None

    def _moment(self, row):
        """``(check-in time, None)`` of ``row``, or ``(None, problem)``."""
        session = self.session
        try:
            at = _time(row.time, session)
        except ValueError:
            return None, _(
                "Check-in time “%(value)s” is not a date and time: write it like 2026-06-18 09:05."
            ) % {"value": row.time}
        latest = session.ends_at + datetime.timedelta(days=1)
        if at > min(self.now, latest) or at < session.starts_at - datetime.timedelta(days=1):
            return None, _("The check-in time %(time)s is not on the day of the session.") % {
                "time": timezone.localtime(at).strftime("%Y-%m-%d %H:%M")
            }
        return at, None

    def plan(self, rows, report):
        staff = {
            person.employee_no: person
            for person in StaffProfile.objects.select_related("org_unit", "user").filter(
                employee_no__in=[row.employee_no for row in rows]
            )
        }
        done = set(CheckIn.objects.filter(session=self.session).values_list("staff_id", flat=True))
        seen, planned = {}, []
        for row in rows:
            person = staff.get(row.employee_no)
            problem = self._problem(row, person, seen)
            if problem is None:
                at, problem = self._moment(row)
            if problem is not None:
                report.errors.append((row.row, problem))
            elif person.pk in done:
                report.already.append(person.name)
            else:
                planned.append((person, at))
        report.checked_in = [person.name for person, _at in planned]
        return planned

    def write(self, planned, report):
        report.checked_in = []
        for person, at in planned:
            _check_in, created = _write_check_in(
                self.session, person, at, CheckIn.IMPORT, recorded_by=self.recorded_by
            )
            (report.checked_in if created else report.already).append(person.name)


def import_attendance(session, file_bytes, filename, recorded_by=None, dry_run=False, now=None):
    """Check in everyone on the sheet to ``session``, all or nothing. Returns an
    AttendanceReport; nothing is written when it has errors or ``dry_run``."""
    importer = AttendanceImporter(session, recorded_by=recorded_by, now=now)
    return importer.run(file_bytes, filename, dry_run=dry_run)
