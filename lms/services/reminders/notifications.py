"""My in-app notifications: the reminders sent to me (``Reminder`` rows with ``in_app``),
newest first. Every queryset starts from the user: nobody reads another person's."""

from dataclasses import dataclass

from django.utils import timezone

from lms.models import Reminder

#: How many notifications the list shows.
NOTIFICATIONS_SHOWN = 50


@dataclass
class Inbox:
    items: list
    unread: int


def _mine(user):
    if not user.is_authenticated:
        return Reminder.objects.none()
    return Reminder.objects.filter(recipient=user, in_app=True)


def unread_count(user):
    """How many of ``user``'s notifications are unread (one query)."""
    return _mine(user).filter(read_at__isnull=True).count()


def my_notifications(user, limit=NOTIFICATIONS_SHOWN):
    """``user``'s newest ``limit`` notifications and the unread count (two queries)."""
    items = list(_mine(user).order_by("-sent_at", "-pk")[:limit])
    return Inbox(items=items, unread=unread_count(user))


def mark_all_read(user):
    """Mark all of ``user``'s notifications read; returns how many were unread."""
    return _mine(user).filter(read_at__isnull=True).update(read_at=timezone.now())
