from django.utils.translation import gettext as _

from quizzes.conf import app_settings
from quizzes.importing.command import ImportCommand
from quizzes.services.importing import import_questions


class Command(ImportCommand):
    help = (
        "Import questions from an .xlsx or .csv file, all or nothing: a row matching a question "
        "of the bank by category and text updates it, other rows create questions."
    )

    def max_bytes(self):
        return app_settings.LMS_QUESTION_IMPORT_MAX_BYTES

    def run_import(self, data, filename, options):
        return import_questions(data, filename, dry_run=options["dry_run"])

    def describe(self, report, options):
        if report.dry_run or options["verbosity"] > 1:
            for change in report.changes:
                self.stdout.write(self._change_line(change))
        for path_name in report.new_categories:
            self.stdout.write(_("New category: %(path)s") % {"path": path_name})
        summary = {
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
        }
        if report.dry_run:
            message = _(
                "Dry run: %(created)d question(s) would be created and %(updated)d updated "
                "(%(unchanged)d of them already identical). Nothing was written."
            )
        else:
            message = _(
                "Imported: %(created)d question(s) created and %(updated)d updated "
                "(%(unchanged)d of them already identical)."
            )
        self.stdout.write(self.style.SUCCESS(message % summary))

    def _change_line(self, change):
        stem = " ".join(change.stem.split())
        values = {"row": change.row, "path": change.category, "stem": stem[:60]}
        if change.question is None:
            return _("Row %(row)d: create in %(path)s: %(stem)s") % values
        if not change.changes:
            return _("Row %(row)d: unchanged: %(stem)s") % values
        values["fields"] = ", ".join(change.change_labels)
        return _("Row %(row)d: update %(fields)s: %(stem)s") % values
