from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus

from lms.management.commands.lms_send_reminders import iso_date
from lms.services.compliance.recertify import recertify
from lms.tasks import recertify_task


class Command(BaseCommand):
    help = _(
        "Assign training that expires again before it lapses, and mark renewals not done in "
        "time as expired. Run it daily from cron, before the reminders; running it twice the "
        "same day changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help=_("The day to run for, YYYY-MM-DD (default today)."))
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Only count what would change; change nothing."),
        )
        parser.add_argument(
            "--inline",
            action="store_true",
            help=_("Run in this process instead of enqueueing the task for a worker."),
        )

    def handle(self, *args, **options):
        day = iso_date(options["date"]) if options["date"] else None
        if options["dry_run"]:
            self.report(recertify(day, dry_run=True), dry_run=True)
            return
        if options["inline"]:
            self.report(recertify(day))
            return
        result = recertify_task.enqueue(day.isoformat() if day else None)
        if result.status == TaskResultStatus.SUCCESSFUL:
            self.report(result.return_value)
        elif result.status == TaskResultStatus.FAILED:
            raise CommandError(_("The renewal task failed; see the log."))
        else:
            self.stdout.write(
                _("Queued as task %(id)s; a worker (db_worker) will run the renewals.")
                % {"id": result.id}
            )

    def report(self, summary, dry_run=False):
        if dry_run:
            text = _(
                "Would change for %(day)s: %(renewed)d assigned again (%(lapsed)d already "
                "lapsed), %(expired)d renewals expired, over %(items)d items that expire."
            )
        else:
            text = _(
                "Renewals for %(day)s: %(renewed)d assigned again (%(lapsed)d already lapsed), "
                "%(expired)d renewals expired, over %(items)d items that expire."
            )
        self.stdout.write(text % summary)
