"""``deploy/restore BACKUP --database-url URL``: restore a backup into a fresh database (and the
media into their directories), then check it (``manage.py lms_check_restore``).

The backup's files are checked against the manifest's sha256 first: a damaged or altered backup
is refused before anything is written. The target database is created if absent; one that has
tables is refused unless ``--force`` (which drops and recreates it). After the restore every
check is printed with its result; the database is left in place either way, marked verified or
NOT VERIFIED (see ``lms.services.records.restore_check``).

Exit status: 0 restored and verified; 1 refused or failed (nothing usable restored); 3 restored
but NOT VERIFIED (a check failed, e.g. a different chain key)."""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from config.backup import database
from config.backup.files import (
    MANIFEST,
    BackupError,
    extract_media_tar,
    is_empty_dir,
    load_env_file,
    sha256,
)

ROOT = Path(__file__).resolve().parents[2]
NOT_VERIFIED = 3


def parse(argv):
    parser = argparse.ArgumentParser(prog="deploy/restore", description=__doc__.split("\n")[0])
    parser.add_argument("backup", help="the backup's directory (with manifest.json)")
    parser.add_argument("--database-url", required=True, help="the database to restore into")
    parser.add_argument("--env-file", help="the site's environment file (KEY=value lines)")
    parser.add_argument("--media-root", help="default: the environment's MEDIA_ROOT")
    parser.add_argument("--private-media-root", help="default: its PRIVATE_MEDIA_ROOT")
    parser.add_argument("--anchor-dir", help="default: its LMS_ANCHOR_DIR (when archived apart)")
    parser.add_argument("--no-media", action="store_true", help="the database only")
    parser.add_argument("--force", action="store_true", help="replace a non-empty target")
    parser.add_argument("--jobs", type=int, default=2, help="pg_restore jobs (default 2)")
    parser.add_argument("--sample", type=int, default=20, help="certificates to check")
    return parser.parse_args(argv)


def say(result, text):
    print(f"[{result}] {text}", flush=True)  # noqa: T201 - the command's report


def check_files(backup, manifest):
    """Every file against the manifest's sha256; raises on the first mismatch (after printing
    them all)."""
    bad = []
    for name, expected in manifest["files"].items():
        path = backup / name
        found = sha256(path) if path.is_file() else "missing"
        if found == expected["sha256"]:
            say("ok", f"sha256 {name}: {found[:16]}")
        else:
            say("FAILED", f"sha256 {name}: expected {expected['sha256'][:16]}, found {found[:16]}")
            bad.append(name)
    if bad:
        raise BackupError(
            f"the backup's files do not match its manifest ({', '.join(bad)}): it is damaged or "
            f"was altered; nothing was restored"
        )


def media_targets(options, manifest):
    """``{archived name: directory}`` to extract into."""
    roots = manifest.get("media", {}).get("roots", {})
    anchors = settings.LMS_ANCHOR_DIR or Path(settings.PRIVATE_MEDIA_ROOT) / "anchors"
    chosen = {
        "media": options.media_root or settings.MEDIA_ROOT,
        "private": options.private_media_root or settings.PRIVATE_MEDIA_ROOT,
        "anchors": options.anchor_dir or anchors,
    }
    return {name: Path(chosen[name]) for name in roots}


def restore_media(backup, options, manifest):
    tar = manifest.get("media", {}).get("file")
    for name, note in manifest.get("media", {}).get("notes", {}).items():
        say("note", f"{name}: {note}")
    if options.no_media or not tar:
        say("skipped", "media: " + ("--no-media" if options.no_media else "none in the backup"))
        return
    targets = media_targets(options, manifest)
    busy = [str(path) for path in targets.values() if not is_empty_dir(path)]
    if busy and not options.force:
        raise BackupError(f"media directories not empty: {', '.join(busy)} (or pass --force)")
    counts = extract_media_tar(backup / tar, targets)
    for name, path in targets.items():
        say("ok", f"media {name}: {counts[name]} files into {path}")


def restore_database(backup, options, manifest):
    settings_dict, kind = database.target_of(options.database_url)
    facts = manifest["database"]
    if kind != facts["kind"]:
        raise BackupError(f"a {facts['kind']} backup cannot be restored into {kind}")
    started = time.monotonic()
    if kind == "postgresql":
        say("ok", database.prepare_postgres(settings_dict, options.force))
        database.restore_postgres(settings_dict, backup / facts["file"], options.jobs)
    else:
        database.restore_sqlite(settings_dict, backup / facts["file"], options.force)
    seconds = time.monotonic() - started
    how = "pg_restore + ANALYZE" if kind == "postgresql" else "file copy"
    say("ok", f"database restored ({kind}, {settings_dict['NAME']}, {how}) in {seconds:.1f} s")


def run_checks(backup, options):
    env = {**os.environ, "DATABASE_URL": options.database_url}
    command = [sys.executable, str(ROOT / "manage.py"), "lms_check_restore"]
    command += ["--manifest", str(backup / MANIFEST), "--sample", str(options.sample)]
    return subprocess.run(command, env=env, check=False).returncode  # noqa: S603


def run(options):
    if options.env_file:
        load_env_file(options.env_file)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    os.environ["DATABASE_URL"] = options.database_url
    backup = Path(options.backup)
    try:
        manifest = json.loads((backup / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"cannot read {backup / MANIFEST}: {error}") from error
    started = time.monotonic()
    print(f"restoring {backup} (made {manifest['started_at']})", flush=True)  # noqa: T201
    check_files(backup, manifest)
    restore_database(backup, options, manifest)
    restore_media(backup, options, manifest)
    restored = time.monotonic() - started
    say("ok", f"restored in {restored:.1f} s; checking")
    status = run_checks(backup, options)
    total = time.monotonic() - started
    if status:
        print(  # noqa: T201
            f"deploy/restore: restored but NOT VERIFIED (checks failed, see above); the database "
            f"is left in place and marked NOT VERIFIED. Total {total:.1f} s.",
            file=sys.stderr,
        )
        return NOT_VERIFIED
    print(f"restore verified: {restored:.1f} s to restore, {total:.1f} s with checks")  # noqa: T201
    return 0


def main(argv=None):
    options = parse(sys.argv[1:] if argv is None else argv)
    try:
        return run(options)
    except (BackupError, OSError, ImproperlyConfigured, database.psycopg.Error) as error:
        print(f"deploy/restore: FAILED: {error}", file=sys.stderr)  # noqa: T201
        return 1


if __name__ == "__main__":
    sys.exit(main())
