"""Where stored reminders are sent besides the in-app list: the notification channels.

A channel is a :class:`Channel` with a ``send(reminder_ids)`` that sends what it can of those
rows, writes on each row what happened (sent at, or the error) and returns how many messages it
sent. ``LMS_NOTIFICATION_CHANNELS`` lists them: ``"email"``, ``"wecom"`` (企业微信 app messages,
once WeCom is configured) or the dotted path of a ``Channel`` subclass. ``send`` runs them in
turn after the reminders are committed; a channel that fails is logged and never stops the others
or the run: the reminder is still in the recipient's in-app list, and tomorrow's run decides
afresh. Nothing is retried.
"""

import logging
import smtplib
from itertools import groupby

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import pgettext

from lms.conf import app_settings
from lms.models import Reminder, StaffProfile, WeComIdentity
from lms.services.identity import wecom
from lms.services.reminders import messages

logger = logging.getLogger(__name__)


class Channel:
    """A way of sending reminders. ``enabled()`` says whether the site is set up for it."""

    name = ""

    def enabled(self):
        return True

    def send(self, reminder_ids):
        raise NotImplementedError


def _error_text(error):
    return f"{type(error).__name__}: {error}"[:300]


class EmailChannel(Channel):
    """One email per recipient and address carrying all of their new reminders; rows are marked
    ``emailed_at`` or get ``email_error``. Rows without an address are skipped."""

    name = "email"

    def message(self, group):
        first = group[0]
        with translation.override(first.language):
            subject = messages.email_subject([row.subject for row in group])
        body = "\n\n— — —\n\n".join(row.body for row in group)
        return EmailMessage(
            subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[first.email]
        )

    def send(self, reminder_ids):
        rows = list(
            Reminder.objects.filter(pk__in=reminder_ids, emailed_at__isnull=True)
            .exclude(email="")
            .only("pk", "recipient_id", "email", "subject", "body", "language")
            .order_by("recipient_id", "email", "pk")
        )
        if not rows:
            return 0
        sent, failed = [], {}
        connection = get_connection()
        for _key, group in groupby(rows, key=lambda row: (row.recipient_id, row.email)):
            group = list(group)
            try:
                connection.send_messages([self.message(group)])
            except (smtplib.SMTPException, OSError, UnicodeError) as error:
                text = _error_text(error)
                logger.warning("Reminder email to user %s failed: %s", group[0].recipient_id, text)
                failed.setdefault(text, []).extend(row.pk for row in group)
            else:
                sent.append(group)
        connection.close()
        if sent:
            Reminder.objects.filter(pk__in=[row.pk for group in sent for row in group]).update(
                emailed_at=timezone.now(), email_error=""
            )
        for text, ids in failed.items():
            Reminder.objects.filter(pk__in=ids).update(email_error=text)
        return len(sent)


def wecom_userids(user_ids):
    """``{user_id: WeCom userid}``: the userid someone last signed in with, else (when the
    userid is the employee number, the default) their employee number. Others are left out."""
    found = {}
    if not app_settings.LMS_WECOM_EMPLOYEE_NUMBER_FIELD:
        found.update(
            StaffProfile.objects.filter(user_id__in=user_ids, is_active=True).values_list(
                "user_id", "employee_no"
            )
        )
    found.update(
        WeComIdentity.objects.filter(user_id__in=user_ids).values_list("user_id", "userid")
    )
    return found


class WeComChannel(Channel):
    """One 企业微信 text card per recipient with their new reminders, linking to the reminder
    (or, for several, to their notifications). Rows are marked ``wecom_sent_at`` or get
    ``wecom_error``; recipients without a WeCom userid are skipped."""

    name = "wecom"

    def enabled(self):
        return wecom.is_configured()

    def card(self, group):
        first = group[0]
        with translation.override(first.language):
            title = messages.email_subject([row.subject for row in group])
            if len(group) == 1:
                description, path = first.body, first.path or messages.learn_path()
            else:
                description = "\n".join(row.subject for row in group)
                path = reverse("lms:notifications")
            button = pgettext("notification: go to its link", "Open")
        return title, description, messages.absolute(path), button

    def send(self, reminder_ids):
        rows = list(
            Reminder.objects.filter(pk__in=reminder_ids, wecom_sent_at__isnull=True)
            .only("pk", "recipient_id", "subject", "body", "link", "language")
            .order_by("recipient_id", "pk")
        )
        userids = wecom_userids({row.recipient_id for row in rows})
        sent, failed, messages_sent = [], {}, 0
        for recipient_id, group in groupby(rows, key=lambda row: row.recipient_id):
            group = list(group)
            userid = userids.get(recipient_id)
            if not userid:
                continue
            try:
                wecom.send_textcard(userid, *self.card(group))
            except wecom.WeComError as error:
                text = str(error)[:300]
                logger.warning("Reminder WeCom message to user %s failed: %s", recipient_id, text)
                failed.setdefault(text, []).extend(row.pk for row in group)
            else:
                sent.extend(row.pk for row in group)
                messages_sent += 1
        if sent:
            Reminder.objects.filter(pk__in=sent).update(
                wecom_sent_at=timezone.now(), wecom_error=""
            )
        for text, ids in failed.items():
            Reminder.objects.filter(pk__in=ids).update(wecom_error=text)
        return messages_sent


BUILT_IN = {"email": EmailChannel, "wecom": WeComChannel}


def configured_channels():
    """The channels ``LMS_NOTIFICATION_CHANNELS`` names, in order."""
    channels = []
    for name in app_settings.LMS_NOTIFICATION_CHANNELS:
        channel_class = BUILT_IN.get(name) or import_string(name)
        channels.append(channel_class())
    return channels


def send(reminder_ids):
    """Send the reminders ``reminder_ids`` through every enabled channel. Returns ``{channel
    name: messages sent}``; a channel that raises is logged and counted as 0."""
    done = {}
    for channel in configured_channels():
        if not channel.enabled():
            continue
        try:
            done[channel.name] = channel.send(reminder_ids)
        except Exception:  # noqa: BLE001 (a broken channel must not stop the others)
            logger.exception("Reminder channel %s failed", channel.name or type(channel).__name__)
            done[channel.name] = 0
    return done
