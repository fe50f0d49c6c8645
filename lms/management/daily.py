"""What the daily commands (``lms_send_reminders``, ``lms_recertify``) share: ``--date``,
``--dry-run`` (count only, in this process) and ``--inline``; otherwise the day's django-tasks task
is enqueued and its outcome, or that it was queued, reported."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus


def iso_date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(_("Not a date (YYYY-MM-DD): %(value)s") % {"value": value}) from error


class DailyRunCommand(BaseCommand):
    """Subclasses set ``task`` (a django-tasks task taking the ISO day) and ``date_help``,
    ``dry_run_help``, ``failed_message``, ``queued_message`` (with ``%(id)s``), and define
    ``run(day, dry_run)`` (the service) and ``report(summary, dry_run)``."""

    task = None
    date_help = dry_run_help = failed_message = queued_message = ""

    def add_arguments(self, parser):
        parser.add_argument("--date", help=self.date_help)
        parser.add_argument("--dry-run", action="store_true", help=self.dry_run_help)
        parser.add_argument(
            "--inline",
            action="store_true",
            help=_("Run in this process instead of enqueueing the task for a worker."),
        )

    def handle(self, *args, **options):
        day = iso_date(options["date"]) if options["date"] else None
        if options["dry_run"]:
            self.report(self.run(day, dry_run=True), dry_run=True)
            return
        if options["inline"]:
            self.report(self.run(day))
            return
        result = self.task.enqueue(day.isoformat() if day else None)
        if result.status == TaskResultStatus.SUCCESSFUL:
            self.report(result.return_value)
        elif result.status == TaskResultStatus.FAILED:
            raise CommandError(self.failed_message)
        else:
            self.stdout.write(self.queued_message % {"id": result.id})

    def run(self, day, dry_run=False):
        raise NotImplementedError

    def report(self, summary, dry_run=False):
        raise NotImplementedError
