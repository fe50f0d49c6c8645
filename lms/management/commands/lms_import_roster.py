from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lms.conf import app_settings
from lms.services.roster import import_roster
from lms.services.roster.report import StaffChange


class Command(BaseCommand):
    help = (
        "Import the staff roster from an .xlsx or .csv file, all or nothing: rows are matched "
        "by employee number (new people are added, others updated); a 离职/inactive row "
        "deactivates a person, and people missing from the file are left as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The .xlsx or .csv file.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and show what would change, without writing anything.",
        )
        parser.add_argument(
            "--create-positions",
            action="store_true",
            help="Create positions the file names but the system does not have yet "
            "(otherwise they are errors).",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        max_bytes = app_settings.LMS_ROSTER_IMPORT_MAX_BYTES
        try:
            with path.open("rb") as file:
                # One byte more than allowed is enough for the importer to refuse the file.
                data = file.read(max_bytes + 1)
        except OSError as error:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror}
            ) from error

        report = import_roster(
            data,
            path.name,
            dry_run=options["dry_run"],
            create_positions=options["create_positions"],
        )
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

        if report.dry_run or options["verbosity"] > 1:
            for change in report.changes:
                self.stdout.write(self._describe(change))
        for name in report.new_positions:
            self.stdout.write(_("New position: %(name)s") % {"name": name})
        summary = {
            "new": report.created,
            "changed": report.changed,
            "transfers": report.transfers,
            "leaving": report.leaving,
            "unchanged": report.unchanged,
            "skipped": report.skipped,
        }
        if report.dry_run:
            message = _(
                "Dry run: %(new)d new, %(changed)d changed (%(transfers)d transfers), "
                "%(leaving)d leaving, %(unchanged)d unchanged, %(skipped)d skipped. "
                "Nothing was written."
            )
        else:
            message = _(
                "Imported: %(new)d new, %(changed)d changed (%(transfers)d transfers), "
                "%(leaving)d leaving, %(unchanged)d unchanged, %(skipped)d skipped."
            )
        self.stdout.write(self.style.SUCCESS(message % summary))
        if report.written and any(report.synced.values()):
            self.stdout.write(
                _(
                    "Assignments: %(created)d created, %(withdrawn)d withdrawn, "
                    "%(reopened)d reopened, %(moved)d moved to a new unit."
                )
                % report.synced
            )

    def _describe(self, change):
        labels = {
            StaffChange.NEW: _("new"),
            StaffChange.CHANGED: _("transfer") if change.transfer else _("changed"),
            StaffChange.LEAVING: _("leaving"),
        }
        details = "; ".join(
            f"{label}: {old} → {new}" if old else f"{label}: {new}"
            for label, old, new in change.changes
        )
        return _("Row %(row)d: %(action)s %(number)s %(name)s — %(details)s") % {
            "row": change.row,
            "action": labels[change.action],
            "number": change.employee_no,
            "name": change.name,
            "details": details,
        }
