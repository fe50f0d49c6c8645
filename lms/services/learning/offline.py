"""Offline sessions (线下培训): the QR check-in token, checking in, and what a learner is invited
to.

The QR code shown at the session holds a URL with a signed token naming the session and the
moment it was made. It lives ``TOKEN_SECONDS`` (the page shows a fresh one every
``TOKEN_REFRESH_SECONDS``), so a photo of the code sent to someone who is not in the room stops
working within two minutes. Checking in is allowed from ``EARLY_MINUTES`` before the start to
``LATE_MINUTES`` after the end, for staff of the session's unit (with the units below it); the same
person checking in again (a second scan, a replayed link) gets their first check-in back, never a
second record.
"""

import datetime

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.models import Assignment, CheckIn, CompletionRecord, OfflineSession, StaffProfile
from lms.services.records.certificates import issue_certificate
from lms.services.records.chain import record_completion

TOKEN_SALT = "lms.offline.check-in"  # noqa: S105 - a signing salt, not a password
TOKEN_SECONDS = 120
TOKEN_REFRESH_SECONDS = 30
CLOCK_SKEW_SECONDS = 5  # web servers' clocks may differ this much
EARLY_MINUTES = 30
LATE_MINUTES = 30


class CheckInError(Exception):
    """Why a check-in is refused (the message is translated and shown to the learner)."""


def make_token(session, now=None):
    """A token for ``session``, made at ``now`` (default: now), valid ``TOKEN_SECONDS``."""
    now = now or timezone.now()
    return signing.Signer(salt=TOKEN_SALT).sign_object({"s": session.pk, "t": int(now.timestamp())})


def read_token(token, now=None):
    """The session a token names, if the token is genuine and not older than
    ``TOKEN_SECONDS`` at ``now``. Raises CheckInError."""
    now = now or timezone.now()
    try:
        value = signing.Signer(salt=TOKEN_SALT).unsign_object(token or "")
        session_id, made = int(value["s"]), int(value["t"])
    except (signing.BadSignature, ValueError, TypeError, KeyError):
        raise CheckInError(_("This is not a valid check-in code.")) from None
    age = int(now.timestamp()) - made
    if age > TOKEN_SECONDS or age < -CLOCK_SKEW_SECONDS:
        raise CheckInError(_("This QR code has expired. Scan the code on the screen again."))
    session = (
        OfflineSession.objects.select_related("plan_item", "org_unit").filter(pk=session_id).first()
    )
    if session is None:
        raise CheckInError(_("This is not a valid check-in code."))
    return session


def check_in_window(session):
    return (
        session.starts_at - datetime.timedelta(minutes=EARLY_MINUTES),
        session.ends_at + datetime.timedelta(minutes=LATE_MINUTES),
    )


def _attendee(session, user=None, staff=None):
    staff = staff or StaffProfile.objects.select_related("org_unit").filter(user=user).first()
    if staff is None or not staff.is_active:
        raise CheckInError(_("Only staff on the roster can check in."))
    if not staff.org_unit.path.startswith(session.org_unit.path):
        raise CheckInError(
            _("This session is for the staff of %(unit)s.") % {"unit": session.org_unit.name}
        )
    return staff


def _write_check_in(session, staff, at, method, recorded_by=None):
    """The check-in and its record, completing the person's open assignment of the item. Returns
    ``(check_in, created)``; an existing check-in is returned unchanged."""
    with transaction.atomic():
        # One check-in at a time per session: a room of people scanning at once queues here
        # for a few milliseconds each, and a double tap cannot write two records.
        OfflineSession.objects.select_for_update().filter(pk=session.pk).first()
        existing = CheckIn.objects.filter(session=session, staff=staff).first()
        if existing is not None:
            return existing, False
        record = record_completion(
            staff.user,
            staff=staff,
            kind=CompletionRecord.OFFLINE,
            title=session.plan_item.title,
            session=session,
            completed_at=at,
            method=CompletionRecord.CHECK_IN,
            credit_hours=session.hours,
            evidence={
                "session": session.pk,
                "check_in": method,
                "place": session.place,
                "trainer": session.trainer,
                "starts_at": session.starts_at.isoformat(),
            },
            credited_unit=staff.org_unit,
            recorded_by=recorded_by,
            assignments=Q(staff=staff, plan_item_id=session.plan_item_id),
        )
        check_in = CheckIn.objects.create(
            session=session,
            staff=staff,
            checked_in_at=at,
            method=method,
            recorded_by=recorded_by,
            record=record,
        )
        issue_certificate(record)
    return check_in, True


def check_in(user, session, now=None):
    """Check ``user`` in to ``session`` (already read from a valid token). Returns
    ``(check_in, created)``. Raises CheckInError when the session is cancelled, not open for
    check-in now, or not for this person."""
    now = now or timezone.now()
    if session.cancelled:
        raise CheckInError(_("This session was cancelled."))
    opens, closes = check_in_window(session)
    if now < opens:
        raise CheckInError(
            _("Check-in opens at %(time)s.")
            % {"time": timezone.localtime(opens).strftime("%Y-%m-%d %H:%M")}
        )
    if now > closes:
        raise CheckInError(_("Check-in for this session has closed."))
    staff = _attendee(session, user=user)
    try:
        return _write_check_in(session, staff, now, CheckIn.QR)
    except IntegrityError:  # the same person on two phones at the same instant
        return CheckIn.objects.get(session=session, staff=staff), False


def upcoming_sessions(user, now=None, staff=None):
    """Sessions ``user`` is invited to and has not attended: of their open offline assignments,
    for their unit (or one above it), not cancelled, not yet over; soonest first. ``staff``:
    ``user``'s staff profile with its unit, when the caller has read it already."""
    now = now or timezone.now()
    if staff is None or staff.user_id != user.pk:
        staff = StaffProfile.objects.select_related("org_unit").filter(user=user).first()
    if staff is None:
        return []
    item_ids = Assignment.objects.filter(
        staff=staff, status__in=Assignment.TO_DO, plan_item__kind="offline"
    ).values("plan_item_id")
    sessions = (
        OfflineSession.objects.filter(plan_item_id__in=item_ids, cancelled=False, ends_at__gte=now)
        .exclude(check_ins__staff=staff)
        .select_related("org_unit", "plan_item")
        .order_by("starts_at")
    )
    return [s for s in sessions if staff.org_unit.path.startswith(s.org_unit.path)]
