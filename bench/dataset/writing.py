"""Writing rows fast and continuing the hash chain in memory, for the benchmark data set."""

import datetime
import json
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from lms.models import ChainHead, CompletionRecord
from lms.services.records.sealing import (
    GENESIS,
    KEYED,
    chain_key,
    head_is_sealed,
    head_seal,
    record_hash,
)


def copy_rows(table, columns, rows):
    """Insert ``rows`` (tuples in ``columns`` order) into ``table``, fast."""
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        statement = f"COPY {table} ({quoted}) FROM STDIN"  # noqa: S608
        with connection.connection.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join(["%s"] * len(columns))
    statement = f"INSERT INTO {table} ({quoted}) VALUES ({marks})"  # noqa: S608
    batch = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append([adapt(value) for value in row])
            if len(batch) >= 5000:
                cursor.executemany(statement, batch)
                batch = []
        if batch:
            cursor.executemany(statement, batch)


def adapt(value):
    """A value as the database backend stores it (SQLite keeps datetimes as UTC text)."""
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return connection.ops.adapt_datefield_value(value)
    if isinstance(value, Decimal):
        return str(value)
    return value


def reset_sequence(model):
    if connection.vendor != "postgresql":
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
            f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
        )


def fast_foreign_keys():
    """On PostgreSQL as a superuser, skip the per-row foreign-key triggers for this transaction
    (``session_replication_role = replica``): every id written here was just read or generated
    in the same transaction, and checking ~8 million references one by one at commit is most of
    the run. Otherwise the (deferred) checks run as usual, only slower."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
        if row and row[0]:
            cursor.execute("SET LOCAL session_replication_role = replica")


def moment(rng, day):
    tz = timezone.get_current_timezone()
    return datetime.datetime.combine(day, datetime.time(rng.randint(8, 19), rng.randint(0, 59)), tz)


class Chain:
    """Appends records to the hash chain in memory, ids given in chain order."""

    def __init__(self):
        head = ChainHead.objects.filter(pk=1).first()
        self.key = chain_key()
        self.head = head or ChainHead(pk=1, last_hash=GENESIS, count=0)
        # A head whose seal does not hold stays unsealed (as the services do).
        self.sealed = head_is_sealed(self.head, self.key)
        self.prev = self.head.last_hash
        self.count = self.head.count
        last = CompletionRecord.objects.order_by("-pk").values_list("pk", flat=True).first()
        self.next_id = (last or 0) + 1
        self.rows = []
        self.created_at = timezone.now()

    def add(self, **fields):
        record = CompletionRecord(id=self.next_id, created_at=self.created_at, **fields)
        record.prev_hash = self.prev
        record.hash_version = KEYED
        record.hash = record_hash(record, self.prev, KEYED, self.key)
        self.prev = record.hash
        self.next_id += 1
        self.count += 1
        self.rows.append(record)
        return record

    COLUMNS = [
        "id",
        "user_id",
        "staff_id",
        "kind",
        "title",
        "completed_at",
        "method",
        "score",
        "credit_hours",
        "evidence",
        "credited_unit_id",
        "recorded_by_id",
        "supersedes_id",
        "session_id",
        "reason",
        "created_at",
        "prev_hash",
        "hash",
        "hash_version",
    ]

    def flush(self):
        def rows():
            for r in self.rows:
                yield (
                    r.id,
                    r.user_id,
                    r.staff_id,
                    r.kind,
                    r.title,
                    r.completed_at,
                    r.method,
                    r.score,
                    r.credit_hours,
                    json.dumps(r.evidence),
                    r.credited_unit_id,
                    r.recorded_by_id,
                    r.supersedes_id,
                    r.session_id,
                    r.reason,
                    r.created_at,
                    r.prev_hash,
                    r.hash,
                    r.hash_version,
                )

        copy_rows(CompletionRecord._meta.db_table, self.COLUMNS, rows())
        self.rows = []
        self.head.last_hash, self.head.count = self.prev, self.count
        if self.sealed:
            self.head.seal = head_seal(self.head, self.key)
        self.head.save()
