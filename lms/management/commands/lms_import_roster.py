from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.conf import app_settings
from lms.services.roster import import_roster
from lms.services.roster.report import StaffChange
from quizzes.importing.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Import the staff roster from an .xlsx or .csv file, all or nothing: rows are matched "
        "by employee number (new people are added, others updated); a 离职/inactive row "
        "deactivates a person, and people missing from the file are left as they are."
    )
    dry_run_summary = gettext_lazy(
        "Dry run: %(new)d new, %(changed)d changed (%(transfers)d transfers), "
        "%(leaving)d leaving, %(unchanged)d unchanged, %(skipped)d skipped. "
        "Nothing was written."
    )
    import_summary = gettext_lazy(
        "Imported: %(new)d new, %(changed)d changed (%(transfers)d transfers), "
        "%(leaving)d leaving, %(unchanged)d unchanged, %(skipped)d skipped."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--create-positions",
            action="store_true",
            help="Create positions the file names but the system does not have yet "
            "(otherwise they are errors).",
        )

    def max_bytes(self):
        return app_settings.LMS_ROSTER_IMPORT_MAX_BYTES

    def run_import(self, data, filename, options):
        return import_roster(
            data,
            filename,
            dry_run=options["dry_run"],
            create_positions=options["create_positions"],
        )

    def notes(self, report):
        return [_("New position: %(name)s") % {"name": name} for name in report.new_positions]

    def summary_values(self, report):
        return {
            "new": report.created,
            "changed": report.changed,
            "transfers": report.transfers,
            "leaving": report.leaving,
            "unchanged": report.unchanged,
            "skipped": report.skipped,
        }

    def describe(self, report, options):
        super().describe(report, options)
        if report.written and any(report.synced.values()):
            self.stdout.write(
                _(
                    "Assignments: %(created)d created, %(withdrawn)d withdrawn, "
                    "%(reopened)d reopened, %(moved)d moved to a new unit."
                )
                % report.synced
            )

    def change_line(self, change):
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
