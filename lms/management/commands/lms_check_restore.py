"""``manage.py lms_check_restore --manifest FILE``: check a restored database against its
backup's manifest (``deploy/restore`` runs it), print each check, mark the database, fail if any
check fails."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from lms.services.records.restore_check import SAMPLE, check_restore, mark_database
from lms.services.records.snapshot import key_fingerprint


class Command(BaseCommand):
    help = _(
        "Check a restored database against its backup's manifest.json: the chain key, the "
        "chain head, row counts, migrations, the record chain and a sample of certificates. "
        "Marks the database verified or NOT VERIFIED; fails if any check fails."
    )

    def add_arguments(self, parser):
        parser.add_argument("--manifest", help=_("The backup's manifest.json."))
        parser.add_argument(
            "--sample",
            type=int,
            default=SAMPLE,
            help=_("How many certificates to verify and render (picked at random)."),
        )
        parser.add_argument("--seed", type=int, default=None, help=_("Seed of the sample."))
        parser.add_argument(
            "--fingerprint",
            action="store_true",
            help=_("Only print the fingerprint of this environment's chain key."),
        )

    def handle(self, *args, **options):
        if options["fingerprint"]:
            self.stdout.write(key_fingerprint())
            return
        if not options["manifest"]:
            raise CommandError(_("--manifest is required."))
        path = Path(options["manifest"])
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(
                _("Cannot read the manifest %(path)s: %(error)s") % {"path": path, "error": error}
            ) from error
        checks = check_restore(manifest["database"], options["sample"], options["seed"])
        for check in checks:
            if check.ok:
                result = pgettext("restore check", "ok")
            else:
                result = pgettext("restore check", "FAILED")
            # One stream, so the checks read in order wherever the output goes.
            self.stdout.write(f"[{result}] {check.name}: {check.detail}")
        mark = mark_database(checks, manifest.get("name", path.parent.name))
        self.stdout.write(_("Database marked: %(mark)s") % {"mark": mark})
        self.stdout.flush()
        failed = [check for check in checks if not check.ok]
        if failed and not checks[0].ok:
            raise CommandError(checks[0].detail)  # the wrong key: said again, last
        if failed:
            raise CommandError(
                ngettext(
                    "The restore is NOT VERIFIED: %(n)d check failed.",
                    "The restore is NOT VERIFIED: %(n)d checks failed.",
                    len(failed),
                )
                % {"n": len(failed)}
            )
        self.stdout.write(_("The restore is verified: every check passed."))
