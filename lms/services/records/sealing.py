"""The chain key and what it seals: records (scheme 2), the chain head and certificates.

The key (``LMS_RECORD_CHAIN_KEY``) lives outside the database, so someone who can write the
database but not read the server's environment cannot recompute a record's hash, re-seal a
rewound head or re-bind a certificate to another record. Without the setting (development and
tests) the key is derived from ``SECRET_KEY`` under a label of its own; production refuses to
start without it."""

import datetime
import hashlib
import hmac
import json
from datetime import UTC
from decimal import Decimal

from django.conf import settings

from lms.conf import app_settings

#: A record's ``hash_version``: plain SHA-256, as written before the chain was keyed.
LEGACY = 1
#: HMAC-SHA256 with the chain key: every record written now.
KEYED = 2
DERIVATION_LABEL = b"cp-lms/completion-record-chain/v2"
#: The ``prev_hash`` of the first record.
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
OPTIONAL_HASHED_FIELDS = ["page_id", "session_id", "valid_until"]


def chain_key():
    """The key as bytes: the setting, else derived from SECRET_KEY (never SECRET_KEY itself)."""
    key = app_settings.LMS_RECORD_CHAIN_KEY
    if key:
        return key.encode()
    return hmac.new(settings.SECRET_KEY.encode(), DERIVATION_LABEL, hashlib.sha256).digest()


def _mac(key, text):
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def canonical(value):
    if value is None:
        return None
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value.isoformat()
    if hasattr(value, "isoformat"):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return value


def record_payload(record):
    """The record's hashed content as canonical JSON."""
    # to_python first, so a value hashes the same before saving (e.g. score=90) as after loading
    # it back (Decimal("90.00")).
    fields = record._meta
    return row_payload(
        {
            name: fields.get_field(name).to_python(getattr(record, name))
            for name in (*HASHED_FIELDS, *OPTIONAL_HASHED_FIELDS)
        }
    )


def row_payload(row):
    """The same from a dict of the fields' values as loaded from the database (the verifier
    reads rows, not model instances: several times faster)."""
    payload = {name: canonical(row[name]) for name in HASHED_FIELDS}
    for name in OPTIONAL_HASHED_FIELDS:
        if row[name] is not None:
            payload[name] = canonical(row[name])
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def record_hash(record, prev_hash, version=KEYED, key=None):
    """The hash of ``record`` linked to ``prev_hash`` under scheme ``version``; None for a scheme
    this code does not know."""
    return payload_hash(record_payload(record), prev_hash, version, key)


def payload_hash(data, prev_hash, version=KEYED, key=None):
    if version == KEYED:
        return _mac(key or chain_key(), f"record|{prev_hash}|{data}")
    if version == LEGACY:
        return hashlib.sha256(f"{prev_hash}|{data}".encode()).hexdigest()
    return None


def head_seal(head, key=None):
    return _mac(
        key or chain_key(),
        f"head|{head.count}|{head.last_hash}|{head.legacy_count}|{head.legacy_hash}",
    )


def head_is_sealed(head, key=None):
    """The head's seal matches (an empty, never used head counts as sealed)."""
    if head.count == 0 and head.last_hash == GENESIS and not head.seal:
        return True
    return matches(head_seal(head, key), head.seal)


def certificate_seal(code, record_id, record_hash_value, issued_at, key=None):
    """Binds a certificate's code to its record (by id and by the record's chained hash)."""
    return _mac(
        key or chain_key(),
        f"certificate|{code}|{record_id}|{record_hash_value}|{canonical(issued_at)}",
    )


def matches(expected, actual):
    return bool(actual) and expected is not None and hmac.compare_digest(expected, actual)
