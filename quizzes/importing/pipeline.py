"""The one flow of every CP-LMS spreadsheet import, all or nothing:

    read (``quizzes.importing.sheets``) → map the header → parse every row → plan against the
    database → write, in one transaction → report

An import is a ``SpreadsheetImporter`` subclass giving its columns, its row parser, its planner
and its writer: the question bank (``quizzes.services.importing``), the roster
(``lms.services.roster``) and a session's attendance sheet (``lms.services.learning.attendance``).
``run`` returns its ``ImportReport``: problems as ``(row number or None, message)``, the row number
being the spreadsheet's and None a problem with the whole file. Nothing is written unless every
row is valid and the plan has no problem, nor in a dry run. The report is also what the one report
template (``quizzes/admin/includes/import_report.html``) shows: its ``summary``, ``counts``,
``notes``, the table of ``change_headings`` and ``change_rows``, and the problems.
"""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .sheets import ImportFileError, map_header, read_sheet


def _lines(value):
    return value if isinstance(value, list) else [value]


@dataclass
class ImportReport:
    """Outcome of an import. Subclasses add their counts, and say how the report template shows
    them with the attributes and properties of the second part."""

    filename: str
    dry_run: bool = False
    rows: int = 0
    errors: list = field(default_factory=list)  # (row number or None, message)
    warnings: list = field(default_factory=list)
    changes: list = field(default_factory=list)  # what the rows do (or would do), in file order

    #: Names the report's HTML (``data-<kind>-report``, ``data-<kind>-counts`` and so on).
    kind = "import"
    #: The summary of a report with problems.
    refused = gettext_lazy("Nothing was imported")
    #: The table of ``changes``: a column is ``(heading, attribute of a change)``, the attribute a
    #: text (or a number) or a list of lines. No columns, no table.
    change_columns = ()

    @property
    def ok(self):
        return not self.errors

    @property
    def written(self):
        return self.ok and not self.dry_run

    # --- What the report template shows ---------------------------------------------------

    @property
    def summary(self):
        """The report's title: nothing imported, a dry run, or done."""
        if not self.ok:
            return self.refused
        if self.dry_run:
            return _("Dry run: nothing was written")
        return _("Import finished")

    @property
    def counts(self):
        """The line of counts of a report without problems."""
        return ""

    @property
    def notes(self):
        """Paragraphs after the counts of a report without problems."""
        return []

    @property
    def change_headings(self):
        return [heading for heading, _name in self.change_columns]

    @property
    def change_rows(self):
        """The rows of the table of changes, a cell a list of lines."""
        if not self.change_columns:
            return []
        return [
            [_lines(getattr(change, name)) for _heading, name in self.change_columns]
            for change in self.changes
        ]

    @property
    def changes_note(self):
        """A paragraph after the table of changes (e.g. that it is cut short)."""
        return ""

    @property
    def error_count(self):
        """How many problems there are in all (``errors`` may list only the first)."""
        return len(self.errors)

    @property
    def errors_note(self):
        """A paragraph after the problems (e.g. that only the first are listed)."""
        return ""

    def dry_run_note(self):
        return _("To import, upload the file again with “Dry run” unticked.")


def nul_message():
    return _(
        "This row contains a NUL character (\\x00), which cannot be saved. Remove it and import "
        "again."
    )


def _row_number(error):
    return error[0] or 0


class SpreadsheetImporter:
    """An import of one spreadsheet: ``run`` reads, checks, plans and writes it (see the module
    docstring). Subclasses give what varies, as attributes and methods."""

    report_class = ImportReport
    #: ``header_key(name)`` of every accepted header name → its column key.
    header_keys = {}
    #: ``(key, label)`` of the columns a file must have.
    required_columns = []
    #: Plan the valid rows even when other rows have problems, to report all problems at once
    #: (the plan's problems are sorted in among the rows' by row number).
    plan_after_row_errors = False
    #: The message for a file of more rows than ``limits`` allows, ``%(max)d`` the most.
    too_many = ""
    #: The message for a file with a header and nothing below it.
    no_rows = ""

    def limits(self):
        """``(max_bytes, max_rows)``: the largest file, and the most rows below its header."""
        raise NotImplementedError

    def refusal(self):
        """Why the import cannot be done whatever the file (a message), or None."""
        return None

    def read(self, file_bytes, filename):
        """The non-blank rows of the file, header included (``sheets.read_sheet``)."""
        max_bytes, max_rows = self.limits()
        return read_sheet(
            file_bytes, filename, max_bytes=max_bytes, max_rows=max_rows, too_many=self.too_many
        )

    def parse_row(self, number, values):
        """Check one row (``values`` maps the file's column keys to cells): ``(row or None,
        [messages])``."""
        raise NotImplementedError

    def plan(self, rows, report):
        """What the valid ``rows`` would do, checked against the database; problems go to
        ``report``, and so do the planned changes when there is none. Returns what ``write``
        needs."""
        raise NotImplementedError

    def write(self, plan, report):
        """Carry out ``plan``, inside the import's transaction."""
        raise NotImplementedError

    def conflict(self):
        """The message for a write that broke a database constraint (someone else wrote the same
        rows at the same moment), or None to let the IntegrityError through."""
        return None

    def parse_rows(self, rows, columns, report):
        """The valid rows of ``rows``; problems go to ``report``."""
        valid = []
        for number, cells in rows:
            if any(isinstance(cell, str) and "\x00" in cell for cell in cells):
                # Refused here so that the dry run agrees with the real run: PostgreSQL cannot
                # store NUL in text, SQLite can.
                report.errors.append((number, nul_message()))
                continue
            values = {
                key: cells[index] if index < len(cells) else "" for key, index in columns.items()
            }
            row, errors = self.parse_row(number, values)
            report.errors.extend((number, message) for message in errors)
            if row is not None:
                valid.append(row)
        return valid

    def run(self, file_bytes, filename, *, dry_run=False):
        """Import the file, all or nothing. With ``dry_run`` nothing is written but the report
        says what would be. Returns the report."""
        report = self.report_class(filename=filename, dry_run=dry_run)
        refusal = self.refusal()
        if refusal:
            report.errors.append((None, refusal))
            return report
        try:
            rows = self.read(file_bytes, filename)
        except ImportFileError as error:
            report.errors.append((None, str(error)))
            return report
        if not rows:
            report.errors.append((None, _("The file is empty.")))
            return report

        columns = map_header(*rows[0], report, self.header_keys, self.required_columns)
        if not report.ok:
            return report
        valid = self.parse_rows(rows[1:], columns, report)
        report.rows = len(rows) - 1
        if not report.rows:
            report.errors.append((None, str(self.no_rows)))
            return report
        if not report.ok and not self.plan_after_row_errors:
            return report

        plan = self.plan(valid, report)
        report.errors.sort(key=_row_number)
        if not report.ok or dry_run:
            return report
        try:
            with transaction.atomic():
                self.write(plan, report)
        except IntegrityError:
            message = self.conflict()
            if message is None:
                raise
            report.errors.append((None, message))
        return report
