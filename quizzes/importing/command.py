"""The management command of a spreadsheet import (``lms_import_questions``, ``lms_import_roster``):
read the file named on the command line, run the import, print its warnings, and fail with its
row-numbered problems or say what it did (or, with --dry-run, would do)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


class ImportCommand(BaseCommand):
    """Subclasses give ``max_bytes``, ``run_import``, ``change_line``, the two summaries and
    ``summary_values``, and maybe ``notes``."""

    #: The last line of a dry run and of an import, ``%``-formatted with ``summary_values``.
    dry_run_summary = ""
    import_summary = ""

    def add_arguments(self, parser):
        parser.add_argument("file", help="The .xlsx or .csv file.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and show what would change, without writing anything.",
        )

    def max_bytes(self):
        """The largest file the import accepts."""
        raise NotImplementedError

    def run_import(self, data, filename, options):
        """The import's report of the file's ``data``."""
        raise NotImplementedError

    def change_line(self, change):
        """One of the report's ``changes`` as a line, listed by a dry run or with -v 2."""
        raise NotImplementedError

    def summary_values(self, report):
        raise NotImplementedError

    def notes(self, report):
        """Lines printed before the summary."""
        return []

    def describe(self, report, options):
        """Print what an import without problems did (or would do)."""
        if report.dry_run or options["verbosity"] > 1:
            for change in report.changes:
                self.stdout.write(self.change_line(change))
        for line in self.notes(report):
            self.stdout.write(line)
        summary = self.dry_run_summary if report.dry_run else self.import_summary
        self.stdout.write(self.style.SUCCESS(summary % self.summary_values(report)))

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            with path.open("rb") as file:
                # One byte more than allowed is enough for the importer to refuse the file.
                data = file.read(self.max_bytes() + 1)
        except OSError as error:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror}
            ) from error

        report = self.run_import(data, path.name, options)
        for message in report.warnings:
            self.stderr.write(self.style.WARNING(message))
        if not report.ok:
            for row, message in report.errors:
                if row is None:
                    self.stderr.write(message)
                else:
                    self.stderr.write(
                        _("Row %(row)d: %(message)s") % {"row": row, "message": message}
                    )
            raise CommandError(
                _("%(count)d problem(s) found in %(file)s; nothing was imported.")
                % {"count": len(report.errors), "file": path.name}
            )
        self.describe(report, options)
