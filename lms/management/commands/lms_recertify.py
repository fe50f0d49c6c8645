from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.management.daily import DailyRunCommand
from lms.services.compliance.recertify import recertify
from lms.tasks import recertify_task


class Command(DailyRunCommand):
    help = gettext_lazy(
        "Assign training that expires again before it lapses, and mark renewals not done in "
        "time as expired. Run it daily from cron, before the reminders; running it twice the "
        "same day changes nothing."
    )
    task = recertify_task
    date_help = gettext_lazy("The day to run for, YYYY-MM-DD (default today).")
    dry_run_help = gettext_lazy("Only count what would change; change nothing.")
    failed_message = gettext_lazy("The renewal task failed; see the log.")
    queued_message = gettext_lazy(
        "Queued as task %(id)s; a worker (db_worker) will run the renewals."
    )

    def run(self, day, dry_run=False):
        return recertify(day, dry_run=dry_run)

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
