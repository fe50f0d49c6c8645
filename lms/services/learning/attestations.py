"""Attestations: "I have read and understood …" a page, recorded with the exact revision read.
Publishing a new revision of the page re-opens the attestation for everyone who confirmed an
older one (their old records stay: they prove what was confirmed then)."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.models import Assignment, CompletionRecord, PlanItem, StaffProfile, TrainingPlan
from lms.services.plans import _chunks
from lms.services.records.chain import record_completion

#: A re-opened attestation is due no sooner than this many days after the new revision.
REATTEST_DAYS = 14


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


def attest(user, item, now=None):
    """Record that ``user`` read and understood ``item``'s page as it is now published, and
    complete their open assignments of attestations of that page. Idempotent: confirming the
    same revision twice returns the first record. Raises AttestationError."""
    page = item.page
    if item.kind != PlanItem.ATTESTATION or page is None:
        raise AttestationError(_("This item is not an attestation."))
    if not page.live or not page.live_revision_id:
        raise AttestationError(_("This content is not published at the moment."))
    now = now or timezone.now()
    with transaction.atomic():
        staff = (
            StaffProfile.objects.select_for_update()
            .select_related("org_unit")
            .filter(user=user, is_active=True)
            .first()
        )
        if staff is None:
            raise AttestationError(_("Only staff on the roster can confirm this."))
        assignments = Assignment.objects.filter(
            staff=staff, plan_item__kind=PlanItem.ATTESTATION, plan_item__page_id=page.pk
        ).exclude(status=Assignment.WITHDRAWN)
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
                evidence={"statement": item.statement, "plan_item": item.pk},
                credited_unit=staff.org_unit,
            )
        assignments.filter(status=Assignment.OPEN).update(
            status=Assignment.COMPLETED, completed_at=record.completed_at, record=record
        )
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
