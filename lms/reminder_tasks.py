"""The daily reminder run as a django-tasks task.

django-tasks has no scheduler: cron or a systemd timer runs ``python manage.py
lms_send_reminders`` once a day (see README), which enqueues this task (or runs it inline with
the default ``ImmediateBackend``). Running it more than once a day is harmless: each reminder is
stored, and sent, once per day.
"""

import datetime

from django_tasks import task

from lms.services.reminders.daily import send_due_reminders


@task()
def send_reminders_task(day=None):
    """Send the reminders of ``day`` (ISO date; default today in Asia/Shanghai when the task
    runs). Returns the counts of ``lms.services.reminders.daily.send_due_reminders``."""
    today = datetime.date.fromisoformat(day) if day else None
    return send_due_reminders(today)
