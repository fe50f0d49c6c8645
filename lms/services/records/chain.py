"""Writing completion records (append-only, chained by a keyed hash); verifying them is in
``lms.services.records.verification``."""

import logging
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db import models, transaction
from django.db.models import Case, Q, Value, When
from django.utils import timezone

from lms.models import Assignment, AssignmentCredit, ChainHead, CompletionRecord
from lms.services.compliance.validity import item_valid_until, local_day, valid_until
from lms.services.records.certificates import new_certificate
from lms.services.records.sealing import (
    GENESIS,
    KEYED,
    chain_key,
    head_is_sealed,
    head_seal,
    record_hash,
)

logger = logging.getLogger(__name__)
_batch = threading.local()


@dataclass
class _Pending:
    record: CompletionRecord
    certify: bool = False
    #: The assignments the record completes (a ``Q`` on ``Assignment``): completed when open,
    #: then pointed at the record once it has an id.
    assignments: Q | None = None


@contextmanager
def chained_last():
    """Completions appended with ``append_later`` inside this block are chained at its end, in
    one go: the chain head (one row every completion in the bank locks) is locked for the last
    few statements of the transaction only (link, insert the records, update the head, issue
    their certificates, point their assignments at them), not through the rest of the caller's
    work. Nested blocks join the outer one. Use it as the last thing of a transaction."""
    if getattr(_batch, "pending", None) is not None:
        yield
        return
    _batch.pending, _batch.memo = [], {}
    try:
        with transaction.atomic(savepoint=False):
            yield
            pending, _batch.pending = _batch.pending, None
            if pending:
                _write(pending)
    finally:
        _batch.pending = _batch.memo = None


def batch_memo():
    """A dict living as long as the current ``chained_last`` block (None outside one): values
    its completions share, e.g. the learner's staff profile."""
    return getattr(_batch, "memo", None)


def append_later(record, *, certify=False, assignments=None):
    """Append ``record`` (with its certificate if ``certify``, completing the open
    ``assignments``, a ``Q`` on ``Assignment``, and pointing them at it) at the end of the
    ``chained_last`` block, or now outside one. The record has no id until then."""
    pending = _Pending(record, certify, assignments)
    queue = getattr(_batch, "pending", None)
    if queue is None:
        with transaction.atomic(savepoint=False):
            _write([pending])
    else:
        queue.append(pending)
    return record


def _locked_head():
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        ChainHead.objects.get_or_create(pk=1, defaults={"last_hash": GENESIS})
        head = ChainHead.objects.select_for_update().get(pk=1)
    return head


def _by_record(items, value, output_field):
    """``value(record)`` for the assignments of each ``(assignments, record)`` of ``items``: the
    first record whose assignments a row is of, as the records would have been applied one
    after the other (an assignment is of one item, so of one record, in practice)."""
    if len(items) == 1:
        return value(items[0][1])
    return Case(
        *(When(mine, then=Value(value(record))) for mine, record in items),
        output_field=output_field,
    )


def _complete_assignments(items, stamp=True):
    """Complete the open (or expired) assignments of each ``(assignments, record)`` of
    ``items`` at their record's time, each valid until its item's rule says (set on the
    record too, before it is hashed: the earliest of its assignments'): one SELECT of the rows
    with their rules, one UPDATE (the tally triggers fire here, before the chain head is
    locked); no UPDATE when there is nothing to complete."""
    which = Case(
        *(When(mine, then=Value(index)) for index, (mine, _record) in enumerate(items)),
        output_field=models.IntegerField(),
    )
    rows = list(
        Assignment.objects.filter(reduce(or_, (mine for mine, _record in items)))
        .filter(status__in=Assignment.TO_DO)
        .annotate(which=which)
        .values_list(
            "pk",
            "which",
            "plan_item__validity_kind",
            "plan_item__validity_months",
            "prior_valid_until",
        )
    )
    if not rows:
        return
    until = {}
    for pk, index, kind, months, prior in rows:
        record = items[index][1]
        until[pk] = valid_until(kind, months, record.completed_at, prior)
        if (
            stamp
            and until[pk] is not None
            and (record.valid_until is None or until[pk] < record.valid_until)
        ):
            record.valid_until = until[pk]
    changes = {
        "status": Assignment.COMPLETED,
        "completed_at": _by_record(items, lambda r: r.completed_at, models.DateTimeField()),
        "valid_until": None,
    }
    if any(day is not None for day in until.values()):
        changes["valid_until"] = Case(
            *(When(pk=pk, then=Value(day)) for pk, day in until.items() if day is not None),
            default=None,
            output_field=models.DateField(),
        )
    Assignment.objects.filter(pk__in=list(until), status__in=Assignment.TO_DO).update(**changes)


def _link_assignments(items):
    """Point the assignments of each ``(assignments, record)`` of ``items`` at their record,
    now written: one UPDATE. Completed and without a record: only the rows just completed,
    inside this transaction (everywhere else a completed assignment has its record)."""
    Assignment.objects.filter(reduce(or_, (mine for mine, _record in items))).filter(
        status=Assignment.COMPLETED, record__isnull=True
    ).update(record_id=_by_record(items, lambda r: r.pk, models.BigIntegerField()))


def _write(pending):
    """Complete the records' open assignments, then lock the chain head, link and hash (keyed)
    ``pending`` records in order, insert them, move the head, then issue their certificates
    (sealed with each record's id and hash) and point their assignments at them. The head is
    re-sealed only if its seal held before: a head changed behind the application's back stays
    visibly broken instead of being laundered by the next completion (which is still recorded:
    a learner's completion is never lost to an incident)."""
    assigned = [(item.assignments, item.record) for item in pending if item.assignments is not None]
    if assigned:
        _complete_assignments(assigned)
    key = chain_key()
    head = _locked_head()
    # An empty head over existing records was reset: not a fresh chain to seal.
    sealed = head_is_sealed(head, key) and not (
        head.count == 0 and CompletionRecord.objects.exists()
    )
    records = [item.record for item in pending]
    now = timezone.now()
    for record in records:
        record.created_at = now
        record.prev_hash = head.last_hash
        record.hash_version = KEYED
        record.hash = record_hash(record, head.last_hash, KEYED, key)
        head.last_hash, head.count = record.hash, head.count + 1
    if len(records) == 1:
        records[0].save()
    else:
        CompletionRecord.objects.bulk_create(records)
    if sealed:
        head.seal = head_seal(head, key)
    elif head.seal:
        logger.error(
            "The completion record chain head's seal does not match: it was changed "
            "without the key. Records %s were appended; run lms_verify_records.",
            [record.pk for record in records],
        )
    head.save(update_fields=["last_hash", "count", "seal"])
    certificates = [new_certificate(item.record) for item in pending if item.certify]
    if certificates:
        type(certificates[0]).objects.bulk_create(certificates)
    if assigned:
        _link_assignments(assigned)


def _append(record):
    """Chain and insert ``record`` now (its own transaction, or the caller's)."""
    with transaction.atomic():
        _write([_Pending(record)])
    return record


def record_completion(
    user, *, kind, title, completed_at, method, staff=None, assignments=None, **fields
):
    """Append a completion record, completing the to-do ``assignments`` (a ``Q`` on
    ``Assignment``) with it. ``fields`` are the other CompletionRecord fields (course, quiz,
    content_revision, score, credit_hours, attempt, evidence, credited_unit, recorded_by)."""
    record = CompletionRecord(
        user=user,
        staff=staff,
        kind=kind,
        title=title[:255],
        completed_at=completed_at,
        method=method,
        **fields,
    )
    with transaction.atomic():
        _write([_Pending(record, assignments=assignments)])
    return record


def complete_assignments(record, assignments):
    """Complete the to-do ``assignments`` (a ``Q`` on ``Assignment``) with ``record``, already
    written (e.g. a confirmation that also answers another item), each valid until its item's
    rule says."""
    with transaction.atomic():
        _complete_assignments([(assignments, record)], stamp=False)
        _link_assignments([(assignments, record)])


def supersede_record(old, *, reason, recorded_by, **changes):
    """A correction: a new record that supersedes ``old`` with ``reason``; ``old`` is kept."""
    if not reason or not reason.strip():
        raise ValueError("A correction needs a reason.")
    fields = {
        name: getattr(old, name)
        for name in (
            "user",
            "staff",
            "kind",
            "course",
            "quiz",
            "title",
            "page",
            "session",
            "content_revision",
            "completed_at",
            "score",
            "credit_hours",
            "attempt",
            "evidence",
            "credited_unit",
            "valid_until",
        )
    }
    fields.update(changes)
    record = CompletionRecord(
        method=CompletionRecord.CORRECTION,
        recorded_by=recorded_by,
        supersedes=old,
        reason=reason.strip()[:500],
        **fields,
    )
    with transaction.atomic():
        completed = list(
            Assignment.objects.filter(record=old, status=Assignment.COMPLETED).select_related(
                "plan_item"
            )
        )
        # A corrected date moves the validity with it (unless the correction sets its own).
        redated = "completed_at" in changes and "valid_until" not in changes
        until = {}
        for assignment in completed:
            until[assignment.pk] = assignment.valid_until
            if "valid_until" in changes:
                until[assignment.pk] = record.valid_until
            elif redated:
                until[assignment.pk] = item_valid_until(
                    assignment.plan_item, record.completed_at, assignment.prior_valid_until
                )
        if redated and completed:
            record.valid_until = min((d for d in until.values() if d), default=None)
        _append(record)
        # The assignments the old record completed are now completed by the correction.
        for assignment in completed:
            Assignment.objects.filter(pk=assignment.pk).update(
                record=record, completed_at=record.completed_at, valid_until=until[assignment.pk]
            )
        # Those it completed before they were opened again (a renewal) keep their history with
        # the correction in place of the old record (the triggers moved the others' rows).
        for credit in AssignmentCredit.objects.filter(record=old).select_related("plan_item"):
            credit.record = record
            credit.valid_from = local_day(record.completed_at)
            if "valid_until" in changes:
                credit.valid_until = record.valid_until
            elif redated:
                credit.valid_until = item_valid_until(credit.plan_item, record.completed_at)
            credit.save(update_fields=["record", "valid_from", "valid_until"])
    return record
