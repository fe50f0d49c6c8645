"""Checking a restored database against its backup's facts (``check_restore``), the key's
fingerprint, and the mark left on the database."""

import json
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import override_settings

from lms import services
from lms.models import CompletionRecord
from lms.services.records.certificates import issue_certificate
from lms.services.records.restore_check import (
    NOT_VERIFIED,
    VERIFIED,
    check_restore,
    database_mark,
    mark_database,
    status_file,
)
from lms.services.records.snapshot import backup_facts, key_fingerprint
from tests.factories import UserFactory

AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
KEY = "k" * 20 + "0123456789abcdefghijklmnopq"
OTHER_KEY = "o" * 20 + "ZYXWVUTSRQPONMLKJIHGFEDCBA"
english = override_settings(LANGUAGE_CODE="en")


def write_records(count, certify=2):
    user = UserFactory()
    records = [
        services.record_completion(
            user, kind="course", title=f"课程{n}", completed_at=AT, method="online", score=80
        )
        for n in range(count)
    ]
    for record in records[:certify]:
        issue_certificate(record)
    return records


@pytest.fixture
def status_cleanup():
    yield
    path = status_file()
    if path is not None:
        path.unlink(missing_ok=True)


def by_name(checks):
    return {check.name: check for check in checks}


@english
@override_settings(LMS_RECORD_CHAIN_KEY=KEY)
@pytest.mark.django_db
def test_a_database_passes_every_check_against_its_own_facts():
    records = write_records(3)
    facts = backup_facts()
    assert facts["chain"]["count"] == 3 and facts["chain"]["newest_record"] == records[-1].pk
    assert facts["counts"]["lms_core.CompletionRecord"] == 3
    assert facts["counts"]["lms_core.Certificate"] == 2
    assert KEY not in json.dumps(facts)
    checks = check_restore(facts, sample=5, seed=1)
    assert all(check.ok for check in checks), checks
    assert "2 picked at random" in by_name(checks)["certificates"].detail


@english
@pytest.mark.django_db
def test_another_chain_key_fails_loudly_and_skips_the_checks_that_need_it():
    with override_settings(LMS_RECORD_CHAIN_KEY=KEY):
        write_records(2)
        facts = backup_facts()
        expected = key_fingerprint()
    with override_settings(LMS_RECORD_CHAIN_KEY=OTHER_KEY):
        checks = check_restore(facts, sample=5)
        current = key_fingerprint()
    key = checks[0]
    assert key.name == "chain key" and not key.ok
    assert "THE CHAIN KEY IS NOT THE BACKUP'S" in key.detail
    assert expected[:16] in key.detail and current[:16] in key.detail
    assert "LMS_RECORD_CHAIN_KEY" in key.detail and "lms_check_restore" in key.detail
    skipped = by_name(checks)
    for name in ("chain head", "lms_verify_records", "certificates"):
        assert not skipped[name].ok and "not run" in skipped[name].detail
    assert skipped["row counts"].ok  # the rows are there, only unverifiable


@english
@override_settings(LMS_RECORD_CHAIN_KEY=KEY)
@pytest.mark.django_db
def test_a_record_more_or_less_than_the_backup_fails_counts_and_head():
    write_records(2)
    facts = backup_facts()
    write_records(1, certify=0)
    checks = by_name(check_restore(facts, sample=0))
    assert not checks["row counts"].ok
    assert "lms_core.CompletionRecord 3 ≠ 2" in checks["row counts"].detail
    assert not checks["chain head"].ok
    assert checks["chain key"].ok and checks["lms_verify_records"].ok


@english
@override_settings(LMS_RECORD_CHAIN_KEY=KEY)
@pytest.mark.django_db
def test_the_chain_check_catches_a_record_edited_in_the_restore():
    records = write_records(3, certify=0)
    facts = backup_facts()
    with connection.cursor() as cursor:
        table = CompletionRecord._meta.db_table
        cursor.execute(f"UPDATE {table} SET score = 100 WHERE id = %s", [records[1].pk])  # noqa: S608
    checks = by_name(check_restore(facts, sample=0))
    assert not checks["lms_verify_records"].ok
    assert f"record {records[1].pk}" in checks["lms_verify_records"].detail


@english
@override_settings(LMS_RECORD_CHAIN_KEY=KEY)
@pytest.mark.django_db
def test_the_database_is_marked_and_the_mark_replaced_by_a_later_run(status_cleanup):
    write_records(1)
    facts = backup_facts()
    with override_settings(LMS_RECORD_CHAIN_KEY=OTHER_KEY):
        mark = mark_database(check_restore(facts, sample=0), "20261206T000000Z")
    assert NOT_VERIFIED in mark and "chain key" in mark and database_mark() == mark
    mark = mark_database(check_restore(facts, sample=0), "20261206T000000Z")
    assert mark.startswith(f"CP-LMS restore {VERIFIED}") and database_mark() == mark


@english
@pytest.mark.django_db
def test_the_command_prints_each_check_and_fails_with_the_key_message(tmp_path, status_cleanup):
    with override_settings(LMS_RECORD_CHAIN_KEY=KEY):
        write_records(2)
        manifest = tmp_path / "manifest.json"
        manifest.write_text(json.dumps({"name": "b1", "database": backup_facts()}))
        out = StringIO()
        call_command("lms_check_restore", "--manifest", str(manifest), stdout=out)
        assert "[ok] chain key" in out.getvalue() and "every check passed" in out.getvalue()
    with override_settings(LMS_RECORD_CHAIN_KEY=OTHER_KEY):
        out = StringIO()
        with pytest.raises(CommandError, match="THE CHAIN KEY IS NOT THE BACKUP'S"):
            call_command("lms_check_restore", "--manifest", str(manifest), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("[FAILED] chain key:")
    assert "[ok] row counts" in out.getvalue() and "NOT VERIFIED" in out.getvalue()


@pytest.mark.django_db
def test_the_fingerprint_is_stable_and_not_the_key():
    out = StringIO()
    with override_settings(LMS_RECORD_CHAIN_KEY=KEY):
        call_command("lms_check_restore", "--fingerprint", stdout=out)
        assert out.getvalue().strip() == key_fingerprint() and KEY not in out.getvalue()
    with override_settings(LMS_RECORD_CHAIN_KEY=OTHER_KEY):
        assert key_fingerprint() != out.getvalue().strip()
