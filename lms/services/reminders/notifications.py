"""My in-app notifications: the reminders sent to me (``Reminder`` rows with ``in_app``),
newest first. Every queryset starts from the user: nobody reads another person's."""

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
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


def _unread(recipient):
    return Reminder.objects.filter(recipient=recipient, in_app=True, read_at__isnull=True)


def unread_count(user):
    """How many of ``user``'s notifications are unread (one query)."""
    if not user.is_authenticated:
        return 0
    return _unread(user).count()


def unread_count_of():
    """``unread_count`` of the outer query's user (``OuterRef("pk")``), as a subquery to
    annotate a query of users with."""
    counted = _unread(OuterRef("pk")).order_by().values("recipient").annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n")), 0)


def my_notifications(user, limit=NOTIFICATIONS_SHOWN):
    """``user``'s newest ``limit`` notifications and the unread count (two queries)."""
    items = list(_mine(user).order_by("-sent_at", "-pk")[:limit])
    return Inbox(items=items, unread=unread_count(user))


def mark_all_read(user):
    """Mark all of ``user``'s notifications read; returns how many were unread."""
    return _mine(user).filter(read_at__isnull=True).update(read_at=timezone.now())
