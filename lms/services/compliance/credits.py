"""The triggers that keep ``AssignmentCredit`` (``lms.models.credits``): every time an
assignment's record is set, the database adds a row "this record counted for this assignment
from its date until its last valid day", in the same statement.

- PostgreSQL: statement-level triggers with transition tables, on INSERT and UPDATE of
  ``lms_core_assignment`` (a column list is not allowed with transition tables, so the UPDATE
  function joins old and new rows and keeps those whose record changed).
- SQLite (the embedded demo database): row-level triggers.

A correction (the assignment's record replaced by another) replaces the old record's row. An
assignment opened again (record cleared) keeps its rows: that is the history. ``backfill``
adds the rows of what the assignments show now (after installing, or to repair).

The date a completion counts from is its local date in ``settings.TIME_ZONE`` as the tallies
convert it (``lms.services.dashboard.tallies``). SQLite rebuilds a table on some schema
changes and drops its triggers with it: a migration that changes ``lms_core_assignment`` must
``uninstall`` these (and the tallies') before and ``install`` them after, as 0013 does.
"""

from django.db import connection as default_connection

from lms.services.dashboard.tallies import ASSIGNMENT, local_date_sql

CREDIT = "lms_core_assignmentcredit"
COLUMNS = "assignment_id, record_id, plan_item_id, org_unit_id, valid_from, valid_until"


def _select(row, vendor):
    return (
        f"{row}.id, {row}.record_id, {row}.plan_item_id, {row}.org_unit_id, "
        f"{local_date_sql(vendor, f'{row}.completed_at')}, {row}.valid_until"
    )


#: The rows in force so far of the assignments just credited (``added``, a data-modifying CTE
#: whose rows this statement does not see) give way to the new ones.
REPLACE_PG = (
    f"UPDATE {CREDIT} AS c SET replaced_on = a.valid_from FROM added AS a "
    "WHERE c.assignment_id = a.assignment_id AND c.record_id <> a.record_id "
    "AND c.replaced_on IS NULL"
)


def _pg_install():
    changed = (
        "FROM new_rows AS n JOIN old_rows AS o ON o.id = n.id WHERE n.record_id IS NOT NULL "
        "AND n.completed_at IS NOT NULL AND n.record_id IS DISTINCT FROM o.record_id"
    )
    return [
        f"""CREATE OR REPLACE FUNCTION lms_core_credit_upd() RETURNS trigger LANGUAGE plpgsql
AS $body$
BEGIN
    DELETE FROM {CREDIT} AS c USING new_rows AS n, old_rows AS o
    WHERE o.id = n.id AND c.assignment_id = n.id AND c.record_id = o.record_id
      AND n.record_id IS NOT NULL AND n.record_id <> o.record_id;
    WITH added AS (
        INSERT INTO {CREDIT} ({COLUMNS}) SELECT {_select("n", "postgresql")} {changed}
        ON CONFLICT DO NOTHING RETURNING assignment_id, record_id, valid_from
    )
    {REPLACE_PG};
    RETURN NULL;
END
$body$""",
        f"""CREATE OR REPLACE FUNCTION lms_core_credit_ins() RETURNS trigger LANGUAGE plpgsql
AS $body$
BEGIN
    WITH added AS (
        INSERT INTO {CREDIT} ({COLUMNS}) SELECT {_select("n", "postgresql")} FROM new_rows AS n
        WHERE n.record_id IS NOT NULL AND n.completed_at IS NOT NULL ON CONFLICT DO NOTHING
        RETURNING assignment_id, record_id, valid_from
    )
    {REPLACE_PG};
    RETURN NULL;
END
$body$""",
        f"DROP TRIGGER IF EXISTS lms_core_credit_upd ON {ASSIGNMENT}",
        f"CREATE TRIGGER lms_core_credit_upd AFTER UPDATE ON {ASSIGNMENT} REFERENCING OLD TABLE "
        "AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "
        "lms_core_credit_upd()",
        f"DROP TRIGGER IF EXISTS lms_core_credit_ins ON {ASSIGNMENT}",
        f"CREATE TRIGGER lms_core_credit_ins AFTER INSERT ON {ASSIGNMENT} REFERENCING NEW TABLE "
        "AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION lms_core_credit_ins()",
    ]


def _pg_uninstall():
    return [
        f"DROP TRIGGER IF EXISTS lms_core_credit_upd ON {ASSIGNMENT}",
        f"DROP TRIGGER IF EXISTS lms_core_credit_ins ON {ASSIGNMENT}",
        "DROP FUNCTION IF EXISTS lms_core_credit_upd()",
        "DROP FUNCTION IF EXISTS lms_core_credit_ins()",
    ]


def _sqlite_install():
    # The rows in force so far give way to the new one, then it is added.
    replace = (
        f"UPDATE {CREDIT} SET replaced_on = {local_date_sql('sqlite', 'NEW.completed_at')} "
        "WHERE assignment_id = NEW.id AND record_id <> NEW.record_id AND replaced_on IS NULL;"
    )
    insert = (
        f"{replace} INSERT OR IGNORE INTO {CREDIT} ({COLUMNS}) SELECT {_select('NEW', 'sqlite')};"
    )
    return [
        "DROP TRIGGER IF EXISTS lms_core_credit_upd",
        f"CREATE TRIGGER lms_core_credit_upd AFTER UPDATE OF record_id ON {ASSIGNMENT} "
        "WHEN NEW.record_id IS NOT NULL AND NEW.completed_at IS NOT NULL "
        "AND NEW.record_id IS NOT OLD.record_id BEGIN "
        f"DELETE FROM {CREDIT} WHERE assignment_id = NEW.id AND record_id = OLD.record_id; "
        f"{insert} END",
        "DROP TRIGGER IF EXISTS lms_core_credit_ins",
        f"CREATE TRIGGER lms_core_credit_ins AFTER INSERT ON {ASSIGNMENT} "
        f"WHEN NEW.record_id IS NOT NULL AND NEW.completed_at IS NOT NULL BEGIN {insert} END",
    ]


def _sqlite_uninstall():
    return [
        "DROP TRIGGER IF EXISTS lms_core_credit_upd",
        "DROP TRIGGER IF EXISTS lms_core_credit_ins",
    ]


def _run(connection, statements):
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def install(connection=default_connection):
    postgres = connection.vendor == "postgresql"
    _run(connection, _pg_install() if postgres else _sqlite_install())


def uninstall(connection=default_connection):
    postgres = connection.vendor == "postgresql"
    _run(connection, _pg_uninstall() if postgres else _sqlite_uninstall())


def backfill(connection=default_connection):
    """Add the rows of the records the assignments point at now (missing ones only), then
    mark each row replaced by the next one of its assignment (in the order they were added).
    Returns how many were added."""
    vendor = connection.vendor
    ignore = "OR IGNORE " if vendor == "sqlite" else ""
    conflict = " ON CONFLICT DO NOTHING" if vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT {ignore}INTO {CREDIT} ({COLUMNS}) SELECT {_select('a', vendor)} "
            f"FROM {ASSIGNMENT} AS a WHERE a.record_id IS NOT NULL AND a.completed_at IS NOT NULL"
            f"{conflict}"
        )
        added = cursor.rowcount
        later = (
            f"FROM {CREDIT} AS n "
            f"WHERE n.assignment_id = {CREDIT}.assignment_id AND n.id > {CREDIT}.id"
        )
        cursor.execute(
            f"UPDATE {CREDIT} SET replaced_on = "
            f"(SELECT n.valid_from {later} ORDER BY n.id LIMIT 1) "
            f"WHERE replaced_on IS NULL AND EXISTS (SELECT 1 {later})"
        )
        return added


def missing(connection=default_connection):
    """How many assignments point at a record without its credited row (the triggers were off,
    or the table was emptied): ``backfill`` adds them."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {ASSIGNMENT} AS a WHERE a.record_id IS NOT NULL "
            "AND a.completed_at IS NOT NULL AND NOT EXISTS "
            f"(SELECT 1 FROM {CREDIT} AS c WHERE c.assignment_id = a.id "
            "AND c.record_id = a.record_id)"
        )
        return cursor.fetchone()[0]
