"""Importing the roster: check and plan every row, then write all of them in one transaction or
none (the format is in ``lms.services.roster.reading``); and keeping many people's assignments
in step at once after a roster change.

Rules: a row is matched to a person by employee number; a new number adds a person with a login
account whose username is the employee number and whose password is unusable (the bank's sign-on
or an administrator sets it); an existing account with that username and no staff profile is
linked instead. A changed unit is a transfer. Only a 离职/inactive row makes a leaver: the
person and their account are deactivated, never deleted; people missing from the file are left
alone (files may be partial). A 在职/active row for a leaver reactivates them. A leaver row for
someone not on the roster is skipped with a warning.
"""

from django.db import IntegrityError
from django.utils.translation import gettext as _

from lms.services.roster.planning import _plan
from lms.services.roster.reading import RosterReport, StaffChange, map_header, parse_row, read_rows
from lms.services.roster.writing import _write
from lms.services.sheets import ImportFileError

__all__ = ["import_roster"]


def import_roster(file_bytes, filename, dry_run=False, create_positions=False, user=None):
    """Import the staff of an .xlsx or .csv roster file, all or nothing (see the module
    docstring for the rules and ``lms.services.roster.reading`` for the format). With ``dry_run``
    nothing is written but the report lists what would change: new people, changed ones
    (field by field, transfers flagged) and leavers. Unknown positions are errors unless
    ``create_positions``. Assignments of published plans are brought in step for everyone the
    import adds, moves, re-positions, re-dates, deactivates or reactivates. ``user`` is recorded
    in the admin history of each added or changed person. Returns a RosterReport."""
    report = RosterReport(filename=filename, dry_run=dry_run)
    try:
        rows = read_rows(file_bytes, filename)
    except ImportFileError as error:
        report.errors.append((None, str(error)))
        return report
    if not rows:
        report.errors.append((None, _("The file is empty.")))
        return report

    header_number, header = rows[0]
    columns = map_header(header_number, header, report)
    if not report.ok:
        return report
    valid = []
    for number, cells in rows[1:]:
        values = {key: cells[index] if index < len(cells) else "" for key, index in columns.items()}
        row, errors = parse_row(number, values)
        report.errors.extend((number, message) for message in errors)
        if row is not None:
            valid.append(row)
    report.rows = len(rows) - 1
    if not report.rows:
        report.errors.append((None, _("The file has no people below the header.")))
        return report

    # Unknown units and the like are reported together with the row errors above.
    planned = _plan(valid, report, create_positions)
    if not report.ok:
        report.errors.sort(key=lambda error: error[0] or 0)
        report.new_positions = []
        return report
    actions = [entry.change.action for entry in planned]
    report.created = actions.count(StaffChange.NEW)
    report.changed = actions.count(StaffChange.CHANGED)
    report.leaving = actions.count(StaffChange.LEAVING)
    report.unchanged = actions.count(StaffChange.UNCHANGED)
    report.skipped = actions.count(StaffChange.SKIPPED)
    report.transfers = sum(1 for entry in planned if entry.change.transfer)
    report.reactivated = sum(1 for entry in planned if entry.change.reactivated)
    report.changes = [
        entry.change
        for entry in planned
        if entry.change.action not in (StaffChange.UNCHANGED, StaffChange.SKIPPED)
    ]
    if dry_run:
        return report
    try:
        report.synced = _write(planned, report, user)
    except IntegrityError:
        # Someone else changed the roster at the same moment (e.g. two imports at once).
        report.errors.append(
            (None, _("The roster changed while importing: nothing was imported. Try again."))
        )
    return report
