from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.management.daily import DailyRunCommand
from lms.services.reminders.daily import send_due_reminders
from lms.tasks import send_reminders_task


class Command(DailyRunCommand):
    help = gettext_lazy(
        "Send today's training reminders (due soon, overdue, managers' chase lists, the "
        "Monday digest). Run it daily from cron; running it twice sends nothing twice."
    )
    task = send_reminders_task
    date_help = gettext_lazy("The day to send for, YYYY-MM-DD (default today).")
    dry_run_help = gettext_lazy("Only count what would be sent; store and send nothing.")
    failed_message = gettext_lazy("The reminder task failed; see the log.")
    queued_message = gettext_lazy(
        "Queued as task %(id)s; a worker (db_worker) will send the reminders."
    )

    def run(self, day, dry_run=False):
        return send_due_reminders(day, dry_run=dry_run)

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
