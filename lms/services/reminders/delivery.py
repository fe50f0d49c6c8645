"""Storing and emailing reminders, each exactly once.

``deliver(rows)`` inserts unsaved ``Reminder`` rows with ``bulk_create(ignore_conflicts=True)``
(``ON CONFLICT DO NOTHING`` on PostgreSQL, ``INSERT OR IGNORE`` on SQLite): a row that already
exists for the same assignment, kind and day (or recipient, kind and day) is silently skipped by
the database, whoever inserted it first — a second run that day, or another worker running at
the same moment (PostgreSQL makes the second insert wait for the first transaction, then skips).
Every row of one call carries the same fresh ``run`` token, so re-reading the rows with that
token gives exactly the rows *this* call inserted. Why not one insert per row in a savepoint:
that costs two queries per reminder; this costs two queries per 500.

Only those rows are emailed, after the transaction commits (``transaction.on_commit``): a rolled
back run sends nothing. One email per recipient carries all of that recipient's new reminders.
A failed email is written on its rows (``email_error``) and logged, and not retried: the
reminder is still in the recipient's in-app list, and tomorrow's run decides afresh.
"""

import logging
import smtplib
import uuid
from functools import partial
from itertools import groupby

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone, translation

from lms.models import Reminder
from lms.services.reminders import messages

logger = logging.getLogger(__name__)

BATCH_SIZE = 500


def deliver(rows):
    """Insert ``rows`` (unsaved ``Reminder`` objects) unless they exist already, and email the
    ones inserted once the transaction commits. Returns ``[(pk, kind, recipient_id, email)]``
    of the rows this call inserted."""
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
        to_email = [pk for pk, _kind, _recipient, email in inserted if email]
        if to_email:
            transaction.on_commit(partial(send_emails, to_email))
    return inserted


def _email_for(group):
    first = group[0]
    with translation.override(first.language):
        subject = messages.email_subject([row.subject for row in group])
    body = "\n\n— — —\n\n".join(row.body for row in group)
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[first.email],
    )


def send_emails(reminder_ids):
    """Email the reminders ``reminder_ids``: one message per recipient and address. Marks the
    rows ``emailed_at``, or records the error on them. Returns the number of emails sent."""
    rows = list(
        Reminder.objects.filter(pk__in=reminder_ids, emailed_at__isnull=True)
        .exclude(email="")
        .only("pk", "recipient_id", "email", "subject", "body", "language")
        .order_by("recipient_id", "email", "pk")
    )
    sent, failed = [], {}
    connection = get_connection()
    for _key, group in groupby(rows, key=lambda row: (row.recipient_id, row.email)):
        group = list(group)
        try:
            connection.send_messages([_email_for(group)])
        except (smtplib.SMTPException, OSError, UnicodeError) as error:
            message = f"{type(error).__name__}: {error}"[:300]
            logger.warning("Reminder email to user %s failed: %s", group[0].recipient_id, message)
            failed.setdefault(message, []).extend(row.pk for row in group)
        else:
            sent.append(group)
    connection.close()
    if sent:
        Reminder.objects.filter(pk__in=[row.pk for group in sent for row in group]).update(
            emailed_at=timezone.now(), email_error=""
        )
    for message, ids in failed.items():
        Reminder.objects.filter(pk__in=ids).update(email_error=message)
    return len(sent)
