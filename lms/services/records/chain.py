"""Writing completion records (append-only, chained by a keyed hash); verifying them is in
``lms.services.records.verification``."""

import logging

from django.db import transaction
from django.utils import timezone

from lms.models import Assignment, ChainHead, CompletionRecord
from lms.services.records.sealing import (
    GENESIS,
    KEYED,
    chain_key,
    head_is_sealed,
    head_seal,
    record_hash,
)

logger = logging.getLogger(__name__)


def _append(record):
    """Chain and insert ``record``: lock the chain head, link, hash (keyed), save. The head is
    re-sealed only if its seal held before: a head changed behind the application's back stays
    visibly broken instead of being laundered by the next completion (which is still recorded:
    a learner's completion is never lost to an incident)."""
    key = chain_key()
    with transaction.atomic():
        head, _created = ChainHead.objects.get_or_create(pk=1, defaults={"last_hash": GENESIS})
        head = ChainHead.objects.select_for_update().get(pk=head.pk)
        # An empty head over existing records was reset: not a fresh chain to seal.
        sealed = head_is_sealed(head, key) and not (
            head.count == 0 and CompletionRecord.objects.exists()
        )
        record.created_at = timezone.now()
        record.prev_hash = head.last_hash
        record.hash_version = KEYED
        record.hash = record_hash(record, head.last_hash, KEYED, key)
        record.save()
        head.last_hash, head.count = record.hash, head.count + 1
        if sealed:
            head.seal = head_seal(head, key)
        elif head.seal:
            logger.error(
                "The completion record chain head's seal does not match: it was changed "
                "without the key. Record %s was appended; run lms_verify_records.",
                record.pk,
            )
        head.save(update_fields=["last_hash", "count", "seal"])
    return record


def record_completion(user, *, kind, title, completed_at, method, staff=None, **fields):
    """Append a completion record. ``fields`` are the other CompletionRecord fields
    (course, quiz, content_revision, score, credit_hours, attempt, evidence, credited_unit,
    recorded_by)."""
    record = CompletionRecord(
        user=user,
        staff=staff,
        kind=kind,
        title=title[:255],
        completed_at=completed_at,
        method=method,
        **fields,
    )
    return _append(record)


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
        _append(record)
        # The assignments the old record completed are now completed by the correction.
        Assignment.objects.filter(record=old, status=Assignment.COMPLETED).update(
            record=record, completed_at=record.completed_at
        )
    return record
