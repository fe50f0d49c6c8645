from django.utils.translation import gettext_lazy

from lms.conf import app_settings
from lms.services.complaints.register_import import import_complaints, training_note
from quizzes.importing.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Import the complaint register (投诉登记) from an .xlsx or .csv file, all or nothing: "
        "a complaint number already registered updates that complaint; ID, mobile and card "
        "numbers in the summaries are masked."
    )
    dry_run_summary = gettext_lazy(
        "Dry run: %(created)d new, %(updated)d updated, %(unchanged)d unchanged; "
        "%(masked)d personal numbers masked. Nothing was written."
    )
    import_summary = gettext_lazy(
        "Imported: %(created)d new, %(updated)d updated, %(unchanged)d unchanged; "
        "%(masked)d personal numbers masked."
    )

    def max_bytes(self):
        return app_settings.LMS_COMPLAINTS_IMPORT_MAX_BYTES

    def run_import(self, data, filename, options):
        return import_complaints(data, filename, dry_run=options["dry_run"])

    def describe(self, report, options):
        # 50,000 complaints make no useful listing: the counts say what happened.
        summary = self.dry_run_summary if report.dry_run else self.import_summary
        self.stdout.write(self.style.SUCCESS(summary % self.summary_values(report)))
        if not report.dry_run and report.saved is not None:
            self.stdout.write(training_note(report.saved.training))

    def summary_values(self, report):
        return {
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "masked": report.masked,
        }
