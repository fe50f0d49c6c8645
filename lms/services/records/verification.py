"""Verifying the evidence: the record chain, its head, certificates and completed assignments.

Everything is read in one streamed query per kind (the query count does not grow with the
data) and every problem is reported, not only the first: which record, certificate or
assignment, and what kind of break."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from lms.models import Assignment, Certificate, ChainHead, CompletionRecord, PlanItem
from lms.services.records.sealing import (
    GENESIS,
    HASHED_FIELDS,
    KEYED,
    LEGACY,
    OPTIONAL_HASHED_FIELDS,
    certificate_seal,
    chain_key,
    head_seal,
    matches,
    payload_hash,
    row_payload,
)

#: Kinds of problems.
LINK = "link"  # a record's prev_hash is not the previous record's hash: removed or reordered
CONTENT = "content"  # a record's content does not match its hash: edited
DOWNGRADE = "downgrade"  # an unkeyed (old-scheme) hash where only keyed ones may be
HEAD = "head"  # the chain head was rewound, rewritten or does not match the records
UNSEALED = "unsealed"  # records from before the chain was keyed, not yet sealed
CERTIFICATE = "certificate"  # a certificate does not belong to its record
ASSIGNMENT = "assignment"  # a completed assignment without a matching record

#: A record beyond the head (read first) counts as appended while verifying only if it was
#: written this recently before the verification started; older ones mean the head was put back.
APPEND_GRACE = timedelta(minutes=5)

#: How each kind is named in reports.
KIND_LABELS = {
    LINK: pgettext_lazy("record chain problem", "link broken"),
    CONTENT: pgettext_lazy("record chain problem", "content edited"),
    DOWNGRADE: pgettext_lazy("record chain problem", "rewritten without the key"),
    HEAD: pgettext_lazy("record chain problem", "head rewound or altered"),
    UNSEALED: pgettext_lazy("record chain problem", "not sealed"),
    CERTIFICATE: pgettext_lazy("record chain problem", "certificate mismatch"),
    ASSIGNMENT: pgettext_lazy("record chain problem", "assignment without its record"),
}

#: The record target each plan item kind must match (record field, item field).
ITEM_TARGETS = {
    PlanItem.COURSE: ("record__course_id", "plan_item__course_id"),
    PlanItem.QUIZ: ("record__quiz_id", "plan_item__quiz_id"),
    PlanItem.ATTESTATION: ("record__page_id", "plan_item__page_id"),
    PlanItem.OFFLINE: ("record__session__plan_item_id", "plan_item_id"),
}


@dataclass(frozen=True)
class Problem:
    kind: str
    pk: int | None
    message: str

    def __str__(self):
        return self.message

    @property
    def label(self):
        return str(KIND_LABELS[self.kind])


@dataclass
class ChainReport:
    """What ``verify_chain`` found: ``checked`` records read, the first ``limit`` problems in
    ``problems`` and their ``total``."""

    checked: int = 0
    problems: list = field(default_factory=list)
    total: int = 0
    limit: int = 50
    counts: dict = field(default_factory=dict)
    head_count: int = 0
    head_hash: str = ""
    #: The old-scheme records at the start of the chain, and the last one's hash.
    legacy_records: int = 0
    legacy_hash: str = ""

    @property
    def ok(self):
        return self.total == 0

    def add(self, kind, pk, message):
        self.total += 1
        self.counts[kind] = self.counts.get(kind, 0) + 1
        if len(self.problems) < self.limit:
            self.problems.append(Problem(kind, pk, message))

    def kinds(self):
        return {(p.kind, p.pk) for p in self.problems}


def verify_chain(limit=50, grace=APPEND_GRACE):
    """Check every record, the chain head, every certificate and every completed assignment.
    Returns a ``ChainReport`` (``report.ok`` when nothing was found)."""
    key = chain_key()
    report = ChainReport(limit=limit)
    since = timezone.now() - grace
    head = ChainHead.objects.filter(pk=1).first()
    walked = _walk_records(report, head, key, since)
    legacy_unsealed = _check_head(report, head, walked, key)
    _check_certificates(report, key, legacy_unsealed)
    _check_assignments(report)
    return report


@dataclass(frozen=True)
class _Row:
    pk: int
    prev_hash: str
    hash: str
    hash_version: int


@dataclass
class _Walk:
    last_hash: str = GENESIS
    legacy: int = 0  # old-scheme records at the start of the chain
    at_head: str | None = None  # the hash of the record the head (read first) counts up to
    stale: int = 0  # records beyond the head written before the verification started


def _walk_records(report, head, key, since):
    walk = _Walk(at_head=GENESIS if head is None or head.count == 0 else None)
    head_count = head.count if head else 0
    legacy_count = head.legacy_count if head else 0
    legacy_hash = head.legacy_hash if head else ""
    # Once the head is sealed, old-scheme records are allowed only as many as it anchors (none
    # on a chain keyed from the start): anything else is a record rewritten without the key.
    legacy_limit = legacy_count if head and head.seal else None
    keyed_seen = False
    columns = ["pk", "prev_hash", "hash", "hash_version", *HASHED_FIELDS, *OPTIONAL_HASHED_FIELDS]
    rows = CompletionRecord.objects.order_by("pk").values(*columns)
    for row in rows.iterator(chunk_size=2000):
        record = _Row(row["pk"], row["prev_hash"], row["hash"], row["hash_version"])
        position = report.checked + 1
        if record.prev_hash != walk.last_hash:
            message = _("record %(pk)d: the chain is broken (a record was removed or reordered)")
            report.add(LINK, record.pk, message % {"pk": record.pk})
        version = record.hash_version
        beyond = legacy_limit is not None and position > legacy_limit
        if version == LEGACY and (keyed_seen or beyond):
            message = _(
                "record %(pk)d: hashed with the old unkeyed scheme after the chain was keyed "
                "(it was rewritten)"
            )
            report.add(DOWNGRADE, record.pk, message % {"pk": record.pk})
        elif not matches(
            payload_hash(row_payload(row), record.prev_hash, version, key), record.hash
        ):
            message = _("record %(pk)d: its content no longer matches its hash (it was edited)")
            report.add(CONTENT, record.pk, message % {"pk": record.pk})
        if version == LEGACY and not keyed_seen:
            walk.legacy = report.legacy_records = position
            report.legacy_hash = record.hash
        keyed_seen = keyed_seen or version == KEYED
        if legacy_count and position == legacy_count and record.hash != legacy_hash:
            message = _(
                "record %(pk)d: the sealed old records end here with another hash (old "
                "records were changed)"
            )
            report.add(CONTENT, record.pk, message % {"pk": record.pk})
        # Link to the hash as stored: one edit is one problem, not every record after it.
        walk.last_hash = record.hash
        if position == head_count:
            walk.at_head = record.hash
        elif position > head_count and row["created_at"] < since:
            walk.stale += 1
        report.checked += 1
    if legacy_count > report.checked:
        message = _("the sealed old records were %(count)d, only %(found)d are left")
        report.add(HEAD, None, message % {"count": legacy_count, "found": report.checked})
    return walk


def _check_head(report, head, walk, key):
    """Report what is wrong with the head; True while old records await ``lms_seal_records``."""
    if head is None:
        if report.checked:
            report.add(HEAD, None, _("the chain head is missing"))
        return False
    report.head_count, report.head_hash = head.count, head.last_hash
    pristine = head.count == 0 and head.last_hash == GENESIS and not head.seal
    sealed = pristine or matches(head_seal(head, key), head.seal)
    legacy_unsealed = not head.seal and walk.legacy > 0 and not head.legacy_count
    if legacy_unsealed:
        message = _(
            "%(count)d records were written before the chain was keyed and are not sealed "
            "yet: run “manage.py lms_seal_records”"
        )
        report.add(UNSEALED, None, message % {"count": walk.legacy})
    elif not sealed:
        report.add(
            HEAD,
            None,
            _(
                "the chain head was changed without the key (its seal does not match): it was "
                "rewound or rewritten, newest records may have been removed"
            ),
        )
    if report.checked >= head.count and walk.at_head == head.last_hash and not walk.stale:
        # Records after the head were appended while this ran (the head is read first); each
        # was checked like any other.
        return legacy_unsealed
    inner = report.counts.get(LINK, 0)
    if sealed and head.count > report.checked and not inner:
        # Nothing missing inside the chain and the sealed head ends elsewhere: cut at the end.
        message = _("the newest %(n)d records were removed (the sealed head counts %(count)d)")
        report.add(HEAD, None, message % {"n": head.count - report.checked, "count": head.count})
    elif sealed and head.count > report.checked:
        message = _("%(n)d records are missing (the sealed head counts %(count)d)")
        report.add(HEAD, None, message % {"n": head.count - report.checked, "count": head.count})
    elif walk.at_head == head.last_hash:
        message = _(
            "%(n)d records lie beyond the chain head (%(count)d records): the head was put back "
            "to an earlier state"
        )
        report.add(HEAD, None, message % {"n": report.checked - head.count, "count": head.count})
    else:
        message = _(
            "the chain head (%(count)d records) does not match the records (%(found)d, the "
            "newest of them replaced or removed)"
        )
        report.add(HEAD, None, message % {"count": head.count, "found": report.checked})
    return legacy_unsealed


def _check_certificates(report, key, legacy_unsealed):
    rows = Certificate.objects.order_by("pk").values_list(
        "pk", "code", "record_id", "issued_at", "seal", "record__hash"
    )
    for pk, code, record_id, issued_at, seal, hash_value in rows.iterator(chunk_size=2000):
        if not seal:
            if not legacy_unsealed:
                message = _("certificate %(code)s: it has no seal (it was added or altered)")
                report.add(CERTIFICATE, pk, message % {"code": code})
            continue
        if not matches(certificate_seal(code, record_id, hash_value, issued_at, key), seal):
            message = _(
                "certificate %(code)s: it does not belong to record %(record)d (its seal does "
                "not match: the code, the record or the record's content was changed)"
            )
            report.add(CERTIFICATE, pk, message % {"code": code, "record": record_id})


def _check_assignments(report):
    superseded = CompletionRecord.objects.filter(supersedes_id=OuterRef("record_id"))
    columns = [
        "pk",
        "record_id",
        "staff__user_id",
        "record__user_id",
        "plan_item__kind",
        "superseded",
        "record__method",
        "record__evidence__plan_item",
    ]
    targets = sorted({name for pair in ITEM_TARGETS.values() for name in pair})
    rows = (
        Assignment.objects.filter(status=Assignment.COMPLETED)
        .annotate(superseded=Exists(superseded))
        .order_by("pk")
        .values(*columns, *targets)
    )
    for row in rows.iterator(chunk_size=2000):
        pk, record_id = row["pk"], row["record_id"]
        values = {"pk": pk, "record": record_id}
        if record_id is None:
            message = _("assignment %(pk)d: it is marked completed but has no completion record")
        elif row["record__user_id"] != row["staff__user_id"]:
            message = _("assignment %(pk)d: its record %(record)d is someone else's")
        elif not _same_target(row):
            message = _("assignment %(pk)d: its record %(record)d is not of the assigned item")
        elif row["superseded"]:
            message = _("assignment %(pk)d: its record %(record)d was superseded by a correction")
        else:
            continue
        report.add(ASSIGNMENT, pk, message % values)


#: Records an officer entered name their plan item in their (hashed) evidence: a training held
#: elsewhere has no session, course run or attempt of its own to point at.
ENTERED = (CompletionRecord.OFFICER_IMPORT, CompletionRecord.CORRECTION)


def _same_target(row):
    if (
        row["record__method"] in ENTERED
        and row["record__evidence__plan_item"] is not None
        and row["record__evidence__plan_item"] == row["plan_item_id"]
    ):
        return True
    pair = ITEM_TARGETS.get(row["plan_item__kind"])
    if pair is None:
        return False
    record_value, item_value = (row[name] for name in pair)
    return record_value is not None and record_value == item_value
