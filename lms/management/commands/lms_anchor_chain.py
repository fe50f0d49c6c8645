from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import TaskResultStatus

from lms.management.daily import iso_date
from lms.services.records.anchor import AnchorError
from lms.services.records.anchoring import anchor_chain
from lms.tasks import anchor_chain_task


class Command(BaseCommand):
    help = _(
        "Verify the completion records' chain and write the signed anchor of its head (the "
        "newest record's id and hash, the number of records) outside the database; optionally "
        "email it to the officers. Run it daily from cron; a second run the same day with the "
        "same head changes nothing. Fails if the chain does not verify or an email fails."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", help=_("Where to write the anchor (default LMS_ANCHOR_DIR)."))
        parser.add_argument(
            "--email", action="store_true", help=_("Email a new anchor to the officers.")
        )
        parser.add_argument(
            "--date", help=_("The day the anchor is for, YYYY-MM-DD (default today).")
        )
        parser.add_argument(
            "--inline",
            action="store_true",
            help=_("Run in this process instead of enqueueing the task for a worker."),
        )

    def handle(self, *args, **options):
        day = iso_date(options["date"]) if options["date"] else None
        if options["inline"]:
            try:
                summary = anchor_chain(day, options["dir"], options["email"])
            except AnchorError as error:
                raise CommandError(str(error)) from error
            self.report(summary)
            return
        result = anchor_chain_task.enqueue(
            day.isoformat() if day else None, options["dir"], options["email"]
        )
        if result.status == TaskResultStatus.SUCCESSFUL:
            self.report(result.return_value)
        elif result.status == TaskResultStatus.FAILED:
            raise CommandError(_("The anchor task failed; see the log."))
        else:
            self.stdout.write(
                _("Queued as task %(id)s; a worker (db_worker) will write the anchor.")
                % {"id": result.id}
            )

    def report(self, summary):
        if summary["written"]:
            text = _(
                "Anchored for %(date)s: %(records)d records, newest record %(head_record)s, "
                "hash %(head_hash)s, fingerprint %(digest)s; written to %(path)s."
            )
        else:
            text = _(
                "Unchanged: %(path)s already anchors this head (%(records)d records, newest "
                "record %(head_record)s) for %(date)s."
            )
        # An empty chain has no newest record.
        self.stdout.write(text % {**summary, "head_record": summary["head_record"] or "—"})
        if summary["emailed"]:
            self.stdout.write(
                ngettext(
                    "Emailed to %(n)d officer.", "Emailed to %(n)d officers.", summary["emailed"]
                )
                % {"n": summary["emailed"]}
            )
        if not summary["verified"]:
            raise CommandError(
                ngettext(
                    "The chain does not verify (%(n)d problem): run lms_verify_records.",
                    "The chain does not verify (%(n)d problems): run lms_verify_records.",
                    summary["problems"],
                )
                % {"n": summary["problems"]}
            )
        if summary["email_failed"]:
            raise CommandError(
                ngettext(
                    "%(n)d email to an officer failed; see the log.",
                    "%(n)d emails to officers failed; see the log.",
                    summary["email_failed"],
                )
                % {"n": summary["email_failed"]}
            )
