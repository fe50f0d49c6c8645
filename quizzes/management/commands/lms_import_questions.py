from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from quizzes.conf import app_settings
from quizzes.importing.command import ImportCommand
from quizzes.services.importing import import_questions


class Command(ImportCommand):
    help = (
        "Import questions from an .xlsx or .csv file, all or nothing: a row matching a question "
        "of the bank by category and text updates it, other rows create questions."
    )
    dry_run_summary = gettext_lazy(
        "Dry run: %(created)d question(s) would be created and %(updated)d updated "
        "(%(unchanged)d of them already identical). Nothing was written."
    )
    import_summary = gettext_lazy(
        "Imported: %(created)d question(s) created and %(updated)d updated "
        "(%(unchanged)d of them already identical)."
    )

    def max_bytes(self):
        return app_settings.LMS_QUESTION_IMPORT_MAX_BYTES

    def run_import(self, data, filename, options):
        return import_questions(data, filename, dry_run=options["dry_run"])

    def notes(self, report):
        return [_("New category: %(path)s") % {"path": path} for path in report.new_categories]

    def summary_values(self, report):
        return {"created": report.created, "updated": report.updated, "unchanged": report.unchanged}

    def change_line(self, change):
        stem = " ".join(change.stem.split())
        values = {"row": change.row, "path": change.category, "stem": stem[:60]}
        if change.question is None:
            return _("Row %(row)d: create in %(path)s: %(stem)s") % values
        if not change.changes:
            return _("Row %(row)d: unchanged: %(stem)s") % values
        values["fields"] = ", ".join(change.change_labels)
        return _("Row %(row)d: update %(fields)s: %(stem)s") % values
