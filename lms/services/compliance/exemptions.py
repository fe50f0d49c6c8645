"""Exemptions and extensions (豁免 / 延期) of one person's plan item: requesting (managers, for
the people of their units), granting directly, approving or rejecting (officers, permission
``lms_core.decide_exemption``) and lifting, with their effect on the assignment.

- An approved exemption makes an open or expired assignment ``exempt``: not required, never
  overdue, in every dashboard, report and export. A completed assignment stays completed (the
  completion is the stronger evidence); the exemption is kept all the same, as evidence.
- An approved extension moves the assignment's due date to the later one; the item's due date
  is untouched, and the row keeps the due date the assignment had (``previous_due_date``).
- Lifting is a new approved row that ``revokes`` the one lifted: an exemption lifted makes the
  assignment to do again (open, or expired when its last completion has lapsed); an extension
  lifted restores the due date it replaced.

Rows are never changed or deleted (``lms.models.Exemption``), except a request's decision, a
conditional UPDATE from ``requested``: of two officers approving at once, one decides. Every
step runs in one transaction with the assignment locked; a problem is an ``ExemptionError``
(a ``ValidationError`` with a translated message).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.models import Assignment, Exemption
from lms.services.exports import person_label
from lms.services.scope import sees_everything, visible_assignments, visible_exemptions

REQUEST_PERMISSION = "lms_core.add_exemption"
DECIDE_PERMISSION = "lms_core.decide_exemption"


class ExemptionError(ValidationError):
    """Why an exemption or extension cannot be requested, decided or lifted (translated)."""


class NotInScope(ExemptionError):
    """The assignment is credited to a unit outside the user's scope."""


class AlreadyDecided(ExemptionError):
    """Someone else approved or rejected the request first."""


def can_request(user):
    return user.has_perm(REQUEST_PERMISSION)


def can_decide(user):
    return user.has_perm(DECIDE_PERMISSION)


def _require(user, permission):
    if not user.has_perm(permission):
        raise PermissionDenied(_("You may not do this."))


def _assignment(user, staff, plan_item):
    """The assignment of ``plan_item`` to ``staff``, locked, if ``user`` may see it."""
    found = (
        Assignment.objects.select_for_update()
        .select_related("plan_item", "staff")
        .filter(staff=staff, plan_item=plan_item)
        .first()
    )
    if found is None:
        raise ExemptionError(
            _("%(person)s has no assignment of “%(item)s”.") % {"person": staff, "item": plan_item}
        )
    if not sees_everything(user) and not visible_assignments(user).filter(pk=found.pk).exists():
        raise NotInScope(_("%(person)s is not in your units.") % {"person": staff})
    return found


def check(kind, assignment, due_date, reason):
    """What is wrong with ``kind`` (exempt or extension) for ``assignment`` now, or nothing."""
    if not (reason or "").strip():
        raise ExemptionError(_("Give a reason."))
    if assignment.status == Assignment.WITHDRAWN:
        raise ExemptionError(_("This assignment was withdrawn: there is nothing to exempt."))
    if assignment.status == Assignment.EXEMPT:
        raise ExemptionError(_("%(person)s is already exempt.") % {"person": assignment.staff})
    if kind == Exemption.EXTENSION:
        if assignment.status == Assignment.COMPLETED:
            raise ExemptionError(_("This assignment is completed: there is nothing to extend."))
        if due_date is None:
            raise ExemptionError(_("Give the new due date."))
        if due_date <= assignment.due_date:
            raise ExemptionError(
                _("The new due date must be after the current one (%(date)s).")
                % {"date": assignment.due_date.isoformat()}
            )
    elif kind != Exemption.EXEMPT:
        raise ExemptionError(_("Choose an exemption or an extension."))


def _restored_status(assignment, today):
    if assignment.valid_until is not None and assignment.valid_until < today:
        return Assignment.EXPIRED
    return Assignment.OPEN


def _apply(row, assignment, today):
    """Carry out the approved ``row`` on ``assignment`` (locked)."""
    assignments = Assignment.objects.filter(pk=assignment.pk)
    if row.kind == Exemption.EXEMPT:
        if assignment.status in Assignment.TO_DO:
            assignments.update(status=Assignment.EXEMPT)
    elif row.kind == Exemption.EXTENSION:
        assignments.update(due_date=row.due_date)
    elif row.revokes.kind == Exemption.EXEMPT:
        if assignment.status == Assignment.EXEMPT:
            assignments.update(status=_restored_status(assignment, today))
    else:
        assignments.update(due_date=row.revokes.previous_due_date)


def _new_row(user, assignment, kind, reason, due_date, now, **fields):
    return Exemption.objects.create(
        staff_id=assignment.staff_id,
        plan_item_id=assignment.plan_item_id,
        org_unit_id=assignment.org_unit_id,
        kind=kind,
        due_date=due_date if kind == Exemption.EXTENSION else None,
        previous_due_date=assignment.due_date,
        reason=reason.strip(),
        requested_by=user,
        requested_at=now,
        **fields,
    )


def request(user, staff, plan_item, kind, reason, due_date=None, now=None):
    """A manager asks for an exemption or an extension of ``plan_item`` for ``staff`` (someone
    whose assignment is in their units); an officer decides. Returns the new request."""
    _require(user, REQUEST_PERMISSION)
    now = now or timezone.now()
    with transaction.atomic():
        assignment = _assignment(user, staff, plan_item)
        check(kind, assignment, due_date, reason)
        pending = Exemption.objects.filter(
            staff=staff, plan_item=plan_item, kind=kind, status=Exemption.REQUESTED
        )
        if pending.exists():
            raise ExemptionError(_("The same request is already waiting for a decision."))
        return _new_row(user, assignment, kind, reason, due_date, now, status=Exemption.REQUESTED)


def grant(user, staff, plan_item, kind, reason, due_date=None, note="", now=None):
    """An officer grants an exemption or an extension directly (approved at once, applied).
    Returns the new row."""
    _require(user, DECIDE_PERMISSION)
    now = now or timezone.now()
    with transaction.atomic():
        assignment = _assignment(user, staff, plan_item)
        check(kind, assignment, due_date, reason)
        row = _new_row(
            user,
            assignment,
            kind,
            reason,
            due_date,
            now,
            status=Exemption.APPROVED,
            decided_by=user,
            decided_at=now,
            decision_note=note,
        )
        _apply(row, assignment, timezone.localdate(now))
        return row


def _decide(user, exemption, status, note, now):
    _require(user, DECIDE_PERMISSION)
    if not visible_exemptions(user).filter(pk=exemption.pk).exists():
        raise NotInScope(_("This request is not in your units."))
    now = now or timezone.now()
    with transaction.atomic():
        assignment = _assignment(user, exemption.staff, exemption.plan_item)
        if not Exemption.objects.filter(pk=exemption.pk, status=Exemption.REQUESTED).exists():
            raise AlreadyDecided(_("This request has already been decided."))
        if status == Exemption.APPROVED:
            check(exemption.kind, assignment, exemption.due_date, exemption.reason)
        decided = Exemption.objects.decide(
            exemption.pk, status=status, decided_by=user, decided_at=now, note=(note or "").strip()
        )
        if not decided:
            raise AlreadyDecided(_("This request has already been decided."))
        row = Exemption.objects.select_related("revokes").get(pk=exemption.pk)
        if status == Exemption.APPROVED:
            _apply(row, assignment, timezone.localdate(now))
        return row


def approve(user, exemption, note="", now=None):
    """An officer approves a request: it is applied. ``AlreadyDecided`` when someone decided it
    first; an ``ExemptionError`` when it no longer applies (reject it instead)."""
    return _decide(user, exemption, Exemption.APPROVED, note, now)


def reject(user, exemption, note="", now=None):
    """An officer rejects a request: kept, with the note; the assignment is unchanged."""
    return _decide(user, exemption, Exemption.REJECTED, note, now)


def lifted(exemption):
    """Whether an approved lift revokes ``exemption``."""
    return Exemption.objects.filter(
        revokes=exemption, kind=Exemption.LIFT, status=Exemption.APPROVED
    ).exists()


def lift(user, exemption, reason, now=None):
    """An officer lifts an approved exemption or extension: a new row that revokes it, and the
    assignment as it was (see the module docstring). Returns the new row."""
    _require(user, DECIDE_PERMISSION)
    if not visible_exemptions(user).filter(pk=exemption.pk).exists():
        raise NotInScope(_("This exemption is not in your units."))
    if not (reason or "").strip():
        raise ExemptionError(_("Give a reason."))
    exemption = Exemption.objects.select_related("staff", "plan_item").get(pk=exemption.pk)
    if exemption.status != Exemption.APPROVED or exemption.kind == Exemption.LIFT:
        raise ExemptionError(_("Only an approved exemption or extension can be lifted."))
    now = now or timezone.now()
    with transaction.atomic():
        assignment = _assignment(user, exemption.staff, exemption.plan_item)
        if lifted(exemption):
            raise ExemptionError(_("This has already been lifted."))
        if exemption.kind == Exemption.EXTENSION and assignment.due_date != exemption.due_date:
            raise ExemptionError(
                _("A later extension is in force: lift that one first.")
                if assignment.due_date > exemption.due_date
                else _("The due date has changed since this extension.")
            )
        row = _new_row(
            user,
            assignment,
            Exemption.LIFT,
            reason,
            None,
            now,
            revokes=exemption,
            status=Exemption.APPROVED,
            decided_by=user,
            decided_at=now,
        )
        _apply(row, assignment, timezone.localdate(now))
        return row


# --- Reading them back -----------------------------------------------------------------------

LATEST_FIELDS = (
    "staff_id",
    "plan_item_id",
    "kind",
    "reason",
    "due_date",
    "previous_due_date",
    "decided_at",
    "decided_by__username",
    "decided_by__first_name",
    "decided_by__last_name",
)


def latest_decisions(queryset):
    """``{(staff_id, plan_item_id): values}``: the latest approved row (exemption, extension or
    lift) of each person × item among ``queryset`` (exemptions). One query."""
    rows = (
        queryset.filter(status=Exemption.APPROVED)
        .order_by("decided_at", "pk")
        .values(*LATEST_FIELDS)
    )
    return {(row["staff_id"], row["plan_item_id"]): row for row in rows}


def decider_name(row):
    """Who decided a row of ``latest_decisions``: their full name, else their login."""
    return person_label(
        row["decided_by__first_name"], row["decided_by__last_name"], row["decided_by__username"]
    )
