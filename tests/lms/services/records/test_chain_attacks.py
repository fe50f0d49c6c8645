"""An attacker with write access to the database (but not to the chain key) tries to change the
evidence without ``lms_verify_records`` noticing: every attempt here must be reported."""

from datetime import date

import pytest
from django.db import connection

from lms import services
from lms.models import Assignment, Certificate, ChainHead, CompletionRecord
from lms.services.records.certificates import verify
from lms.services.records.sealing import KEYED, LEGACY, record_hash
from lms.services.records.verification import ASSIGNMENT, CERTIFICATE, CONTENT, DOWNGRADE, HEAD
from tests.factories import (
    finish_lesson,
    lessons_of,
    make_course,
    make_item,
    make_org,
    make_plan,
    make_position,
    make_staff,
)


def sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


RECORDS = CompletionRecord._meta.db_table
CERTIFICATES = Certificate._meta.db_table


@pytest.fixture
def world(catalog, course):
    """Two people who each completed two assigned courses (records with certificates)."""
    org = make_org()
    position = make_position()
    people = [
        make_staff(number, org["LZ0101"], position, date(2020, 1, 1), name=name)
        for number, name in (("000301", "王晓燕"), ("000302", "李明"))
    ]
    second = make_course(catalog, title="第二门", slug="second", lessons=1)
    third = make_course(catalog, title="第三门", slug="third", lessons=1)
    plan = make_plan()
    items = [make_item(plan, c.title, course=c, everyone=True) for c in (course, second, third)]
    services.publish_plan(plan)
    for person in people:
        for target in (course, second):
            for lesson in lessons_of(target):
                finish_lesson(person.user, lesson)
    assert CompletionRecord.objects.count() == 4 == Certificate.objects.count()
    return {"people": people, "items": items}


def remove_newest(count):
    """Delete the newest ``count`` records as an attacker would: their certificates first, and
    reopen the assignments that pointed at them."""
    newest = list(CompletionRecord.objects.order_by("-pk")[:count])
    for record in newest:
        sql(f"DELETE FROM {CERTIFICATES} WHERE record_id = %s", [record.pk])  # noqa: S608
        Assignment.objects.filter(record=record).update(record=None, status=Assignment.OPEN)
        sql(f"DELETE FROM {RECORDS} WHERE id = %s", [record.pk])  # noqa: S608
    return newest


@pytest.mark.django_db
def test_rewinding_the_head_after_deleting_the_newest_record_is_reported(world):
    remove_newest(1)
    before = CompletionRecord.objects.order_by("-pk").first()
    ChainHead.objects.filter(pk=1).update(last_hash=before.hash, count=3)
    report = services.verify_chain()
    assert not report.ok and report.checked == 3
    assert [(p.kind, p.pk) for p in report.problems] == [(HEAD, None)]
    assert "头" in report.problems[0].message or "head" in report.problems[0].message


@pytest.mark.django_db
def test_deleting_the_newest_records_without_the_key_to_rewind_says_how_many(world):
    remove_newest(2)
    report = services.verify_chain()
    assert [(p.kind, p.pk) for p in report.problems] == [(HEAD, None)]
    assert report.problems[0].message in (
        "the newest 2 records were removed (the sealed head counts 4)",
        "最新的 2 条记录被删除了（已封存的链头记有 4 条）",
    )


@pytest.mark.django_db
def test_the_next_completion_does_not_launder_a_rewound_head(world, course):
    remove_newest(1)
    before = CompletionRecord.objects.order_by("-pk").first()
    ChainHead.objects.filter(pk=1).update(last_hash=before.hash, count=3)
    services.record_completion(
        world["people"][0].user,
        kind="course",
        title="之后",
        completed_at=before.completed_at,
        method="online",
    )
    head = ChainHead.objects.get()
    assert head.count == 4
    assert (HEAD, None) in services.verify_chain().kinds()


@pytest.mark.django_db
def test_swapping_two_certificates_records_is_reported(world):
    # Both columns are unique, so through a temporary value: code A now names record B.
    first, second = Certificate.objects.order_by("pk")[:2]
    statement = f"UPDATE {CERTIFICATES} SET code = %s WHERE id = %s"  # noqa: S608
    sql(statement, ["TEMPORARY", first.pk])
    sql(statement, [first.code, second.pk])
    sql(statement, [second.code, first.pk])
    assert Certificate.objects.get(code=first.code).record_id == second.record_id
    report = services.verify_chain()
    assert report.kinds() == {(CERTIFICATE, first.pk), (CERTIFICATE, second.pk)}
    # The public check no longer vouches for either code.
    assert verify(first.code) == (None, None) and verify(second.code) == (None, None)
    # Copying a certificate's seal along with its code does not help either.
    sql(f"UPDATE {CERTIFICATES} SET seal = %s WHERE id = %s", [first.seal, second.pk])  # noqa: S608
    assert (CERTIFICATE, second.pk) in services.verify_chain().kinds()


@pytest.mark.django_db
def test_moving_a_certificate_to_another_record_is_reported(world):
    certificate = Certificate.objects.order_by("pk").first()
    spare = services.record_completion(
        world["people"][1].user,
        kind="course",
        title="无证书",
        completed_at=certificate.issued_at,
        method="online",
    )
    sql(f"UPDATE {CERTIFICATES} SET record_id = %s WHERE id = %s", [spare.pk, certificate.pk])  # noqa: S608
    assert services.verify_chain().kinds() == {(CERTIFICATE, certificate.pk)}


@pytest.mark.django_db
def test_a_completed_assignment_without_a_record_is_reported(world):
    third = world["items"][2]
    assignment = Assignment.objects.get(plan_item=third, staff=world["people"][0])
    Assignment.objects.filter(pk=assignment.pk).update(
        status=Assignment.COMPLETED, completed_at="2026-03-01T10:00:00Z"
    )
    report = services.verify_chain()
    assert report.kinds() == {(ASSIGNMENT, assignment.pk)}
    assert str(assignment.pk) in report.problems[0].message


@pytest.mark.django_db
def test_a_completed_assignment_pointing_at_another_courses_record_is_reported(world):
    person = world["people"][0]
    other = CompletionRecord.objects.filter(user=person.user).first()
    assignment = Assignment.objects.get(plan_item=world["items"][2], staff=person)
    Assignment.objects.filter(pk=assignment.pk).update(
        status=Assignment.COMPLETED, record=other, completed_at=other.completed_at
    )
    assert services.verify_chain().kinds() == {(ASSIGNMENT, assignment.pk)}


@pytest.mark.django_db
def test_a_completed_assignment_pointing_at_someone_elses_record_is_reported(world):
    first, second = world["people"]
    theirs = CompletionRecord.objects.get(user=second.user, course=world["items"][0].course)
    assignment = Assignment.objects.get(plan_item=world["items"][0], staff=first)
    Assignment.objects.filter(pk=assignment.pk).update(record=theirs)
    assert services.verify_chain().kinds() == {(ASSIGNMENT, assignment.pk)}


def rewrite_from_second_record(version):
    """An attacker's edit of the second record's score, with every later hash recomputed as
    plain SHA-256 (without the key, the only hash they can compute)."""
    records = list(CompletionRecord.objects.order_by("pk"))
    records[1].score = 100
    prev = records[0].hash
    for record in records[1:]:
        record.prev_hash = prev
        record.hash = record_hash(record, prev, LEGACY)
        sql(
            f"UPDATE {RECORDS} SET score = %s, prev_hash = %s, hash = %s, hash_version = %s "  # noqa: S608
            "WHERE id = %s",
            [record.score, record.prev_hash, record.hash, version, record.pk],
        )
        prev = record.hash
    ChainHead.objects.filter(pk=1).update(last_hash=prev)
    return records


@pytest.mark.django_db
def test_a_score_edit_with_every_later_hash_recomputed_is_reported(world):
    records = rewrite_from_second_record(KEYED)
    report = services.verify_chain()
    assert {(CONTENT, r.pk) for r in records[1:]} <= report.kinds()
    assert (HEAD, None) in report.kinds()


@pytest.mark.django_db
def test_a_score_edit_downgraded_to_the_unkeyed_scheme_is_reported(world):
    records = rewrite_from_second_record(LEGACY)
    report = services.verify_chain()
    assert {(DOWNGRADE, r.pk) for r in records[1:]} <= report.kinds()
    assert (HEAD, None) in report.kinds()


@pytest.mark.django_db
def test_rewriting_the_whole_chain_in_the_unkeyed_scheme_is_reported(world):
    records = list(CompletionRecord.objects.order_by("pk"))
    prev = "0" * 64
    for record in records:
        record.prev_hash, record.hash = prev, record_hash(record, prev, LEGACY)
        sql(
            f"UPDATE {RECORDS} SET prev_hash = %s, hash = %s, hash_version = 1 WHERE id = %s",  # noqa: S608
            [record.prev_hash, record.hash, record.pk],
        )
        prev = record.hash
    ChainHead.objects.filter(pk=1).update(last_hash=prev)
    report = services.verify_chain()
    assert {(DOWNGRADE, r.pk) for r in records} <= report.kinds()
