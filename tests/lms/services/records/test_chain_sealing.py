"""The chain key, the upgrade path for records hashed before the chain was keyed
(``lms_seal_records``), the verifier's report and its cost."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from lms import services
from lms.models import Certificate, ChainHead, CompletionRecord
from lms.services.records.certificates import issue_certificate
from lms.services.records.sealing import GENESIS, KEYED, LEGACY, chain_key, record_hash
from lms.services.records.verification import (
    CERTIFICATE,
    CONTENT,
    HEAD,
    KIND_LABELS,
    UNSEALED,
)
from tests.factories import UserFactory

RECORDS = CompletionRecord._meta.db_table
AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def write_records(count, certificates=True):
    user = UserFactory()
    records = []
    for n in range(count):
        record = services.record_completion(
            user, kind="course", title=f"课程{n}", completed_at=AT, method="online", score=80 + n
        )
        if certificates:
            issue_certificate(record)
        records.append(record)
    return records


def as_before_the_upgrade():
    """Turn the chain into what a database written before the chain was keyed holds: plain
    SHA-256 hashes (scheme 1), no head seal, no certificate seals."""
    prev = GENESIS
    for record in CompletionRecord.objects.order_by("pk"):
        record.prev_hash, record.hash = prev, record_hash(record, prev, LEGACY)
        sql(
            f"UPDATE {RECORDS} SET prev_hash = %s, hash = %s, hash_version = 1 WHERE id = %s",  # noqa: S608
            [record.prev_hash, record.hash, record.pk],
        )
        prev = record.hash
    ChainHead.objects.update(last_hash=prev, seal="", legacy_count=0, legacy_hash="")
    Certificate.objects.update(seal="")


@pytest.mark.django_db
def test_new_records_are_keyed_and_the_key_is_not_the_secret_key(settings):
    record = write_records(1)[0]
    assert record.hash_version == KEYED
    assert record.hash != record_hash(record, GENESIS, LEGACY)
    assert chain_key() not in (b"", settings.SECRET_KEY.encode())
    with override_settings(LMS_RECORD_CHAIN_KEY="another-key-" * 4):
        assert chain_key() == b"another-key-" * 4
        assert record_hash(record, GENESIS) != record.hash


@pytest.mark.django_db
def test_without_the_key_nothing_verifies():
    """A lost (or changed) key makes every keyed record, the head and the certificates fail."""
    records = write_records(3)
    assert services.verify_chain().ok
    with override_settings(LMS_RECORD_CHAIN_KEY="a-different-key-" * 4):
        report = services.verify_chain()
    assert {(CONTENT, r.pk) for r in records} <= report.kinds()
    assert (HEAD, None) in report.kinds()
    assert {p.kind for p in report.problems} == {CONTENT, HEAD, CERTIFICATE}


@pytest.mark.django_db
def test_an_old_chain_is_sealed_once_and_then_protected():
    records = write_records(3)
    as_before_the_upgrade()
    report = services.verify_chain()
    assert [(p.kind, p.pk) for p in report.problems] == [(UNSEALED, None)]
    # The application keeps recording meanwhile (keyed), without sealing the head itself.
    later = write_records(1)[0]
    assert later.hash_version == KEYED and ChainHead.objects.get().seal == ""
    out = StringIO()
    call_command("lms_seal_records", stdout=out)
    assert "3" in out.getvalue() and "4" in out.getvalue()
    head = ChainHead.objects.get()
    third = CompletionRecord.objects.get(pk=records[2].pk)
    assert (head.legacy_count, head.legacy_hash, head.count) == (3, third.hash, 4)
    assert not Certificate.objects.filter(seal="").exists()
    assert services.verify_chain().ok
    write_records(1)
    assert services.verify_chain().ok
    with pytest.raises(CommandError):
        call_command("lms_seal_records", stdout=StringIO(), stderr=StringIO())
    # An old record edited afterwards, with the later old hashes recomputed, is caught.
    first = CompletionRecord.objects.order_by("pk").first()
    sql(f"UPDATE {RECORDS} SET score = 10 WHERE id = %s", [first.pk])  # noqa: S608
    assert (CONTENT, first.pk) in services.verify_chain().kinds()


@pytest.mark.django_db
def test_an_old_chain_that_was_tampered_with_is_not_sealed():
    records = write_records(3)
    as_before_the_upgrade()
    sql(f"UPDATE {RECORDS} SET score = 10 WHERE id = %s", [records[1].pk])  # noqa: S608
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("lms_seal_records", stdout=StringIO(), stderr=err)
    assert str(records[1].pk) in err.getvalue()
    assert ChainHead.objects.get().seal == ""


@pytest.mark.django_db
def test_a_removed_head_seal_is_reported_and_not_resealed():
    write_records(2)
    ChainHead.objects.update(seal="")
    assert services.verify_chain().kinds() == {(HEAD, None)}
    with pytest.raises(CommandError):
        call_command("lms_seal_records", stdout=StringIO(), stderr=StringIO())
    ChainHead.objects.update(seal="0" * 64)
    with pytest.raises(CommandError):
        call_command("lms_seal_records", stdout=StringIO(), stderr=StringIO())


@pytest.mark.django_db
def test_the_command_lists_every_problem_up_to_fifty_lines_and_fails():
    records = write_records(60, certificates=False)
    out = StringIO()
    call_command("lms_verify_records", stdout=out)
    assert "60" in out.getvalue()
    sql(f"UPDATE {RECORDS} SET score = 1")  # noqa: S608
    err = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("lms_verify_records", stdout=StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert len(lines) == 51
    assert lines[0].startswith(f"[{KIND_LABELS[CONTENT]}]") and str(records[0].pk) in lines[0]
    assert str(records[49].pk) in lines[49] and "10" in lines[50]
    assert "60" in str(failure.value)


@pytest.mark.django_db
def test_verifying_reads_a_constant_number_of_queries(django_assert_max_num_queries):
    write_records(3)
    with CaptureQueriesContext(connection) as small:
        assert services.verify_chain().ok
    write_records(30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert services.verify_chain().ok
    assert len(small.captured_queries) <= 5


@pytest.mark.django_db
def test_records_appended_while_verifying_are_not_a_problem_but_a_fork_is():
    write_records(2)
    head = ChainHead.objects.values("count", "last_hash", "seal").get()
    # The verifier reads the head first: a record appended meanwhile is beyond it.
    write_records(1, certificates=False)
    ChainHead.objects.update(**head)
    assert services.verify_chain().ok
    # (Were that an old head row put back, the next record forks the chain: reported.)
    forked = write_records(1, certificates=False)[0]
    assert ("link", forked.pk) in services.verify_chain().kinds()


@pytest.mark.django_db
def test_a_head_put_back_to_an_earlier_state_is_reported():
    write_records(2)
    earlier = ChainHead.objects.values("count", "last_hash", "seal").get()
    write_records(2, certificates=False)
    ChainHead.objects.update(**earlier)
    # Records beyond the head written before the verification started (grace 0 here; 5 minutes
    # in use) are not ones appended while it ran.
    report = services.verify_chain(grace=timedelta(0))
    assert report.kinds() == {(HEAD, None)}
    assert "2" in report.problems[0].message
    # Nor is a head reset to empty.
    ChainHead.objects.update(count=0, last_hash=GENESIS, seal="")
    assert (HEAD, None) in services.verify_chain(grace=timedelta(0)).kinds()
    # And the next completion does not seal that empty head over the records.
    write_records(1, certificates=False)
    assert ChainHead.objects.get().seal == ""
    assert (HEAD, None) in services.verify_chain().kinds()
