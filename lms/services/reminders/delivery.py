"""Storing and emailing reminders, each exactly once.

``deliver(rows)`` inserts unsaved ``Reminder`` rows with ``bulk_create(ignore_conflicts=True)``
(``ON CONFLICT DO NOTHING`` on PostgreSQL, ``INSERT OR IGNORE`` on SQLite): a row that already
exists for the same assignment, kind and day (or recipient, kind and day) is silently skipped by
the database, whoever inserted it first — a second run that day, or another worker running at
the same moment (PostgreSQL makes the second insert wait for the first transaction, then skips).
Every row of one call carries the same fresh ``run`` token, so re-reading the rows with that
token gives exactly the rows *this* call inserted. Why not one insert per row in a savepoint:
that costs two queries per reminder; this costs two queries per 500.

Only those rows are sent, after the transaction commits (``transaction.on_commit``), through the
notification channels (``lms.services.reminders.channels``: email, 企业微信): a rolled back run
sends nothing. One email (one WeCom message) per recipient carries all of that recipient's new
reminders. A failed send is written on its rows (``email_error``, ``wecom_error``) and logged,
and not retried: the reminder is still in the recipient's in-app list, and tomorrow's run
decides afresh.
"""

import uuid
from functools import partial

from django.db import transaction

from lms.models import Reminder
from lms.services.reminders import channels

BATCH_SIZE = 500


def deliver(rows):
    """Insert ``rows`` (unsaved ``Reminder`` objects) unless they exist already, and send the
    ones inserted through the notification channels once the transaction commits. Returns
    ``[(pk, kind, recipient_id, email)]`` of the rows this call inserted."""
    if not rows:
        return []
    run = uuid.uuid4()
    for row in rows:
        row.run = run
    with transaction.atomic():
        Reminder.objects.bulk_create(rows, batch_size=BATCH_SIZE, ignore_conflicts=True)
        inserted = list(
            Reminder.objects.filter(run=run).values_list("pk", "kind", "recipient_id", "email")
        )
        if inserted:
            transaction.on_commit(partial(channels.send, [row[0] for row in inserted]))
    return inserted


def send_emails(reminder_ids):
    """Email the reminders ``reminder_ids`` (the email channel alone). Returns the number of
    emails sent."""
    return channels.EmailChannel().send(reminder_ids)
