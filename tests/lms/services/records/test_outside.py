"""Completions held elsewhere, entered by an officer, and officers' corrections: they complete
the person's assignment, say who recorded them and why, carry a hashed attachment, and a
correction keeps the old record."""

import datetime
import hashlib
import json
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone, translation

from lms import services
from lms.models import Assignment, Certificate, CompletionRecord, PlanItem
from lms.services import dashboard
from lms.services.records import outside
from lms.services.records.certificates import SUPERSEDED, VALID, verify
from lms.services.records.transcripts import transcript
from lms.services.records.verification import CONTENT, verify_chain
from lms.services.reports import evidence_headings, evidence_rows
from lms.services.scope import is_manager
from tests.factories import make_item, make_org, make_plan, make_staff

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% a scanned sign-in sheet\n"


def pdf(name="签到表.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def world(officer):
    org = make_org()
    today = timezone.localdate()
    plan = make_plan(today.year)
    item = make_item(plan, "反洗钱讲座", kind=PlanItem.OFFLINE, everyone=True, credit_hours=2)
    people = {
        "000101": make_staff("000101", org["LZ0101"], name="王芳"),
        "000102": make_staff("000102", org["LZ0102"], name="李强"),
    }
    services.publish_plan(plan)
    return {"org": org, "plan": plan, "item": item, "people": people, "officer": officer}


def enter(world, who="000101", **changes):
    arguments = {
        "officer": world["officer"],
        "staff": world["people"][who],
        "plan_item": world["item"],
        "completed_on": timezone.localdate() - datetime.timedelta(days=3),
        "hours": "1.5",
        "method_detail": outside.REGULATOR_LECTURE,
        "reason": "人民银行组织的线下讲座",
        "attachment": pdf(),
    }
    arguments.update(changes)
    return outside.record_outside(**arguments)


def test_an_outside_completion_completes_the_open_assignment_and_counts_on_the_dashboard(world):
    person = world["people"]["000101"]
    before = dashboard.team_overview(world["officer"], world["plan"])
    assert (before.total.assigned, before.total.completed) == (2, 0)

    record = enter(world)

    assignment = Assignment.objects.get(staff=person, plan_item=world["item"])
    assert assignment.status == Assignment.COMPLETED and assignment.record == record
    assert record.method == CompletionRecord.OFFICER_IMPORT
    assert record.recorded_by == world["officer"] and record.reason == "人民银行组织的线下讲座"
    assert record.kind == PlanItem.OFFLINE and record.credit_hours == Decimal("1.5")
    assert record.credited_unit == person.org_unit
    assert timezone.localtime(record.completed_at).date() == (
        timezone.localdate() - datetime.timedelta(days=3)
    )
    evidence = record.evidence
    assert evidence["held_as"] == outside.REGULATOR_LECTURE
    assert evidence["plan_item"] == world["item"].pk
    assert evidence["attachment"]["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert evidence["attachment"]["size"] == len(PDF)
    assert evidence["attachment"]["name"] == "签到表.pdf"
    assert Certificate.objects.filter(record=record).count() == 1
    after = dashboard.team_overview(world["officer"], world["plan"])
    assert (after.total.assigned, after.total.completed) == (2, 1)


def test_the_attachment_is_stored_privately_and_handed_out_only_while_its_hash_holds(world):
    record = enter(world)
    stored, attachment = outside.open_attachment(record)
    assert stored.read() == PDF
    path = attachment["path"]
    assert path.startswith("record-attachments/")
    storage = outside.private_storage()
    with pytest.raises(NotImplementedError):
        storage.url(path)  # no URL: nothing serves it but the permission-checked view
    assert not str(storage.path(path)).startswith(str(settings.MEDIA_ROOT))
    storage.delete(path)
    storage.save(path, pdf(content=PDF + b"forged"))
    with translation.override("en"), pytest.raises(outside.OutsideRecordError) as caught:
        outside.open_attachment(record)
    assert "was changed" in str(caught.value)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"reason": "  "}, "reason", "Give the reason"),
        ({"attachment": None}, "attachment", "Attach the evidence"),
        ({"attachment": pdf("a.exe", b"MZ")}, "attachment", "PDF, JPG, PNG or XLSX"),
        ({"attachment": pdf("a.pdf", b"\x89PNG\r\n\x1a\n")}, "attachment", "not the PDF file"),
        (
            {"completed_on": timezone.localdate() + datetime.timedelta(days=1)},
            "completed_on",
            "future",
        ),
        ({"hours": "1000"}, "hours", "from 0 to 999.9"),
        ({"hours": "-1"}, "hours", "from 0 to 999.9"),
        ({"hours": "1.25"}, "hours", "one decimal place"),
        ({"hours": "two"}, "hours", "from 0 to 999.9"),
        ({"method_detail": "carrier pigeon"}, "method_detail", "how the training was held"),
    ],
)
def test_bad_entries_are_refused_with_a_translated_message_and_nothing_is_written(
    world, changes, field, message
):
    with translation.override("en"), pytest.raises(outside.OutsideRecordError) as caught:
        enter(world, **changes)
    assert caught.value.field == field
    assert message in str(caught.value)
    assert not CompletionRecord.objects.exists()
    assert not Assignment.objects.filter(status=Assignment.COMPLETED).exists()


def test_the_messages_are_translated(world):
    with translation.override("zh-hans"), pytest.raises(outside.OutsideRecordError) as caught:
        enter(world, reason="")
    assert caught.value.field == "reason"


def test_a_manager_and_a_trainer_cannot_record(world, trainer):
    manager = world["people"]["000102"].user
    world["people"]["000102"].managed_units.add(world["org"]["LZ"])
    assert is_manager(manager)
    for user in (manager, trainer):
        assert not outside.may_record_outside(user)
        with pytest.raises(outside.OutsideRecordError):
            enter(world, officer=user)
    assert not CompletionRecord.objects.exists()


def test_someone_not_assigned_or_already_done_is_refused(world):
    other_plan = make_plan(world["plan"].year, title="另一个计划")
    unassigned = make_item(other_plan, "未发布的项目", kind=PlanItem.OFFLINE, everyone=True)
    with translation.override("en"), pytest.raises(outside.OutsideRecordError) as caught:
        enter(world, plan_item=unassigned)
    assert "is not assigned" in str(caught.value)
    enter(world)
    with translation.override("en"), pytest.raises(outside.OutsideRecordError) as caught:
        enter(world)
    assert "correct the existing record" in str(caught.value)
    assert CompletionRecord.objects.count() == 1


def test_a_correction_keeps_the_old_record_moves_the_assignment_and_supersedes_the_certificate(
    world,
):
    old = enter(world)
    old_certificate = Certificate.objects.get(record=old)
    day = timezone.localdate() - datetime.timedelta(days=5)
    new = outside.correct_record(
        old, officer=world["officer"], reason="签到表日期抄错", completed_on=day, credit_hours="2"
    )
    assert CompletionRecord.objects.filter(pk=old.pk).exists()
    assert new.supersedes == old and new.method == CompletionRecord.CORRECTION
    assert new.reason == "签到表日期抄错" and new.recorded_by == world["officer"]
    assert new.credit_hours == Decimal("2.0")
    assert timezone.localtime(new.completed_at).date() == day
    assignment = Assignment.objects.get(staff=world["people"]["000101"], plan_item=world["item"])
    assert assignment.record == new and assignment.status == Assignment.COMPLETED
    assert verify(old_certificate.code) == (old_certificate, SUPERSEDED)
    new_certificate = Certificate.objects.get(record=new)
    assert verify(new_certificate.code)[1] == VALID
    with translation.override("en"), pytest.raises(outside.OutsideRecordError) as caught:
        outside.correct_record(old, officer=world["officer"], reason="再改", title="x")
    assert "corrected already" in str(caught.value)


def test_a_correction_needs_a_reason_a_change_and_an_officer(world, trainer):
    old = enter(world)
    with translation.override("en"):
        with pytest.raises(outside.OutsideRecordError, match="reason"):
            outside.correct_record(old, officer=world["officer"], reason=" ", title="新标题")
        with pytest.raises(outside.OutsideRecordError, match="Nothing was changed"):
            outside.correct_record(old, officer=world["officer"], reason="无", title=old.title)
        with pytest.raises(outside.OutsideRecordError, match="officer"):
            outside.correct_record(old, officer=trainer, reason="无", title="新标题")
        with pytest.raises(outside.OutsideRecordError, match="0 to 100"):
            outside.correct_record(old, officer=world["officer"], reason="无", score=Decimal("101"))
    assert CompletionRecord.objects.count() == 1


def test_the_verifier_passes_with_such_records_and_catches_an_edited_attachment_hash(world):
    old = enter(world)
    outside.correct_record(old, officer=world["officer"], reason="学时有误", credit_hours="2")
    assert verify_chain().ok
    evidence = dict(old.evidence)
    evidence["attachment"] = {**evidence["attachment"], "sha256": "0" * 64}
    table = CompletionRecord._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET evidence = %s WHERE id = %s",  # noqa: S608
            [json.dumps(evidence), old.pk],
        )
    report = verify_chain()
    assert not report.ok
    assert (CONTENT, old.pk) in report.kinds()


def test_entered_and_corrected_records_are_labelled_in_the_export_and_the_transcript(world):
    officer = world["officer"]
    officer.first_name, officer.last_name = "消保专员", ""
    officer.save()
    old = enter(world)
    outside.correct_record(old, officer=officer, reason="学时有误", credit_hours="2")
    enter(world, who="000102", reason="视频会议补录")
    with translation.override("en"):
        headings = evidence_headings()
        rows = [
            dict(zip(headings, row, strict=True)) for row in evidence_rows(officer, world["plan"])
        ]
        by_person = {row["Employee number"]: row for row in rows}
        corrected, entered = by_person["000101"], by_person["000102"]
        assert (corrected["Method"], corrected["Recorded by"]) == ("Correction", "消保专员")
        assert corrected["Reason"] == "学时有误"
        assert (entered["Method"], entered["Reason"]) == ("Recorded by an officer", "视频会议补录")
        person = world["people"]["000101"]
        lines = [row[2] for row in transcript(person).record_rows()]
    assert lines == [
        "Recorded by an officer · 消保专员: 人民银行组织的线下讲座",
        "Correction · 消保专员: 学时有误",
    ]
