"""Writing and verifying completion records (append-only, hash-chained)."""

import hashlib
import json
from datetime import UTC
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.models import ChainHead, CompletionRecord

GENESIS = "0" * 64
#: The fields a record's hash covers, in this order.
HASHED_FIELDS = [
    "user_id",
    "staff_id",
    "kind",
    "course_id",
    "quiz_id",
    "title",
    "content_revision_id",
    "completed_at",
    "method",
    "score",
    "credit_hours",
    "attempt_id",
    "evidence",
    "credited_unit_id",
    "recorded_by_id",
    "supersedes_id",
    "reason",
    "created_at",
]
#: Fields added later: hashed only when set, so records written before them keep their hash.
OPTIONAL_HASHED_FIELDS = ["page_id", "session_id"]


def _canonical(value):
    if value is None:
        return None
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if hasattr(value, "isoformat"):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return value


def record_hash(record, prev_hash):
    # to_python first, so a value hashes the same before saving (e.g. score=90) as after loading
    # it back (Decimal("90.00")).
    payload = {
        name: _canonical(record._meta.get_field(name).to_python(getattr(record, name)))
        for name in HASHED_FIELDS
    }
    for name in OPTIONAL_HASHED_FIELDS:
        value = getattr(record, name)
        if value is not None:
            payload[name] = _canonical(record._meta.get_field(name).to_python(value))
    data = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{prev_hash}|{data}".encode()).hexdigest()


def _append(record):
    """Chain and insert ``record``: lock the chain head, link, hash, save."""
    with transaction.atomic():
        head, _created = ChainHead.objects.get_or_create(pk=1, defaults={"last_hash": GENESIS})
        head = ChainHead.objects.select_for_update().get(pk=head.pk)
        record.created_at = timezone.now()
        record.prev_hash = head.last_hash
        record.hash = record_hash(record, head.last_hash)
        record.save()
        head.last_hash, head.count = record.hash, head.count + 1
        head.save(update_fields=["last_hash", "count"])
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
    return _append(record)


def verify_chain():
    """Walk the chain from the first record. Returns ``(ok, checked, problem)`` where
    ``problem`` names the first record whose link or content does not match."""
    prev = GENESIS
    checked = 0
    for record in CompletionRecord.objects.order_by("pk").iterator(chunk_size=2000):
        if record.prev_hash != prev:
            message = _("record %(pk)d: the chain is broken (a record was removed or reordered)")
            return False, checked, message % {"pk": record.pk}
        if record_hash(record, prev) != record.hash:
            message = _("record %(pk)d: its content no longer matches its hash (it was edited)")
            return False, checked, message % {"pk": record.pk}
        prev = record.hash
        checked += 1
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_hash != prev or head.count != checked):
        return False, checked, _("the newest records were removed")
    return True, checked, ""
