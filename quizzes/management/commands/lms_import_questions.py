from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from quizzes.conf import app_settings
from quizzes.services.importing import import_questions


class Command(BaseCommand):
    help = (
        "Import questions from an .xlsx or .csv file, all or nothing: a row matching a question "
        "of the bank by category and text updates it, other rows create questions."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The .xlsx or .csv file.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and show what would change, without writing anything.",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            with path.open("rb") as file:
                # One byte more than allowed is enough for the importer to refuse the file.
                data = file.read(app_settings.LMS_QUESTION_IMPORT_MAX_BYTES + 1)
        except OSError as error:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror}
            ) from error

        report = import_questions(data, path.name, dry_run=options["dry_run"])
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

    def _describe(self, change):
        stem = " ".join(change.stem.split())
        values = {"row": change.row, "path": change.category, "stem": stem[:60]}
        if change.question is None:
            return _("Row %(row)d: create in %(path)s: %(stem)s") % values
        if not change.changes:
            return _("Row %(row)d: unchanged: %(stem)s") % values
        values["fields"] = ", ".join(change.change_labels)
        return _("Row %(row)d: update %(fields)s: %(stem)s") % values
