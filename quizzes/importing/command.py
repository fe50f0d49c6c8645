"""The management command of a spreadsheet import (``lms_import_questions``, ``lms_import_roster``):
read the file named on the command line, run the import, print its warnings, and fail with its
row-numbered problems or describe what it did."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


class ImportCommand(BaseCommand):
    """Subclasses give ``max_bytes``, ``run_import`` and ``describe``."""

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

    def describe(self, report, options):
        """Print what an import without problems did (or would do)."""
        raise NotImplementedError

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
