"""``deploy/backup``: back up the site's database and media into ``BACKUP_DIR/<UTC timestamp>/``.

Reads the site's environment (``--env-file``, else the process's), with
``DJANGO_SETTINGS_MODULE`` ``config.settings.production`` unless set. Exits non-zero with one
line saying what failed; a failed backup leaves no directory with a timestamp name."""

import argparse
import json
import os
import shutil
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import django
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage, storages
from django.db import DatabaseError, connection

from config.backup import database
from config.backup.files import (
    MANIFEST,
    MEDIA_TAR,
    BackupError,
    describe,
    finish_directory,
    load_env_file,
    prune,
    start_directory,
    utc_name,
    write_media_tar,
)

FORMAT = "cp-lms-backup/1"
S3_NOTE = (
    "on object storage ({backend}): not archived; the bucket's versioning (and its replication) "
    "is the backup of these files"
)


def parse(argv):
    parser = argparse.ArgumentParser(prog="deploy/backup", description=__doc__.split("\n")[0])
    parser.add_argument("--env-file", help="the site's environment file (KEY=value lines)")
    parser.add_argument("--backup-dir", help="where backups go (default: $BACKUP_DIR)")
    parser.add_argument("--keep", type=int, help="then delete all but the N newest backups")
    parser.add_argument("--no-media", action="store_true", help="the database only")
    return parser.parse_args(argv)


def media_roots(notes):
    """``{name: directory}`` of the local file trees to archive; a note for each one on object
    storage."""
    # Models load only once Django is set up with the site's environment.
    from lms.services.records.anchor import anchor_dir

    roots = {}
    for name, alias, root in (
        ("media", "default", settings.MEDIA_ROOT),
        ("private", "private", settings.PRIVATE_MEDIA_ROOT),
    ):
        storage = storages[alias]
        if isinstance(storage, FileSystemStorage):
            roots[name] = Path(root)
        else:
            notes[name] = S3_NOTE.format(backend=type(storage).__name__)
    anchors = Path(anchor_dir())
    if not any(anchors.resolve().is_relative_to(Path(r).resolve()) for r in roots.values()):
        roots["anchors"] = anchors
    return {name: path for name, path in roots.items() if path.is_dir()}


def run(options):
    if options.env_file:
        load_env_file(options.env_file)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    backup_dir = options.backup_dir or os.environ.get("BACKUP_DIR")
    if not backup_dir:
        raise BackupError("no backup directory: pass --backup-dir or set BACKUP_DIR")
    django.setup()
    from lms.services.records.snapshot import backup_facts  # models: after setup

    began, clock = datetime.now(UTC), time.monotonic()
    notes = {}
    roots = {} if options.no_media else media_roots(notes)
    for root in roots.values():
        if Path(backup_dir).resolve().is_relative_to(root.resolve()):
            raise BackupError(f"the backup directory {backup_dir} is inside {root}: choose another")
    # The database and the private files: readable by the site's user only.
    os.umask(0o077)
    name = utc_name(began)
    temp = start_directory(backup_dir, name)
    try:
        if connection.vendor == "postgresql":
            snapshot_at, facts = database.snapshot_postgres(connection, temp, backup_facts)
            db_file = database.PG_DUMP
        elif connection.vendor == "sqlite":
            snapshot_at, facts = database.snapshot_sqlite(connection, temp, backup_facts)
            db_file = database.SQLITE_COPY
        else:
            raise BackupError(f"unsupported database: {connection.vendor}")
        db_seconds = time.monotonic() - clock
        media = {"file": None}
        if not options.no_media:
            files = write_media_tar(temp / MEDIA_TAR, roots)
            media = {"file": MEDIA_TAR, "roots": {k: str(v) for k, v in roots.items()}}
            media["files"] = files
        media["notes"] = notes
        finished = datetime.now(UTC)
        manifest = {
            "format": FORMAT,
            "name": name,
            "started_at": began.isoformat(),
            "snapshot_started_at": snapshot_at.isoformat(),
            "finished_at": finished.isoformat(),
            "duration_seconds": round(time.monotonic() - clock, 3),
            "database_seconds": round(db_seconds, 3),
            "settings": os.environ["DJANGO_SETTINGS_MODULE"],
            "database": {
                "kind": connection.vendor,
                "name": str(connection.settings_dict["NAME"]),
                "file": db_file,
                **facts,
            },
            "media": media,
            "files": {p.name: describe(p) for p in sorted(temp.iterdir())},
        }
        (temp / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
        final = finish_directory(temp, backup_dir, name)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    size = sum(p.stat().st_size for p in final.iterdir())
    print(  # noqa: T201 - the command's report
        f"backup {final}: {manifest['database']['kind']} "
        f"({facts['counts'].get('lms_core.CompletionRecord', 0)} completion records, chain head "
        f"{facts['chain']['count']}), {media.get('files', 0)} media files, {size} bytes, "
        f"{manifest['duration_seconds']} s"
    )
    if options.keep:
        for old in prune(backup_dir, options.keep):
            print(f"pruned {old}")  # noqa: T201
    return final


def main(argv=None):
    options = parse(sys.argv[1:] if argv is None else argv)
    try:
        run(options)
    except (BackupError, OSError, DatabaseError, ImproperlyConfigured) as error:
        print(f"deploy/backup: FAILED: {error}", file=sys.stderr)  # noqa: T201
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
