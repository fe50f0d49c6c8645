"""The database triggers that count assignments for the dashboards (``lms.models.tallies``), the
fold that moves pending changes into the totals, and the recount and check against a live count.

Triggers append signed change rows; they never update a shared row, so concurrent writers do not
wait for each other or deadlock on counters.

- PostgreSQL: three statement-level triggers with transition tables (insert, update, delete).
  Each statement's rows are netted per key first (+1 for a new row, −1 for an old one), so a
  bulk update of 100k assignments appends one row per key it touched.
- SQLite (the embedded demo database): row-level triggers appending −1/+1 rows.

``fold`` moves the changes into the totals in one transaction (PostgreSQL: ``DELETE … RETURNING``
feeding an upsert, under a transaction-level advisory lock so only one fold runs; a reader
always sees either the changes or the totals they were folded into, never both).

The week of a completion is the Monday of its local date in ``settings.TIME_ZONE`` when the
triggers are installed: PostgreSQL converts with the zone's rules; SQLite has no zone database
and adds the zone's current UTC offset (exact for Asia/Shanghai, which has no daylight saving).
After changing ``TIME_ZONE``, run ``manage.py lms_check_tallies --repair``.
"""

import datetime
import logging
import zoneinfo

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db import connection as default_connection

logger = logging.getLogger(__name__)

ASSIGNMENT = "lms_core_assignment"
ITEM = "lms_core_planitem"
PLAN = "lms_core_trainingplan"
UNIT = "lms_core_orgunit"
TALLY = "lms_core_assignmenttally"
TALLY_CHANGES = "lms_core_assignmenttallychange"
WEEKS = "lms_core_completionweektally"
WEEK_CHANGES = "lms_core_completionweekchange"
COUNTED = "status <> 'withdrawn'"
DONE = "a.status = 'completed' AND a.completed_at IS NOT NULL"
TALLY_KEY = "org_unit_id, plan_item_id, status, due_date"
WEEK_KEY = "org_unit_id, plan_id, week"
ALL_TALLY_TABLES = (TALLY, TALLY_CHANGES, WEEKS, WEEK_CHANGES)
#: (totals, changes, key) of both tallies.
PAIRS = ((TALLY, TALLY_CHANGES, TALLY_KEY), (WEEKS, WEEK_CHANGES, WEEK_KEY))
#: A reader folds when it finds at least this many pending change rows.
FOLD_AT = 1000
#: pg_try_advisory_xact_lock key of the fold ("LMSTALLY").
FOLD_LOCK = 0x4C4D5354414C4C59


def local_date_sql(vendor, column):
    """SQL for the local date (in ``settings.TIME_ZONE``) of the UTC timestamp ``column``."""
    zone = settings.TIME_ZONE
    if vendor == "postgresql":
        quoted = zone.replace("'", "''")
        return f"({column} AT TIME ZONE '{quoted}')::date"
    offset = zoneinfo.ZoneInfo(zone).utcoffset(datetime.datetime.now())
    minutes = int(offset.total_seconds() // 60)
    return f"date({column}, '{minutes:+d} minutes')"


def _week_sql(vendor, column):
    """SQL for the Monday (a date) of the local week of the UTC timestamp ``column``."""
    zone = settings.TIME_ZONE
    if vendor == "postgresql":
        quoted = zone.replace("'", "''")
        return f"(date_trunc('week', {column} AT TIME ZONE '{quoted}'))::date"
    offset = zoneinfo.ZoneInfo(zone).utcoffset(datetime.datetime.now())
    minutes = int(offset.total_seconds() // 60)
    return f"date({column}, '{minutes:+d} minutes', '-6 days', 'weekday 1')"


# -- PostgreSQL ---------------------------------------------------------------------------------


def _pg_function(name, sources):
    """A trigger function appending the netted rows of the transition tables ``sources``
    (pairs of table name and sign) to both change tables."""
    week = _week_sql("postgresql", "d.completed_at")
    delta = " UNION ALL ".join(
        f"SELECT org_unit_id, plan_item_id, status, due_date, completed_at, {sign} AS d "
        f"FROM {table}"
        for table, sign in sources
    )
    return f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    INSERT INTO {TALLY_CHANGES} ({TALLY_KEY}, n)
    SELECT {TALLY_KEY}, SUM(d) FROM ({delta}) AS d
    WHERE {COUNTED}
    GROUP BY {TALLY_KEY} HAVING SUM(d) <> 0;

    INSERT INTO {WEEK_CHANGES} ({WEEK_KEY}, n)
    SELECT d.org_unit_id, i.plan_id, {week}, SUM(d.d)
    FROM ({delta}) AS d JOIN {ITEM} AS i ON i.id = d.plan_item_id
    WHERE d.status = 'completed' AND d.completed_at IS NOT NULL
    GROUP BY 1, 2, 3 HAVING SUM(d.d) <> 0;
    RETURN NULL;
END
$body$;
"""


PG_TRIGGERS = (
    # (trigger and function name, event, REFERENCING clause, transition tables with sign)
    ("lms_core_tally_ins", "INSERT", "NEW TABLE AS new_rows", [("new_rows", 1)]),
    (
        "lms_core_tally_upd",
        "UPDATE",
        "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        [("new_rows", 1), ("old_rows", -1)],
    ),
    ("lms_core_tally_del", "DELETE", "OLD TABLE AS old_rows", [("old_rows", -1)]),
)


def _pg_install():
    statements = []
    for name, event, referencing, sources in PG_TRIGGERS:
        statements.append(_pg_function(name, sources))
        statements.append(f"DROP TRIGGER IF EXISTS {name} ON {ASSIGNMENT}")
        statements.append(
            f"CREATE TRIGGER {name} AFTER {event} ON {ASSIGNMENT} REFERENCING {referencing} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
        )
    return statements


def _pg_uninstall():
    statements = []
    for name, *_rest in PG_TRIGGERS:
        statements.append(f"DROP TRIGGER IF EXISTS {name} ON {ASSIGNMENT}")
        statements.append(f"DROP FUNCTION IF EXISTS {name}()")
    return statements


# -- SQLite -------------------------------------------------------------------------------------


def _sqlite_append(row, sign):
    """Statements appending the row ``row`` (``NEW`` or ``OLD``) with ``sign`` to both change
    tables. Only while its unit, item and plan exist (see ``SQLITE_CLEANUP``)."""
    week = _week_sql("sqlite", f"{row}.completed_at")
    exists = (
        f"EXISTS (SELECT 1 FROM {UNIT} WHERE id = {row}.org_unit_id) "
        f"AND EXISTS (SELECT 1 FROM {PLAN} WHERE id = i.plan_id)"
    )
    return [
        f"INSERT INTO {TALLY_CHANGES} ({TALLY_KEY}, n) "
        f"SELECT {row}.org_unit_id, {row}.plan_item_id, {row}.status, {row}.due_date, {sign} "
        f"FROM {ITEM} AS i WHERE i.id = {row}.plan_item_id AND {row}.status <> 'withdrawn' "
        f"AND {exists};",
        f"INSERT INTO {WEEK_CHANGES} ({WEEK_KEY}, n) "
        f"SELECT {row}.org_unit_id, i.plan_id, {week}, {sign} FROM {ITEM} AS i "
        f"WHERE i.id = {row}.plan_item_id AND {row}.status = 'completed' "
        f"AND {row}.completed_at IS NOT NULL AND {exists};",
    ]


COUNTED_COLUMNS = ("org_unit_id", "plan_item_id", "status", "due_date", "completed_at")
SQLITE_TRIGGERS = (
    ("lms_core_tally_ins", f"AFTER INSERT ON {ASSIGNMENT}", lambda: _sqlite_append("NEW", 1)),
    (
        "lms_core_tally_upd",
        f"AFTER UPDATE OF {', '.join(COUNTED_COLUMNS)} ON {ASSIGNMENT} WHEN "
        + " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in COUNTED_COLUMNS),
        lambda: _sqlite_append("OLD", -1) + _sqlite_append("NEW", 1),
    ),
    ("lms_core_tally_del", f"AFTER DELETE ON {ASSIGNMENT}", lambda: _sqlite_append("OLD", -1)),
)


# A unit, item or plan deleted by raw SQL takes its tally rows along. The ORM deletes them first
# (on_delete=CASCADE); this covers a database flush (Django's test runner, ``manage.py flush``),
# which deletes table after table in no fixed order with the assignment triggers firing.
SQLITE_CLEANUP = (
    ("lms_core_tally_unit_del", UNIT, [(table, "org_unit_id") for table in ALL_TALLY_TABLES]),
    (
        "lms_core_tally_item_del",
        ITEM,
        [(TALLY, "plan_item_id"), (TALLY_CHANGES, "plan_item_id")],
    ),
    ("lms_core_tally_plan_del", PLAN, [(WEEKS, "plan_id"), (WEEK_CHANGES, "plan_id")]),
)


def _sqlite_install():
    statements = []
    for name, table, targets in SQLITE_CLEANUP:
        body = " ".join(
            f"DELETE FROM {target} WHERE {column} = OLD.id;" for target, column in targets
        )
        statements.append(f"DROP TRIGGER IF EXISTS {name}")
        statements.append(f"CREATE TRIGGER {name} AFTER DELETE ON {table} BEGIN {body} END")
    for name, event, body in SQLITE_TRIGGERS:
        statements.append(f"DROP TRIGGER IF EXISTS {name}")
        statements.append(f"CREATE TRIGGER {name} {event} BEGIN {' '.join(body())} END")
    return statements


def _sqlite_uninstall():
    return [f"DROP TRIGGER IF EXISTS {name}" for name, *_rest in SQLITE_TRIGGERS + SQLITE_CLEANUP]


# -- folding, recounting and checking -----------------------------------------------------------


def _run(connection, statements):
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def install(connection=default_connection):
    """Create (or replace) the triggers on the assignment table."""
    vendor = connection.vendor
    _run(connection, _pg_install() if vendor == "postgresql" else _sqlite_install())


def uninstall(connection=default_connection):
    vendor = connection.vendor
    _run(connection, _pg_uninstall() if vendor == "postgresql" else _sqlite_uninstall())


def pending(connection=default_connection, at_most=FOLD_AT):
    """How many change rows wait to be folded (counting stops at ``at_most`` per table)."""
    counts = " + ".join(
        f"(SELECT COUNT(*) FROM (SELECT 1 FROM {changes} LIMIT {int(at_most)}) AS c)"
        for _totals, changes, _key in PAIRS
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        return cursor.fetchone()[0]


def fold(connection=default_connection):
    """Move the pending changes into the totals, in one transaction. Returns False when another
    fold is running (PostgreSQL), True otherwise."""
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [FOLD_LOCK])
            if not cursor.fetchone()[0]:
                return False
            for totals, changes, key in PAIRS:
                cursor.execute(
                    f"WITH moved AS (DELETE FROM {changes} RETURNING {key}, n) "
                    f"INSERT INTO {totals} AS t ({key}, n) "
                    f"SELECT {key}, SUM(n) FROM moved GROUP BY {key} ORDER BY {key} "
                    f"ON CONFLICT ({key}) DO UPDATE SET n = t.n + EXCLUDED.n"
                )
        else:  # SQLite: one writer at a time; nobody appends between the two statements.
            for totals, changes, key in PAIRS:
                cursor.execute(
                    f"INSERT INTO {totals} ({key}, n) SELECT {key}, SUM(n) FROM {changes} "
                    f"WHERE true GROUP BY {key} "
                    f"ON CONFLICT ({key}) DO UPDATE SET n = {totals}.n + excluded.n"
                )
                cursor.execute(f"DELETE FROM {changes}")
    return True


def fold_if_needed(connection=default_connection):
    """Fold when ``FOLD_AT`` or more changes are pending (what a reader calls: one query). The
    fold is housekeeping: if the database refuses it (SQLite busy with another writer), the
    reader goes on and reads the changes as they are; the next reader folds."""
    if pending(connection) >= FOLD_AT:
        try:
            fold(connection)
        except DatabaseError:
            logger.warning("Tally fold skipped; a later reader will fold.", exc_info=True)


def _live_counts(vendor):
    """{totals table: SQL counting the assignments live, grouped by that table's key}."""
    week = _week_sql(vendor, "a.completed_at")
    return {
        TALLY: f"SELECT {TALLY_KEY}, COUNT(*) FROM {ASSIGNMENT} WHERE {COUNTED} "
        f"GROUP BY {TALLY_KEY}",
        WEEKS: f"SELECT a.org_unit_id, i.plan_id, {week}, COUNT(*) FROM {ASSIGNMENT} AS a "
        f"JOIN {ITEM} AS i ON i.id = a.plan_item_id WHERE {DONE} GROUP BY 1, 2, 3",
    }


def rebuild(connection=default_connection):
    """Recount both tallies from the assignments. Call inside a transaction; on PostgreSQL the
    assignment table is locked against writers meanwhile (readers go on)."""
    vendor = connection.vendor
    statements = [f"LOCK TABLE {ASSIGNMENT} IN SHARE MODE"] if vendor == "postgresql" else []
    statements += [f"DELETE FROM {table}" for pair in PAIRS for table in pair[:2]]
    live = _live_counts(vendor)
    statements += [f"INSERT INTO {totals} ({key}, n) {live[totals]}" for totals, _c, key in PAIRS]
    _run(connection, statements)


def drift(connection=default_connection):
    """Where the tallies (totals plus pending changes) differ from a live count of the
    assignments: a list of ``(table, key, tally, live)`` tuples; empty when they agree."""
    live_sql = _live_counts(connection.vendor)
    problems = []
    with connection.cursor() as cursor:
        for totals, changes, key in PAIRS:
            cursor.execute(live_sql[totals])
            live = {tuple(str(v) for v in row[:-1]): row[-1] for row in cursor.fetchall()}
            cursor.execute(
                f"SELECT {key}, SUM(n) FROM (SELECT {key}, n FROM {totals} "
                f"UNION ALL SELECT {key}, n FROM {changes}) AS c GROUP BY {key}"
            )
            tally = {tuple(str(v) for v in row[:-1]): row[-1] for row in cursor.fetchall()}
            for key_values in sorted(set(live) | set(tally)):
                if live.get(key_values, 0) != tally.get(key_values, 0):
                    problems.append(
                        (totals, key_values, tally.get(key_values, 0), live.get(key_values, 0))
                    )
    return problems
