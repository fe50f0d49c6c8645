"""The database part of a backup and a restore: PostgreSQL through pg_dump/pg_restore, SQLite
through its online backup API, each read in one consistent snapshot while the site runs.

PostgreSQL: a REPEATABLE READ transaction exports its snapshot; ``pg_dump --snapshot`` dumps
exactly that snapshot while the manifest's facts (counts, chain head) are read in the same
transaction, so the manifest describes the dump exactly, however many completions are written
meanwhile (writers are never blocked). SQLite: a read transaction on the site's own connection,
the facts read in it and ``Connection.backup`` copying its pages (never a file copy, which can
catch a half-written page or miss the WAL)."""

import os
import shutil
import sqlite3
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

import dj_database_url
import psycopg
from psycopg import sql

from config.backup.files import BackupError, fsync

PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"


def tool(name):
    """The full path of a PostgreSQL client program (``PG_BINDIR`` first, then ``PATH``)."""
    found = shutil.which(name, path=os.environ.get("PG_BINDIR") or None) or shutil.which(name)
    if not found:
        raise BackupError(f"{name} not found: install the PostgreSQL client or set PG_BINDIR")
    return found


def libpq_env(settings_dict):
    """The ``PG*`` variables naming the database of Django's ``settings_dict`` for the client
    tools (no password on a command line)."""
    env = dict(os.environ)
    values = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": settings_dict.get("NAME"),
    }
    env.update({key: str(value) for key, value in values.items() if value})
    return env


def snapshot_postgres(connection, directory, read_facts):
    """Dump the database of Django's ``connection`` to ``directory/database.dump`` in one
    exported snapshot, calling ``read_facts()`` inside it; returns ``(snapshot time, facts)``."""
    target = Path(directory) / PG_DUMP
    with connection.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            # Taken before the snapshot: a write acknowledged before it is in the dump.
            started = datetime.now(UTC)
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            dump = subprocess.Popen(  # noqa: S603 - fixed arguments, no shell
                [tool("pg_dump"), "-Fc", f"--snapshot={snapshot}", "-f", str(target)],
                env=libpq_env(connection.settings_dict),
                stderr=subprocess.PIPE,
                text=True,
            )
            try:
                facts = read_facts()
            except BaseException:
                dump.kill()
                dump.wait()
                raise
            _out, errors = dump.communicate()
        finally:
            cursor.execute("ROLLBACK")
    if dump.returncode:
        raise BackupError(f"pg_dump failed (exit {dump.returncode}): {errors.strip()}")
    return started, facts


def snapshot_sqlite(connection, directory, read_facts):
    """Copy the SQLite database of Django's ``connection`` to ``directory/database.sqlite3``
    with the online backup API inside one read transaction, calling ``read_facts()`` in it."""
    target = Path(directory) / SQLITE_COPY
    connection.ensure_connection()
    if connection.in_atomic_block:
        raise BackupError("the backup must not run inside a transaction")
    raw = connection.connection
    raw.execute("BEGIN DEFERRED")
    try:
        started = datetime.now(UTC)
        raw.execute("SELECT count(*) FROM sqlite_master").fetchone()  # starts the read
        facts = read_facts()
        copy = sqlite3.connect(target)
        try:
            raw.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            copy.close()
    finally:
        raw.execute("ROLLBACK")
    fsync(target)
    return started, facts


def target_of(url):
    """Django's settings dict of a database URL, and its kind ("postgresql" or "sqlite")."""
    settings_dict = dj_database_url.parse(url)
    engine = settings_dict["ENGINE"]
    if "postgresql" in engine:
        return settings_dict, "postgresql"
    if "sqlite3" in engine:
        return settings_dict, "sqlite"
    raise BackupError(f"unsupported database for a restore: {engine}")


def _connect(settings_dict, dbname):
    return psycopg.connect(
        dbname=dbname,
        host=settings_dict.get("HOST") or None,
        port=settings_dict.get("PORT") or None,
        user=settings_dict.get("USER") or None,
        password=settings_dict.get("PASSWORD") or None,
        autocommit=True,
    )


def prepare_postgres(settings_dict, force=False):
    """Make the target database exist and be empty: create it if absent; refuse one with tables
    unless ``force`` (then drop and create it again). Returns what was done."""
    name = settings_dict["NAME"]
    with _connect(settings_dict, "postgres") as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            with _connect(settings_dict, name) as target:
                relations = target.execute(
                    "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') "
                    "AND n.nspname NOT LIKE 'pg_toast%%'"
                ).fetchone()[0]
            if not relations:
                return f"database {name} exists and is empty"
            if not force:
                raise BackupError(
                    f"database {name} is not empty ({relations} relations): restore into a "
                    f"fresh database, or pass --force to drop and recreate it"
                )
            admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return f"database {name} dropped and created again (--force)"
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return f"database {name} created"


def restore_postgres(settings_dict, dump, jobs=2):
    """``pg_restore -j jobs`` of ``dump`` into the (empty) target (objects owned by the
    restoring role, no grants of the old server's roles), then ``ANALYZE``."""
    started = time.monotonic()
    result = subprocess.run(  # noqa: S603 - fixed arguments, no shell
        [
            tool("pg_restore"),
            "-j",
            str(jobs),
            "--no-owner",
            "--no-acl",
            "--exit-on-error",
            "-d",
            settings_dict["NAME"],
            str(dump),
        ],
        env=libpq_env(settings_dict),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise BackupError(f"pg_restore failed (exit {result.returncode}): {result.stderr.strip()}")
    # pg_restore leaves the planner without statistics: the first dashboards would plan blind.
    with _connect(settings_dict, settings_dict["NAME"]) as restored:
        restored.execute("ANALYZE")
    return time.monotonic() - started


def sqlite_has_tables(path):
    if not Path(path).exists() or Path(path).stat().st_size == 0:
        return False
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return db.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]


def restore_sqlite(settings_dict, copy, force=False):
    """Put the backed-up SQLite file at the target's path (copied under a temporary name, then
    renamed); refuse a target with tables unless ``force``."""
    path = Path(settings_dict["NAME"])
    if sqlite_has_tables(path) and not force:
        raise BackupError(
            f"{path} is not empty: restore into a new file, or pass --force to replace it"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.restoring-{os.getpid()}")
    shutil.copyfile(copy, temp)
    fsync(temp)
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.replace(temp, path)
    return f"{path} written"
