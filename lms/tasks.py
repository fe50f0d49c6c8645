"""Background tasks (django-tasks) of the lms app: publishing a plan, importing an uploaded
roster, the daily reminder run, the daily renewal run and the daily anchor of the record
chain. ``python manage.py
db_worker`` runs them when ``TASKS_BACKEND`` is "database"; the default ``ImmediateBackend`` runs
them inline.

Work someone waits for keeps its progress in a ``TaskRun`` row (``lms.models.runs``: a
``PlanPublication``, a ``RosterImport``), which the admin pages read: the same in every web
process, whichever worker runs the task, and kept as evidence afterwards. Each task only calls
the service that claims and runs its row, so a task delivered twice does the work once.
"""

import datetime

from django_tasks import task

from lms.services.compliance.recertify import recertify
from lms.services.publishing import run_publication
from lms.services.records.anchoring import anchor_chain
from lms.services.reminders.daily import send_due_reminders
from lms.services.roster.runs import run_import


@task()
def publish_plan_task(plan_id):
    """Publish (or sync) plan ``plan_id``: runs its queued ``PlanPublication``. Returns
    ``{"plan", "done", "total", "created"}`` (None if no run was queued)."""
    return run_publication(plan_id)


@task()
def import_roster_task(run_id):
    """Import the queued roster upload ``run_id`` (``lms.models.RosterImport``); returns its
    outcome, or None if it was not queued: a second delivery of the task does nothing."""
    return run_import(run_id)


@task()
def send_reminders_task(day=None):
    """Send the reminders of ``day`` (ISO date; default today in Asia/Shanghai when the task
    runs). Returns the counts of ``lms.services.reminders.daily.send_due_reminders``.

    django-tasks has no scheduler: cron or a systemd timer runs ``manage.py lms_send_reminders``
    once a day (see README), which enqueues this task. Running it more than once a day is
    harmless: each reminder is stored, and sent, once per day."""
    today = datetime.date.fromisoformat(day) if day else None
    return send_due_reminders(today)


@task()
def anchor_chain_task(day=None, directory=None, email=False):
    """Verify the record chain and write (and with ``email`` send the officers) the signed
    anchor of its head for ``day`` (ISO date; default today in Asia/Shanghai) into
    ``directory`` (default ``LMS_ANCHOR_DIR``). Returns the summary of
    ``lms.services.records.anchoring.anchor_chain``.

    Scheduled like the reminders: cron or a systemd timer runs ``manage.py lms_anchor_chain``
    once a day. A second run the same day with the same head writes and sends nothing."""
    when = datetime.date.fromisoformat(day) if day else None
    return anchor_chain(when, directory, email)


@task()
def recertify_task(day=None):
    """The daily renewal run for ``day`` (ISO date; default today in Asia/Shanghai): completions
    about to expire are assigned again, renewals not done in time expire. Returns the counts of
    ``lms.services.compliance.recertify.recertify``.

    Scheduled like the reminders (cron or a systemd timer runs ``manage.py lms_recertify`` once
    a day, before ``lms_send_reminders``, so the renewals are chased the same day). A second
    run the same day changes nothing."""
    when = datetime.date.fromisoformat(day) if day else None
    return recertify(when)
