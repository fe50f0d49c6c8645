from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from lms.services import verify_chain
from lms.services.records.anchor import AnchorError, check_anchors

#: Problems listed one per line; the rest are counted.
MAX_LINES = 50


class Command(BaseCommand):
    help = _(
        "Check the completion records' keyed hash chain, its head, the certificates and the "
        "completed assignments; lists every problem found and fails if there is any."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchors",
            nargs="?",
            const="",
            default=None,
            metavar="DIR",
            help=_(
                "Also check the signed chain anchors in DIR (default LMS_ANCHOR_DIR): each "
                "file's signature, and that the record it names still has the anchored hash."
            ),
        )

    def handle(self, *args, **options):
        report = verify_chain(limit=MAX_LINES)
        anchors = None
        if options["anchors"] is not None:
            try:
                anchors = check_anchors(options["anchors"] or None, chain=report)
            except AnchorError as error:
                raise CommandError(str(error)) from error
            self.report_anchors(anchors)
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
        if anchors is not None and anchors.problems:
            raise CommandError(
                ngettext(
                    "The chain anchors show %(n)d problem.",
                    "The chain anchors show %(n)d problems.",
                    len(anchors.problems),
                )
                % {"n": len(anchors.problems)}
            )
        self.stdout.write(
            _(
                "%(count)d completion records verified; the chain is intact (head: "
                "%(head)d records, %(hash)s)."
            )
            % {"count": report.checked, "head": report.head_count, "hash": report.head_hash}
        )

    def report_anchors(self, check):
        for problem in check.problems:
            self.stderr.write(f"[{pgettext('record chain problem', 'anchor')}] {problem}")
        good = sum(1 for _path, anchor, found in check.anchors if anchor and not found)
        self.stdout.write(
            ngettext(
                "%(good)d of %(n)d chain anchor in %(dir)s holds.",
                "%(good)d of %(n)d chain anchors in %(dir)s hold.",
                len(check.anchors),
            )
            % {"good": good, "n": len(check.anchors), "dir": check.directory}
        )
