"""Completion records: exactly one per completion, append-only, corrections supersede, and the
hash chain catches edits made behind the application's back."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from lms import services
from lms.models import Assignment, Certificate, CompletionRecord
from lms.models.records import ImmutableRecord
from quizzes import services as quiz_services
from tests.factories import (
    choice_ids,
    finish_lesson,
    lessons_of,
    make_category,
    make_item,
    make_org,
    make_plan,
    make_position,
    make_question,
    make_quiz,
    make_staff,
)


@pytest.fixture
def staff(db):
    org = make_org()
    return make_staff("000301", org["LZ0101"], make_position(), date(2020, 1, 1), name="王晓燕")


@pytest.fixture
def assigned_course(staff, course):
    plan = make_plan()
    item = make_item(plan, course.title, course=course, everyone=True)
    services.publish_plan(plan)
    return item


@pytest.mark.django_db
def test_completing_a_course_writes_exactly_one_record_and_completes_the_assignment(
    staff, course, assigned_course
):
    user = staff.user
    lessons = lessons_of(course)
    finish_lesson(user, lessons[0])
    assignment = Assignment.objects.get(staff=staff, plan_item=assigned_course)
    assert assignment.started_at is not None and assignment.status == Assignment.OPEN
    for lesson in lessons:
        finish_lesson(user, lesson)
        finish_lesson(user, lesson)  # repeated: nothing more
    assert CompletionRecord.objects.count() == 1
    record = CompletionRecord.objects.get()
    assert (record.user, record.staff, record.course_id) == (user, staff, course.pk)
    assert record.content_revision_id == course.live_revision_id
    assert record.method == CompletionRecord.ONLINE and record.credited_unit == staff.org_unit
    assert record.credit_hours == course.credit_hours
    assignment.refresh_from_db()
    assert assignment.status == Assignment.COMPLETED and assignment.record_id == record.pk


@pytest.mark.django_db
def test_records_cannot_be_changed_or_deleted_through_the_orm(staff, course, assigned_course):
    for lesson in lessons_of(course):
        finish_lesson(staff.user, lesson)
    record = CompletionRecord.objects.get()
    record.title = "改过"
    with pytest.raises(ImmutableRecord):
        record.save()
    with pytest.raises(ImmutableRecord):
        record.delete()
    with pytest.raises(ImmutableRecord):
        CompletionRecord.objects.filter(pk=record.pk).update(title="改过")
    with pytest.raises(ImmutableRecord):
        CompletionRecord.objects.all().delete()
    assert CompletionRecord.objects.get().title == course.title


@pytest.mark.django_db
def test_a_correction_supersedes_and_keeps_the_old_record(
    staff, course, assigned_course, admin_user
):
    for lesson in lessons_of(course):
        finish_lesson(staff.user, lesson)
    old = CompletionRecord.objects.get()
    new = services.supersede_record(old, reason="线下补录成绩", recorded_by=admin_user, score=90)
    assert new.supersedes == old and new.method == CompletionRecord.CORRECTION
    assert list(old.superseded_by.all()) == [new]
    assert CompletionRecord.objects.count() == 2
    with pytest.raises(ValueError):
        services.supersede_record(old, reason=" ", recorded_by=admin_user)
    report = services.verify_chain()
    assert (report.ok, report.checked) == (True, 2)
    # The assignment the old record completed is now completed by the correction.
    assert Assignment.objects.get(plan_item=assigned_course).record == new


@pytest.mark.django_db
def test_the_chain_catches_a_raw_sql_edit(staff, course, assigned_course):
    for lesson in lessons_of(course):
        finish_lesson(staff.user, lesson)
    out = StringIO()
    call_command("lms_verify_records", stdout=out)
    assert "1" in out.getvalue()
    table = CompletionRecord._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET score = 100")  # noqa: S608 - test of tampering
    report = services.verify_chain()
    record = CompletionRecord.objects.get()
    assert not report.ok and report.checked == 1
    problem = report.problems[0]
    assert (problem.kind, problem.pk) == ("content", record.pk)
    assert problem.message == f"第 {record.pk} 条记录：内容与其哈希不符（记录被改动过）"
    # Its certificate is sealed to the record's hash, which did not change: only one problem.
    assert report.total == 1
    with pytest.raises(CommandError):
        call_command("lms_verify_records", stdout=StringIO())


@pytest.mark.django_db
def test_the_chain_catches_a_deleted_record(staff, course, catalog):
    from tests.factories import make_course

    second = make_course(catalog, title="第二门", slug="second", lessons=1)
    for target in (course, second):
        for lesson in lessons_of(target):
            finish_lesson(staff.user, lesson)
    assert services.verify_chain().ok
    first = CompletionRecord.objects.order_by("pk").first()
    with connection.cursor() as cursor:
        # A tamperer removes the record and what points at it (its certificate).
        cursor.execute(
            f"DELETE FROM {Certificate._meta.db_table} WHERE record_id = %s",  # noqa: S608
            [first.pk],
        )
        cursor.execute(
            f"DELETE FROM {CompletionRecord._meta.db_table} WHERE id = %s",  # noqa: S608
            [first.pk],
        )
    report = services.verify_chain()
    second = CompletionRecord.objects.order_by("pk").first()
    assert not report.ok and report.checked == 1
    # The broken link; the head still counts the deleted record, so it is reported as well.
    assert [(p.kind, p.pk) for p in report.problems] == [("link", second.pk), ("head", None)]
    assert report.problems[0].message == (
        f"第 {second.pk} 条记录：哈希链断裂（有记录被删除或调换了顺序）"
    )


@pytest.mark.django_db
def test_a_passed_standalone_quiz_in_the_plan_is_recorded_with_its_attempt(staff):
    question = make_question(make_category())
    quiz = make_quiz([question], title="年度测试")
    plan = make_plan()
    item = make_item(plan, "年度测试", quiz=quiz, everyone=True, credit_hours=2)
    services.publish_plan(plan)
    attempt, _created = quiz_services.start_attempt(staff.user, quiz)
    quiz_services.save_answer(attempt, question.pk, choice_ids(attempt, question.pk))
    quiz_services.submit_attempt(attempt)
    record = CompletionRecord.objects.get()
    assert (record.kind, record.attempt_id, str(record.score)) == ("quiz", attempt.pk, "100.00")
    assert record.credit_hours == 2
    assert Assignment.objects.get(plan_item=item).status == Assignment.COMPLETED


@pytest.mark.django_db
def test_a_failed_quiz_records_nothing(staff):
    question = make_question(make_category())
    quiz = make_quiz([question], title="年度测试")
    plan = make_plan()
    make_item(plan, "年度测试", quiz=quiz, everyone=True)
    services.publish_plan(plan)
    attempt, _created = quiz_services.start_attempt(staff.user, quiz)
    quiz_services.submit_attempt(attempt)
    assert not CompletionRecord.objects.exists()


@pytest.mark.django_db
def test_publishing_credits_completions_made_earlier_in_the_year(staff, course):
    for lesson in lessons_of(course):
        finish_lesson(staff.user, lesson)
    record = CompletionRecord.objects.get()
    plan = make_plan()
    item = make_item(plan, course.title, course=course, everyone=True)
    services.publish_plan(plan)
    assignment = Assignment.objects.get(plan_item=item)
    assert assignment.status == Assignment.COMPLETED and assignment.record_id == record.pk
    assert CompletionRecord.objects.count() == 1
