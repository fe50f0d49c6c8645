"""An attacker with write access to the database (but not to the chain key) tries to change the
evidence without ``lms_verify_records`` noticing: every attempt here must be reported."""

from datetime import date

import pytest
from django.db import connection

from lms import services
from lms.models import Assignment, Certificate, ChainHead, CompletionRecord
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


@pytest.mark.django_db
def test_rewinding_the_head_after_deleting_the_newest_record_is_reported(world):
    newest = CompletionRecord.objects.order_by("-pk").first()
    before = CompletionRecord.objects.order_by("-pk")[1]
    sql(f"DELETE FROM {CERTIFICATES} WHERE record_id = %s", [newest.pk])  # noqa: S608
    Assignment.objects.filter(record=newest).update(record=None, status=Assignment.OPEN)
    sql(f"DELETE FROM {RECORDS} WHERE id = %s", [newest.pk])  # noqa: S608
    ChainHead.objects.filter(pk=1).update(last_hash=before.hash, count=3)
    assert not services.verify_chain()[0]


@pytest.mark.django_db
def test_swapping_two_certificates_records_is_reported(world):
    # Both columns are unique, so through a temporary value: code A now names record B.
    first, second = Certificate.objects.order_by("pk")[:2]
    statement = f"UPDATE {CERTIFICATES} SET code = %s WHERE id = %s"  # noqa: S608
    sql(statement, ["TEMPORARY", first.pk])
    sql(statement, [first.code, second.pk])
    sql(statement, [second.code, first.pk])
    assert Certificate.objects.get(code=first.code).record_id == second.record_id
    assert not services.verify_chain()[0]


@pytest.mark.django_db
def test_a_completed_assignment_without_a_record_is_reported(world):
    third = world["items"][2]
    Assignment.objects.filter(plan_item=third, staff=world["people"][0]).update(
        status=Assignment.COMPLETED, completed_at="2026-03-01T10:00:00Z"
    )
    assert not services.verify_chain()[0]


@pytest.mark.django_db
def test_a_completed_assignment_pointing_at_another_courses_record_is_reported(world):
    person = world["people"][0]
    other = CompletionRecord.objects.filter(user=person.user).first()
    Assignment.objects.filter(plan_item=world["items"][2], staff=person).update(
        status=Assignment.COMPLETED, record=other, completed_at=other.completed_at
    )
    assert not services.verify_chain()[0]


@pytest.mark.django_db
def test_a_score_edit_with_every_later_hash_recomputed_is_reported(world):
    from lms.services.records.chain import record_hash

    records = list(CompletionRecord.objects.order_by("pk"))
    records[1].score = 100
    prev = records[0].hash
    for record in records[1:]:
        record.prev_hash = prev
        record.hash = record_hash(record, prev)
        sql(
            f"UPDATE {RECORDS} SET score = %s, prev_hash = %s, hash = %s WHERE id = %s",  # noqa: S608
            [record.score, record.prev_hash, record.hash, record.pk],
        )
        prev = record.hash
    ChainHead.objects.filter(pk=1).update(last_hash=prev)
    assert not services.verify_chain()[0]
