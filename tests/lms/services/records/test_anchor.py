"""The chain's daily anchor outside the database: written once a day, signed, and checked
against the database so that a chain rebuilt after it (even re-hashed with the right key) is
caught."""

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from lms import services
from lms.models import ChainHead, CompletionRecord
from lms.services.records.anchor import (
    AnchorError,
    anchor_dir,
    check_anchors,
    read_anchor,
    take_anchor,
    write_anchor,
)
from lms.services.records.anchoring import anchor_chain
from lms.services.records.sealing import GENESIS, KEYED, chain_key, head_seal, record_hash
from tests.factories import UserFactory

RECORDS = CompletionRecord._meta.db_table
AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
DAY = date(2026, 12, 6)
english = override_settings(LANGUAGE_CODE="en")


def sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def write_records(count, user=None):
    user = user or UserFactory()
    return [
        services.record_completion(
            user, kind="course", title=f"课程{n}", completed_at=AT, method="online", score=80 + n
        )
        for n in range(count)
    ]


def files(directory):
    return sorted(path.name for path in Path(directory).glob("*.json"))


def problems(directory):
    return check_anchors(directory).problems


@pytest.mark.django_db
def test_an_anchor_names_the_chain_head_and_checks_out(tmp_path):
    records = write_records(3)
    summary = anchor_chain(DAY, tmp_path)
    assert files(tmp_path) == ["chain-anchor-20261206.json"]
    assert summary["written"] and summary["verified"] and summary["problems"] == 0
    body = json.loads((tmp_path / "chain-anchor-20261206.json").read_text())["anchor"]
    assert (body["date"], body["records"]) == ("2026-12-06", 3)
    assert (body["head_record"], body["head_hash"]) == (records[-1].pk, records[-1].hash)
    assert body["verified"] is True and body["site"]
    check = check_anchors(tmp_path)
    assert check.ok and check.problems == [] and len(check.anchors) == 1


@pytest.mark.django_db
def test_an_empty_chain_is_anchored_and_checks_out(tmp_path):
    anchor = write_anchor(take_anchor(DAY), tmp_path)
    assert (anchor.body["records"], anchor.body["head_record"]) == (0, None)
    assert anchor.body["head_hash"] == GENESIS
    assert check_anchors(tmp_path).ok


@pytest.mark.django_db
def test_a_second_run_the_same_day_changes_nothing_and_a_new_head_gets_a_numbered_file(tmp_path):
    write_records(2)
    first = anchor_chain(DAY, tmp_path)
    content = (tmp_path / "chain-anchor-20261206.json").read_bytes()
    again = anchor_chain(DAY, tmp_path)
    assert not again["written"] and again["path"] == first["path"]
    assert files(tmp_path) == ["chain-anchor-20261206.json"]
    assert (tmp_path / "chain-anchor-20261206.json").read_bytes() == content
    newer = write_records(1)[0]
    third = anchor_chain(DAY, tmp_path)
    assert third["written"] and third["path"].endswith("chain-anchor-20261206-2.json")
    assert (tmp_path / "chain-anchor-20261206.json").read_bytes() == content  # never overwritten
    assert read_anchor(third["path"]).body["head_record"] == newer.pk
    assert not anchor_chain(DAY, tmp_path)["written"]  # the -2 file anchors this head already
    anchor_chain(date(2026, 12, 7), tmp_path)
    assert files(tmp_path) == [
        "chain-anchor-20261206-2.json",
        "chain-anchor-20261206.json",
        "chain-anchor-20261207.json",
    ]
    assert check_anchors(tmp_path).ok
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary left


@english
@pytest.mark.django_db
def test_a_tampered_anchor_file_is_reported(tmp_path):
    write_records(2)
    path = Path(anchor_chain(DAY, tmp_path)["path"])
    data = json.loads(path.read_text())
    data["anchor"]["records"] = 5
    path.write_text(json.dumps(data))
    assert problems(tmp_path) == [
        "chain-anchor-20261206.json: its signature does not match: the file was altered."
    ]
    path.write_text("{not json")
    assert problems(tmp_path) == ["chain-anchor-20261206.json: not a readable chain anchor."]


@english
@pytest.mark.django_db
def test_an_anchor_signed_under_another_key_is_told_apart(tmp_path):
    write_records(1)
    anchor_chain(DAY, tmp_path)
    with override_settings(LMS_ANCHOR_KEY="another-anchor-key-" * 3):
        assert problems(tmp_path) == [
            "chain-anchor-20261206.json: signed with another key (LMS_ANCHOR_KEY changed?)."
        ]


@english
@pytest.mark.django_db
def test_a_hash_changed_in_the_database_is_reported_against_the_anchor(tmp_path):
    records = write_records(3)
    anchor_chain(DAY, tmp_path)
    sql(f"UPDATE {RECORDS} SET hash = %s WHERE id = %s", ["f" * 64, records[-1].pk])  # noqa: S608
    check = check_anchors(tmp_path)
    assert not check.ok and not check.chain.ok
    assert check.problems == [
        f"chain-anchor-20261206.json: record {records[-1].pk} no longer has the hash anchored "
        "on 2026-12-06: the chain was rewritten (rebuilt) after the anchor."
    ]


@english
@pytest.mark.django_db
def test_an_edit_before_the_anchored_record_fails_the_chain_up_to_it(tmp_path):
    records = write_records(3)
    anchor_chain(DAY, tmp_path)
    sql(f"UPDATE {RECORDS} SET score = 1 WHERE id = %s", [records[0].pk])  # noqa: S608
    assert problems(tmp_path) == [
        f"chain-anchor-20261206.json: the chain up to record {records[-1].pk} does not verify "
        f"(record {records[0].pk})."
    ]


def rebuild_in_place(score):
    """An insider with the chain key rewrites the first record's score and re-hashes every
    record after it and re-seals the head: the chain verifies again."""
    key = chain_key()
    prev = GENESIS
    first = True
    for record in CompletionRecord.objects.order_by("pk"):
        if first:
            record.score, first = score, False
        record.prev_hash, record.hash = prev, record_hash(record, prev, KEYED, key)
        sql(
            f"UPDATE {RECORDS} SET score = %s, prev_hash = %s, hash = %s WHERE id = %s",  # noqa: S608
            [record.score, record.prev_hash, record.hash, record.pk],
        )
        prev = record.hash
    head = ChainHead.objects.get(pk=1)
    head.last_hash = prev
    head.seal = head_seal(head, key)
    head.save()


@english
@pytest.mark.django_db
def test_a_chain_rebuilt_with_the_right_key_passes_verification_but_not_the_anchor(tmp_path):
    records = write_records(3)
    anchor_chain(DAY, tmp_path)
    rebuild_in_place(score=99)
    check = check_anchors(tmp_path)
    assert check.chain.ok  # the key alone cannot tell
    assert check.problems == [
        f"chain-anchor-20261206.json: record {records[-1].pk} no longer has the hash anchored "
        "on 2026-12-06: the chain was rewritten (rebuilt) after the anchor."
    ]
    assert not check.ok


@english
@pytest.mark.django_db
def test_a_chain_deleted_and_written_anew_is_caught_by_an_older_anchor(tmp_path):
    user = UserFactory()
    records = write_records(2, user)
    anchor_chain(DAY, tmp_path)
    sql(f"DELETE FROM {RECORDS}")  # noqa: S608
    ChainHead.objects.filter(pk=1).update(last_hash=GENESIS, count=0, seal="")
    write_records(2, user)
    check = check_anchors(tmp_path)
    assert check.chain.ok and check.chain.checked == 2
    assert check.problems == [
        f"chain-anchor-20261206.json: record {records[-1].pk}, the chain head on 2026-12-06, "
        "no longer exists: the chain was cut or rebuilt after the anchor."
    ]


@pytest.mark.django_db
def test_the_anchor_directory_is_private_never_public_media(tmp_path):
    default = anchor_dir()
    assert default == (Path(settings.PRIVATE_MEDIA_ROOT) / "anchors").resolve()
    assert not default.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    public = Path(settings.MEDIA_ROOT) / "anchors"
    for chosen in (public, Path(settings.MEDIA_ROOT)):
        with override_settings(LMS_ANCHOR_DIR=str(chosen)), pytest.raises(AnchorError):
            anchor_dir()
        with pytest.raises(AnchorError):
            anchor_chain(DAY, chosen)
    assert not public.exists()
    with override_settings(LMS_ANCHOR_DIR=str(tmp_path / "a")):
        assert anchor_chain(DAY)["path"] == str(tmp_path / "a" / "chain-anchor-20261206.json")


@english
@pytest.mark.django_db
def test_no_anchors_at_all_is_a_problem(tmp_path):
    assert problems(tmp_path) == [f"No chain anchors in {tmp_path.resolve()}."]


@pytest.mark.django_db
def test_checking_costs_the_same_queries_for_one_anchor_or_many(tmp_path):
    write_records(1)
    anchor_chain(DAY, tmp_path / "one")
    for n in range(5):
        write_records(1)
        anchor_chain(date(2026, 12, 1 + n), tmp_path / "many")
    counts = []
    for folder in ("one", "many"):
        with CaptureQueriesContext(connection) as queries:
            check = check_anchors(tmp_path / folder)
        assert check.ok
        counts.append(len(queries))
    assert counts[0] == counts[1]
    chain = services.verify_chain()
    with CaptureQueriesContext(connection) as queries:
        assert check_anchors(tmp_path / "many", chain=chain).ok
    assert len(queries) == 1  # the anchored records' hashes, all at once
    assert len(check_anchors(tmp_path / "many").anchors) == 5
