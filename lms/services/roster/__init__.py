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

from django.utils.translation import gettext as _

from lms.services.roster import planning, writing
from lms.services.roster.reading import (
    HEADER_KEYS,
    REQUIRED_HEADERS,
    PeopleSheetImporter,
    parse_row,
)
from lms.services.roster.report import RosterReport, StaffChange

__all__ = ["RosterImporter", "import_roster"]


class RosterImporter(PeopleSheetImporter):
    """The roster import (see the module docstring for the rules and
    ``lms.services.roster.reading`` for the format). Unknown positions are errors unless
    ``create_positions``; ``user`` is recorded in the admin history of each added or changed
    person."""

    report_class = RosterReport
    header_keys = HEADER_KEYS
    required_columns = REQUIRED_HEADERS

    def __init__(self, *, create_positions=False, user=None):
        self.create_positions = create_positions
        self.user = user

    def parse_row(self, number, values):
        return parse_row(number, values)

    def plan(self, rows, report):
        # Unknown units and the like are reported together with the rows' own problems.
        planned = planning.plan(rows, report, self.create_positions)
        if not report.ok:
            report.new_positions = []
            return None
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
        return planned

    def write(self, planned, report):
        report.synced = writing.write(planned, report, self.user)

    def conflict(self):
        # Someone else changed the roster at the same moment (e.g. two imports at once).
        return _("The roster changed while importing: nothing was imported. Try again.")


def import_roster(file_bytes, filename, dry_run=False, create_positions=False, user=None):
    """Import the staff of an .xlsx or .csv roster file, all or nothing (see the module
    docstring for the rules and ``lms.services.roster.reading`` for the format). With ``dry_run``
    nothing is written but the report lists what would change: new people, changed ones
    (field by field, transfers flagged) and leavers. Unknown positions are errors unless
    ``create_positions``. Assignments of published plans are brought in step for everyone the
    import adds, moves, re-positions, re-dates, deactivates or reactivates. ``user`` is recorded
    in the admin history of each added or changed person. Returns a RosterReport."""
    importer = RosterImporter(create_positions=create_positions, user=user)
    return importer.run(file_bytes, filename, dry_run=dry_run)
