import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus

from lms.services.reminders.daily import send_due_reminders
from lms.tasks import send_reminders_task


def iso_date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(_("Not a date (YYYY-MM-DD): %(value)s") % {"value": value}) from error


class Command(BaseCommand):
    help = _(
        "Send today's training reminders (due soon, overdue, managers' chase lists, the "
        "Monday digest). Run it daily from cron; running it twice sends nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help=_("The day to send for, YYYY-MM-DD (default today)."))
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Only count what would be sent; store and send nothing."),
        )
        parser.add_argument(
            "--inline",
            action="store_true",
            help=_("Run in this process instead of enqueueing the task for a worker."),
        )

    def handle(self, *args, **options):
        day = iso_date(options["date"]) if options["date"] else None
        if options["dry_run"]:
            self.report(send_due_reminders(day, dry_run=True), dry_run=True)
            return
        if options["inline"]:
            self.report(send_due_reminders(day))
            return
        result = send_reminders_task.enqueue(day.isoformat() if day else None)
        if result.status == TaskResultStatus.SUCCESSFUL:
            self.report(result.return_value)
        elif result.status == TaskResultStatus.FAILED:
            raise CommandError(_("The reminder task failed; see the log."))
        else:
            self.stdout.write(
                _("Queued as task %(id)s; a worker (db_worker) will send the reminders.")
                % {"id": result.id}
            )

    def report(self, summary, dry_run=False):
        if dry_run:
            text = _(
                "Would send for %(day)s: %(due_soon)d due soon, %(overdue)d overdue, "
                "%(chase)d chase lists, %(digest)d digests (%(emails)d by email)."
            )
        else:
            text = _(
                "Sent for %(day)s: %(due_soon)d due soon, %(overdue)d overdue, "
                "%(chase)d chase lists, %(digest)d digests (%(emails)d by email)."
            )
        self.stdout.write(text % summary)
