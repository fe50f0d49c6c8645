"""``deploy/backup`` and ``deploy/restore`` run for real (subprocesses) on the test database:
a round trip with equal counts that verifies, a restore under another chain key that fails
loudly, a tampered backup refused by its checksum; on PostgreSQL too when the suite runs there."""

import json
import os
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import override_settings
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from psycopg import sql

from lms import services
from lms.models import CompletionRecord
from lms.services.records.certificates import issue_certificate
from lms.services.records.restore_check import wrong_key_message
from lms.services.records.snapshot import key_fingerprint
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[3]
KEY = "backup-test-key-" + "abcdefghijklmnopqrstuvwxyz0123"
OTHER_KEY = "another-key-" + "ZYXWVUTSRQPONMLKJIHGFEDCBA9876"
AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def database_url():
    data = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{data['NAME']}"
    auth = data["USER"] + (f":{data['PASSWORD']}" if data["PASSWORD"] else "")
    return f"postgres://{auth}@{data['HOST'] or '127.0.0.1'}:{data['PORT'] or 5432}/{data['NAME']}"


def site_env(key=KEY, **extra):
    """The environment of the site the scripts back up: the test database and media, dev
    settings, the chain key the records were written under."""
    env = {
        **os.environ,
        "CPLMS_PYTHON": sys.executable,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": database_url(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
        "LMS_RECORD_CHAIN_KEY": key,
        "LMS_ANCHOR_DIR": "",
    }
    env.update(extra)
    return env


def said(result, name):
    """A check's line as the command prints it, in the site's language (the tests run in it)."""
    return f"[{pgettext('restore check', result)}] {pgettext('restore check', name)}:"


def run(script, *args, env):
    return subprocess.run(  # noqa: S603
        [str(ROOT / "deploy" / script), *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def site():
    """A few completions with certificates, an image and a private document on disk."""
    with override_settings(LMS_RECORD_CHAIN_KEY=KEY):
        user = UserFactory()
        records = [
            services.record_completion(
                user, kind="course", title=f"课程{n}", completed_at=AT, method="online", score=90
            )
            for n in range(4)
        ]
        for record in records[:3]:
            issue_certificate(record)
    image = Path(settings.MEDIA_ROOT) / "original_images" / "cover.png"
    image.parent.mkdir(parents=True, exist_ok=True)
    image.write_bytes(b"\x89PNG fake")
    document = Path(settings.PRIVATE_MEDIA_ROOT) / "documents" / "policy.pdf"
    document.parent.mkdir(parents=True, exist_ok=True)
    document.write_bytes(b"%PDF fake")
    yield records
    image.unlink()
    document.unlink()


def backup(tmp_path):
    result = run("backup", "--backup-dir", tmp_path / "backups", "--keep", "2", env=site_env())
    assert result.returncode == 0, result.stderr
    (made,) = (tmp_path / "backups").iterdir()
    assert {oct(path.stat().st_mode & 0o777) for path in made.iterdir()} == {"0o600"}
    return made, json.loads((made / "manifest.json").read_text())


def test_a_backup_restores_with_equal_counts_and_verifies(site, tmp_path):
    made, manifest = backup(tmp_path)
    facts = manifest["database"]
    assert facts["counts"]["lms_core.CompletionRecord"] == 4
    assert facts["counts"]["lms_core.Certificate"] == 3
    assert facts["chain"]["count"] == 4 and facts["chain"]["newest_record"] == site[-1].pk
    assert KEY not in (made / "manifest.json").read_text()
    assert set(manifest["files"]) == {facts["file"], "media.tar"}
    target = tmp_path / "restored"
    url, extra = restore_target(tmp_path)
    result = run(
        "restore",
        made,
        "--database-url",
        url,
        "--media-root",
        target / "media",
        "--private-media-root",
        target / "private",
        env=site_env(**extra),
    )
    try:
        assert result.returncode == 0, result.stdout + result.stderr
        for name in ("chain key", "chain head", "row counts", "migrations", "certificates"):
            assert said("ok", name) in result.stdout
        assert f"[{pgettext('restore check', 'ok')}] lms_verify_records" in result.stdout
        assert _("%(n)d picked at random verify and render as PDF") % {"n": 3} in result.stdout
        assert (target / "media" / "original_images" / "cover.png").read_bytes() == b"\x89PNG fake"
        assert (target / "private" / "documents" / "policy.pdf").exists()
        again = run("restore", made, "--database-url", url, "--no-media", env=site_env(**extra))
        assert again.returncode == 1 and "not empty" in again.stderr
    finally:
        drop_target(url)


def test_a_restore_under_another_chain_key_fails_loudly(site, tmp_path):
    made, _manifest = backup(tmp_path)
    url, extra = restore_target(tmp_path)
    env = site_env(key=OTHER_KEY, **extra)
    result = run("restore", made, "--database-url", url, "--no-media", env=env)
    try:
        assert result.returncode == 3, result.stdout + result.stderr
        with override_settings(LMS_RECORD_CHAIN_KEY=KEY):
            expected = key_fingerprint()
        with override_settings(LMS_RECORD_CHAIN_KEY=OTHER_KEY):
            loud = wrong_key_message(key_fingerprint(), expected)
        assert f"{said('FAILED', 'chain key')} {loud}" in result.stdout
        assert f"CommandError: {loud}" in result.stderr  # said again, last
        assert "restored but NOT VERIFIED" in result.stderr
        assert said("ok", "row counts") in result.stdout  # restored, but not verified
    finally:
        drop_target(url)


def test_a_tampered_backup_fails_its_checksum_and_nothing_is_restored(site, tmp_path):
    made, manifest = backup(tmp_path)
    dump = made / manifest["database"]["file"]
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))
    url, extra = restore_target(tmp_path)
    result = run("restore", made, "--database-url", url, "--no-media", env=site_env(**extra))
    assert result.returncode == 1
    assert (
        f"[FAILED] sha256 {dump.name}" in result.stdout and "[ok] sha256 media.tar" in result.stdout
    )
    assert "do not match its manifest" in result.stderr and "nothing was restored" in result.stderr
    if connection.vendor == "sqlite":
        assert not (tmp_path / "restored.sqlite3").exists()


def test_a_failing_backup_says_why_and_leaves_no_backup(tmp_path):
    env = site_env(DATABASE_URL=f"postgres://nobody@127.0.0.1:1/{uuid.uuid4().hex}")
    result = run("backup", "--backup-dir", tmp_path, env=env)
    assert result.returncode == 1 and result.stderr.startswith("deploy/backup: FAILED:")
    assert not list(tmp_path.iterdir())


def restore_target(tmp_path):
    """A fresh database of the test's kind: a new SQLite file, or a new PostgreSQL database."""
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'restored.sqlite3'}", {}
    name = f"backup_test_{uuid.uuid4().hex[:12]}"
    return database_url().rsplit("/", 1)[0] + f"/{name}", {}


def connect(dbname):
    data = connection.settings_dict
    return psycopg.connect(
        dbname=dbname,
        host=data["HOST"] or "127.0.0.1",
        port=data["PORT"] or 5432,
        user=data["USER"] or None,
        password=data["PASSWORD"] or None,
        autocommit=True,
    )


def drop_target(url):
    if not url.startswith("postgres"):
        return
    name = url.rsplit("/", 1)[1]
    with connect("postgres") as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


@pytest.mark.postgres
def test_postgres_round_trip_uses_pg_dump_and_pg_restore(site, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the suite runs on SQLite; the PostgreSQL run covers this")
    made, manifest = backup(tmp_path)
    assert manifest["database"]["kind"] == "postgresql"
    assert (made / "database.dump").read_bytes()[:5] == b"PGDMP"
    url, extra = restore_target(tmp_path)
    result = run("restore", made, "--database-url", url, "--no-media", env=site_env(**extra))
    try:
        assert result.returncode == 0, result.stdout + result.stderr
        assert f"database {url.rsplit('/', 1)[1]} created" in result.stdout
        assert f"[{pgettext('restore check', 'ok')}] lms_verify_records" in result.stdout
        table = sql.Identifier(CompletionRecord._meta.db_table)
        with connect(url.rsplit("/", 1)[1]) as restored:
            count = restored.execute(sql.SQL("SELECT count(*) FROM {}").format(table)).fetchone()
        assert count == (4,)
    finally:
        drop_target(url)


def test_a_backup_directory_inside_the_media_is_refused(tmp_path):
    inside = Path(settings.MEDIA_ROOT) / "backups"
    result = run("backup", "--backup-dir", inside, env=site_env())
    assert result.returncode == 1 and "is inside" in result.stderr
    assert not inside.exists()


def test_a_backup_taken_while_completions_are_written_is_one_consistent_state(site, tmp_path):
    """A writer appends completions all through the backup; the restore's counts, chain head
    and chain equal the manifest's (read in the dump's snapshot), and it holds every record
    acknowledged before the snapshot."""
    stop, acknowledged = threading.Event(), []

    def write():
        with override_settings(LMS_RECORD_CHAIN_KEY=KEY):
            user = UserFactory()
            while not stop.is_set():
                record = services.record_completion(
                    user, kind="course", title="并发", completed_at=AT, method="online"
                )
                acknowledged.append((record.pk, time.time()))
        connection.close()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        made, manifest = backup(tmp_path)
    finally:
        stop.set()
        writer.join()
    snapshot = datetime.fromisoformat(manifest["snapshot_started_at"]).timestamp()
    before = [pk for pk, at in acknowledged if at < snapshot]
    assert before and len(acknowledged) > len(before)  # written before, during and after
    url, extra = restore_target(tmp_path)
    result = run("restore", made, "--database-url", url, "--no-media", env=site_env(**extra))
    try:
        assert result.returncode == 0, result.stdout + result.stderr
        assert max(before) <= manifest["database"]["chain"]["newest_record"]
    finally:
        drop_target(url)
