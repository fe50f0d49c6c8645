from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lms.services import verify_chain

#: Problems listed one per line; the rest are counted.
MAX_LINES = 50


class Command(BaseCommand):
    help = _(
        "Check the completion records' keyed hash chain, its head, the certificates and the "
        "completed assignments; lists every problem found and fails if there is any."
    )

    def handle(self, *args, **options):
        report = verify_chain(limit=MAX_LINES)
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(f"[{problem.label}] {problem.message}")
            if report.total > len(report.problems):
                more = report.total - len(report.problems)
                self.stderr.write(
                    ngettext("… and %(n)d more problem.", "… and %(n)d more problems.", more)
                    % {"n": more}
                )
            raise CommandError(
                ngettext(
                    "Records were tampered with: %(n)d problem in %(count)d records.",
                    "Records were tampered with: %(n)d problems in %(count)d records.",
                    report.total,
                )
                % {"n": report.total, "count": report.checked}
            )
        self.stdout.write(
            _(
                "%(count)d completion records verified; the chain is intact (head: "
                "%(head)d records, %(hash)s)."
            )
            % {"count": report.checked, "head": report.head_count, "hash": report.head_hash}
        )
