"""Attestations: "I have read and understood …" a page, recorded with the exact revision read and
signed with the learner's password, asked again (an e-signature: on a counter phone shared by a
team, it proves who confirmed). Publishing a new revision of the page re-opens the attestation
for everyone who confirmed an older one (their old records stay: they prove what was confirmed
then)."""

import datetime

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.models import Assignment, CompletionRecord, PlanItem, StaffProfile, TrainingPlan
from lms.services.plans import _chunks
from lms.services.records.chain import complete_assignments, record_completion

#: A re-opened attestation is due no sooner than this many days after the new revision.
REATTEST_DAYS = 14
#: How a confirmation was signed, as its record's evidence says.
PASSWORD_SIGNATURE = "password"  # noqa: S105 - a label in the evidence, not a secret
#: Wrong passwords allowed per learner before signing is refused for ``SIGNING_LOCK_SECONDS``.
SIGNING_ATTEMPTS = 5
SIGNING_LOCK_SECONDS = 15 * 60


class AttestationError(Exception):
    """Why a confirmation cannot be recorded (the message is translated)."""


def attestation_items(user):
    """The attestation items of published plans assigned to ``user`` (withdrawn ones left out),
    with their page."""
    return (
        PlanItem.objects.filter(
            kind=PlanItem.ATTESTATION,
            plan__status=TrainingPlan.PUBLISHED,
            assignments__staff__user=user,
        )
        .exclude(assignments__status=Assignment.WITHDRAWN)
        .select_related("page", "plan")
    )


def attestation_state(user, item):
    """``(assignment, record)``: the learner's assignment of ``item`` and the record of their
    newest confirmation of the page's current revision (None if they have not confirmed it)."""
    assignment = (
        Assignment.objects.filter(staff__user=user, plan_item=item)
        .exclude(status=Assignment.WITHDRAWN)
        .first()
    )
    page = item.page
    record = None
    if page is not None and page.live_revision_id:
        record = (
            CompletionRecord.objects.filter(
                user=user,
                kind=CompletionRecord.ATTESTATION,
                page_id=page.pk,
                content_revision_id=page.live_revision_id,
            )
            .order_by("-pk")
            .first()
        )
    return assignment, record


def _failures_key(user):
    return f"lms:attest-signing-failures:{user.pk}"


def attest(user, item, password, now=None):
    """Record that ``user`` read and understood ``item``'s page as it is now published, signed
    with their ``password`` (asked again at the moment of confirming), and complete their open
    assignments of attestations of that page. Idempotent: confirming the same revision twice
    returns the first record. Raises AttestationError; after ``SIGNING_ATTEMPTS`` wrong
    passwords, signing is refused for a while (someone at an unattended phone cannot guess)."""
    key = _failures_key(user)
    if cache.get(key, 0) >= SIGNING_ATTEMPTS:
        raise AttestationError(
            _("Too many wrong passwords: you can sign again in %(minutes)d minutes.")
            % {"minutes": SIGNING_LOCK_SECONDS // 60}
        )
    if not password or not user.has_usable_password() or not user.check_password(password):
        cache.add(key, 0, SIGNING_LOCK_SECONDS)
        cache.incr(key)
        raise AttestationError(
            _("The password is not correct: sign the confirmation with your own login password.")
        )
    cache.delete(key)
    return record_attestation(user, item, PASSWORD_SIGNATURE, now=now)


def record_attestation(user, item, signature, now=None):
    """Record a confirmation of ``item`` by ``user``, signed as ``signature`` says (kept in the
    record's evidence): ``attest`` once the learner re-entered their password; the demo's
    simulated learners, or a confirmation collected on paper, say so instead."""
    page = item.page
    if item.kind != PlanItem.ATTESTATION or page is None:
        raise AttestationError(_("This item is not an attestation."))
    if not page.live or not page.live_revision_id:
        raise AttestationError(_("This content is not published at the moment."))
    now = now or timezone.now()
    with transaction.atomic():
        staff = (
            StaffProfile.objects.select_for_update(of=("self",))
            .select_related("org_unit")
            .filter(user=user, is_active=True)
            .first()
        )
        if staff is None:
            raise AttestationError(_("Only staff on the roster can confirm this."))
        mine = Q(staff=staff, plan_item__kind=PlanItem.ATTESTATION, plan_item__page_id=page.pk)
        assignments = Assignment.objects.filter(mine).exclude(status=Assignment.WITHDRAWN)
        if not assignments.filter(plan_item=item).exists():
            raise AttestationError(_("This attestation is not assigned to you."))
        _assignment, record = attestation_state(user, item)
        if record is None:
            record = record_completion(
                user,
                staff=staff,
                kind=CompletionRecord.ATTESTATION,
                title=item.title,
                page=page,
                content_revision_id=page.live_revision_id,
                completed_at=now,
                method=CompletionRecord.ATTESTED,
                credit_hours=item.credit_hours,
                evidence={
                    "statement": item.statement,
                    "plan_item": item.pk,
                    "signature": signature,
                },
                credited_unit=staff.org_unit,
                assignments=mine,
            )
        else:
            complete_assignments(record, mine)
    return record


def reopen_attestations(page, today=None):
    """After ``page`` was published: completed attestation assignments of it (in published
    plans) whose record is of an older revision open again, due no sooner than
    ``REATTEST_DAYS`` from today. Returns how many re-opened."""
    if not page.live_revision_id:
        return 0
    today = today or timezone.localdate()
    stale = (
        Assignment.objects.filter(
            status=Assignment.COMPLETED,
            plan_item__kind=PlanItem.ATTESTATION,
            plan_item__page_id=page.pk,
            plan_item__plan__status=TrainingPlan.PUBLISHED,
        )
        .exclude(record__content_revision_id=page.live_revision_id)
        .select_related("plan_item")
    )
    earliest = today + datetime.timedelta(days=REATTEST_DAYS)
    reopened = 0
    with transaction.atomic():
        by_due = {}
        for assignment in stale.only("pk", "plan_item__due_date"):
            due = max(assignment.plan_item.due_date, earliest)
            by_due.setdefault(due, []).append(assignment.pk)
        now = timezone.now()
        for due, pks in by_due.items():
            for chunk in _chunks(pks):
                reopened += Assignment.objects.filter(pk__in=chunk).update(
                    status=Assignment.OPEN,
                    completed_at=None,
                    record=None,
                    started_at=None,
                    reopened_at=now,
                    due_date=due,
                )
    return reopened
