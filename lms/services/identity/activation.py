"""First-login activation (首次登录激活): a roster import makes accounts without a password; on
a small site an officer issues one-time codes to the staff of a unit, prints them (one slip per
person) and the person sets their own password with their employee number and the code.

- A code is 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L), typed on a
  phone; only a keyed hash (HMAC with ``SECRET_KEY``) is stored, so the table does not reveal it.
- It expires after ``LMS_ACTIVATION_CODE_DAYS`` and works once; issuing a new one to the same
  person replaces the open one (kept, marked ``replaced_at``).
- ``LMS_ACTIVATION_MAX_ATTEMPTS`` wrong codes for an employee number lock it for
  ``LMS_ACTIVATION_LOCK_MINUTES``: the counter is on the person's open code, in the database, so
  every worker process sees it. An employee number with no open code has nothing to guess.
- Who may issue: users with ``lms_core.issue_activationcode`` (the Officers group), for units in
  their scope (``lms.services.scope``), to active staff whose account has no usable password.
- A leaver cannot activate (:func:`user_for_employee_number`), whatever code they hold; nor can
  an account that has a password by now (a slip left lying about is no way into it).
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lms.conf import app_settings
from lms.models import ActivationCode, StaffProfile
from lms.services.identity.matching import (
    SignInRefused,
    normalise_employee_number,
    user_for_employee_number,
)
from lms.services.scope import visible_units

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
ISSUE_PERMISSION = "lms_core.issue_activationcode"
_HMAC_SALT = "lms.services.identity.activation"


class ActivationRefused(Exception):
    """The employee number and code do not activate an account; ``message`` says what to do."""

    def __init__(self, message, *, reason):
        super().__init__(message)
        self.message = message
        #: ``wrong``, ``locked``, ``expired``, ``used``, ``leaver`` or ``has_password``.
        self.reason = reason


@dataclass
class IssuedCode:
    """One issued code, in clear: only for the slip printed right after issuing."""

    staff: StaffProfile
    code: str
    expires_at: object

    @property
    def display(self):
        """The code as printed: two groups of four (``ABCD-EF23``)."""
        return f"{self.code[:4]}-{self.code[4:]}"


def new_code():
    return "".join(secrets.choice(ALPHABET) for _i in range(CODE_LENGTH))


def normalise_code(value):
    """What the person typed, as stored: capitals, without spaces or hyphens."""
    return "".join(str(value or "").split()).replace("-", "").upper()


def code_hash(staff_id, code):
    return salted_hmac(
        _HMAC_SALT, f"{staff_id}:{normalise_code(code)}", algorithm="sha256"
    ).hexdigest()


def may_issue(user):
    return bool(user.is_authenticated and user.is_active and user.has_perm(ISSUE_PERMISSION))


def issuable_units(user):
    """The units ``user`` may issue codes for (none without the permission)."""
    if not may_issue(user):
        return visible_units(user).none()
    return visible_units(user)


def awaiting_activation(unit):
    """Active staff in ``unit`` and below whose account has no usable password (a roster
    import's accounts), by employee number."""
    return (
        StaffProfile.objects.filter(unit.subtree_q(), is_active=True, user__is_active=True)
        .filter(user__password__startswith=UNUSABLE_PASSWORD_PREFIX)
        .select_related("user", "org_unit")
        .order_by("employee_no")
    )


def open_codes(staff_ids):
    """``{staff_id: open ActivationCode}`` of the given staff."""
    rows = ActivationCode.objects.filter(
        staff_id__in=list(staff_ids), used_at__isnull=True, replaced_at__isnull=True
    )
    return {row.staff_id: row for row in rows}


#: How many issued codes the officer's page lists.
HISTORY_SHOWN = 50


def history(unit, limit=HISTORY_SHOWN):
    """The codes last issued to staff of ``unit`` and below (newest first), with who issued
    them and when they were used or replaced: the record of who activated how."""
    return (
        ActivationCode.objects.filter(unit.subtree_q("staff__org_unit__"))
        .select_related("staff", "issued_by")
        .order_by("-issued_at", "-pk")[:limit]
    )


def issue_codes(unit, *, issued_by, staff_ids=None):
    """Issue a new code to each member of staff of ``unit`` (and below) awaiting activation, or
    only to those of them in ``staff_ids``, replacing their open codes. Returns the
    :class:`IssuedCode` list (the only time the codes exist in clear), by employee number.

    Raises ``PermissionDenied`` unless ``issued_by`` may issue codes for ``unit``."""
    if not issuable_units(issued_by).filter(pk=unit.pk).exists():
        raise PermissionDenied(_("You may not issue activation codes for this unit."))
    now = timezone.now()
    expires_at = now + timedelta(days=app_settings.LMS_ACTIVATION_CODE_DAYS)
    with transaction.atomic():
        people = awaiting_activation(unit)
        if staff_ids is not None:
            people = people.filter(pk__in=list(staff_ids))
        people = list(people.select_for_update(of=("self",)))
        ActivationCode.objects.filter(
            staff__in=people, used_at__isnull=True, replaced_at__isnull=True
        ).update(replaced_at=now)
        issued = [
            IssuedCode(staff=person, code=new_code(), expires_at=expires_at) for person in people
        ]
        ActivationCode.objects.bulk_create(
            [
                ActivationCode(
                    staff=item.staff,
                    code_hash=code_hash(item.staff.pk, item.code),
                    issued_at=now,
                    issued_by=issued_by,
                    expires_at=expires_at,
                )
                for item in issued
            ]
        )
    return issued


def _wrong():
    return ActivationRefused(
        _(
            "The employee number or activation code is not correct. Check both; after several "
            "wrong codes activation is locked for a while."
        ),
        reason="wrong",
    )


def _locked(until, now):
    minutes = max(1, -(-int((until - now).total_seconds()) // 60))
    return ActivationRefused(
        ngettext(
            "Too many wrong activation codes for this employee number. Try again in %(minutes)d "
            "minute, or ask your training officer for a new code.",
            "Too many wrong activation codes for this employee number. Try again in %(minutes)d "
            "minutes, or ask your training officer for a new code.",
            minutes,
        )
        % {"minutes": minutes},
        reason="locked",
    )


def _refuse_without_open_code(number, code):
    """No open code for ``number``: say so plainly if ``code`` is their last one, used."""
    last = ActivationCode.objects.filter(staff__employee_no=number).first()
    if (
        last is not None
        and last.used_at
        and constant_time_compare(last.code_hash, code_hash(last.staff_id, code))
    ):
        return ActivationRefused(
            _("This activation code has been used already. Log in with your password."),
            reason="used",
        )
    return _wrong()


def check_code(employee_no, code, *, now=None):
    """The open :class:`ActivationCode` matching ``employee_no`` and ``code``, locked for update
    (call inside a transaction). A wrong code counts towards the lock (the caller must let that
    write commit: :func:`activate` does). Raises :class:`ActivationRefused`."""
    now = now or timezone.now()
    number = normalise_employee_number(employee_no)
    code = normalise_code(code)
    row = (
        ActivationCode.objects.select_for_update(of=("self",))
        .select_related("staff__user")
        .filter(staff__employee_no=number, used_at__isnull=True, replaced_at__isnull=True)
        .first()
    )
    if not number:
        raise _wrong()
    if row is None:
        raise _refuse_without_open_code(number, code)
    if row.locked_until and row.locked_until > now:
        raise _locked(row.locked_until, now)
    if not constant_time_compare(row.code_hash, code_hash(row.staff_id, code)):
        _count_failure(row, now)
        row.refresh_from_db(fields=["locked_until"])
        if row.locked_until and row.locked_until > now:
            raise _locked(row.locked_until, now)
        raise _wrong()
    if row.expires_at <= now:
        raise ActivationRefused(
            _("This activation code has expired. Ask your training officer for a new one."),
            reason="expired",
        )
    return row


def _count_failure(row, now):
    limit = app_settings.LMS_ACTIVATION_MAX_ATTEMPTS
    if row.locked_until and row.locked_until <= now:  # an earlier lock ran out: count afresh
        ActivationCode.objects.filter(pk=row.pk).update(failed_attempts=0, locked_until=None)
    ActivationCode.objects.filter(pk=row.pk).update(failed_attempts=F("failed_attempts") + 1)
    ActivationCode.objects.filter(pk=row.pk, failed_attempts__gte=limit).update(
        locked_until=now + timedelta(minutes=app_settings.LMS_ACTIVATION_LOCK_MINUTES)
    )


def activate(employee_no, code, password):
    """Set ``password`` on the account of ``employee_no`` if ``code`` is their open, unexpired
    code, and mark the code used. Returns the user (to sign in).

    Raises :class:`ActivationRefused` (wrong, locked, expired, used code; leaver; the account
    has a password already) or Django's ``ValidationError`` when the password does not pass the
    site's password validators (the code stays unused). Wrong codes are counted even though the
    caller's request fails."""
    with transaction.atomic():
        try:
            row = check_code(employee_no, code)
        except ActivationRefused as refusal:
            if refusal.reason not in ("wrong", "locked"):
                raise
            wrong = refusal
        else:
            wrong = None
            user = _active_user(row)
            if user.has_usable_password():  # set since the code was issued: the slip is spent
                raise ActivationRefused(
                    _(
                        "This account already has a password. Log in with it, or ask your "
                        "training officer to reset it."
                    ),
                    reason="has_password",
                )
            validate_password(password, user)
            user.set_password(password)
            user.save(update_fields=["password"])
            row.used_at = timezone.now()
            row.save(update_fields=["used_at"])
    if wrong is not None:  # after the commit that counted it
        raise wrong
    return user


def _active_user(row):
    try:
        user = user_for_employee_number(row.staff.employee_no)
    except SignInRefused as error:  # a leaver keeps no way in
        raise ActivationRefused(error.message, reason="leaver") from error
    return user
