"""The officer's admin pages for records: "Record a training held elsewhere" (one person, or a
spreadsheet with one attachment), "Correct this record", the attachment's download, and how
entered and corrected records show in the listing and the inspect view."""

import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from lms import services
from lms.models import Assignment, Certificate, CompletionRecord, PlanItem
from lms.services.records import outside
from lms.services.records.certificates import SUPERSEDED, verify
from tests.factories import UserFactory, make_item, make_org, make_plan, make_staff
from tests.lms.report_world import english

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% a scanned sign-in sheet\n"
RECORD = reverse("lms_outside_records:record")
IMPORT = reverse("lms_outside_records:import")
TEMPLATE = reverse("lms_outside_records:template")
RECORDS = reverse("lms_completionrecord:index")


def pdf(name="签到表.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def xlsx(rows, header=("工号", "培训项目", "完成日期", "学时", "形式", "原因")):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("外部培训.xlsx", buffer.getvalue())


@pytest.fixture
def world(officer, trainer):
    org = make_org()
    today = timezone.localdate()
    plan = make_plan(today.year)
    item = make_item(plan, "反洗钱讲座", kind=PlanItem.OFFLINE, everyone=True, credit_hours=2)
    other = make_item(plan, "适当性讲座", kind=PlanItem.OFFLINE, everyone=True, credit_hours=1)
    people = {
        "000101": make_staff("000101", org["LZ0101"], name="王芳"),
        "000102": make_staff("000102", org["LZ0102"], name="李强"),
        "000201": make_staff("000201", org["LZ0201"], name="赵敏"),
    }
    services.publish_plan(plan)
    manager = make_staff("000900", org["LZ01"], name="城关行长")
    manager.managed_units.add(org["LZ01"])
    manager_user = english(manager.user)
    manager_user.groups.add(Group.objects.get(name=services.MANAGERS))
    return {
        "org": org,
        "plan": plan,
        "item": item,
        "other": other,
        "people": people,
        "officer": english(officer),
        "trainer": english(trainer),
        "manager": manager_user,
        "yesterday": today - datetime.timedelta(days=1),
    }


def form_data(world, **changes):
    data = {
        "employee_no": "000101",
        "plan_item": world["item"].pk,
        "completed_on": world["yesterday"].isoformat(),
        "hours": "2",
        "method_detail": outside.VIDEO_MEETING,
        "reason": "总行视频会议培训",
        "attachment": pdf(),
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_the_officer_records_a_training_held_elsewhere_and_sees_where_it_comes_from(client, world):
    client.force_login(world["officer"])
    assert client.get(RECORD).status_code == 200
    menu = client.get(RECORDS).content.decode()
    assert RECORD in menu  # the menu item, shown to the officer
    response = client.post(RECORD, form_data(world))
    record = CompletionRecord.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("lms_completionrecord:inspect", args=(record.pk,))
    assignment = Assignment.objects.get(staff=world["people"]["000101"], plan_item=world["item"])
    assert assignment.status == Assignment.COMPLETED and assignment.record == record
    html = client.get(response.url).content.decode()
    assert "data-record-entered" in html and "Recorded by an officer" in html
    assert "总行视频会议培训" in html and "Video meeting" in html
    assert reverse("lms_completionrecord:attachment", args=(record.pk,)) in html
    assert reverse("lms_completionrecord:correct", args=(record.pk,)) in html
    listing = client.get(RECORDS, {"method": CompletionRecord.OFFICER_IMPORT}).content.decode()
    assert "Recorded by an officer" in listing and "officer" in listing
    by_recorder = client.get(RECORDS, {"recorded_by": world["officer"].pk}).content.decode()
    assert "反洗钱讲座" in by_recorder


def test_reason_and_attachment_are_required_with_translated_form_errors(client, world):
    client.force_login(world["officer"])
    response = client.post(RECORD, form_data(world, reason=None, attachment=None))
    html = response.content.decode()
    assert response.status_code == 200 and html.count("This field is required.") == 2
    response = client.post(RECORD, form_data(world, attachment=pdf("evil.exe")))
    assert "must be a PDF, JPG, PNG or XLSX file" in response.content.decode()
    future = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    response = client.post(RECORD, form_data(world, completed_on=future))
    assert "cannot be in the future" in response.content.decode()
    response = client.post(RECORD, form_data(world, employee_no="999999"))
    assert "No one on the roster has employee number 999999." in response.content.decode()
    assert not CompletionRecord.objects.exists()
    english(world["officer"], "zh-hans")
    response = client.post(RECORD, form_data(world, reason=None))
    html = response.content.decode()
    assert "必需字段" in html and "This field is required." not in html


@pytest.mark.parametrize("who", ["manager", "trainer"])
def test_a_manager_and_a_trainer_cannot_record_or_correct(client, world, who):
    client.force_login(world["officer"])
    client.post(RECORD, form_data(world))
    record = CompletionRecord.objects.get()
    client.force_login(world[who])
    assert client.get(RECORD).status_code in (302, 403)
    assert client.post(RECORD, form_data(world, employee_no="000102")).status_code in (302, 403)
    assert client.get(IMPORT).status_code in (302, 403)
    assert client.get(TEMPLATE).status_code in (302, 403)
    correct = reverse("lms_completionrecord:correct", args=(record.pk,))
    response = client.post(correct, {"reason": "x", "title": "改", "credit_hours": "1"})
    assert response.status_code in (302, 403)
    assert CompletionRecord.objects.count() == 1
    assert RECORD not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_attachment_reaches_the_officer_and_a_manager_in_scope_only(client, world):
    client.force_login(world["officer"])
    client.post(RECORD, form_data(world))  # 000101 of LZ0101, under the manager's LZ01
    client.post(RECORD, form_data(world, employee_no="000201"))  # LZ0201: outside it
    inside, outside_scope = CompletionRecord.objects.order_by("pk")
    url = reverse("lms_completionrecord:attachment", args=(inside.pk,))
    other_url = reverse("lms_completionrecord:attachment", args=(outside_scope.pk,))
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]
    client.force_login(world["manager"])
    assert client.get(url).status_code == 200
    assert client.get(other_url).status_code == 404
    client.force_login(world["people"]["000102"].user)  # a learner
    assert client.get(url).status_code in (302, 403)
    client.force_login(world["trainer"])
    assert client.get(url).status_code in (302, 403)
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and "login" in response.url
    assert outside.attachment_of(inside)["path"] not in str(client.get(url).content)


def test_a_correction_keeps_the_old_record_and_the_old_certificate_verifies_as_superseded(
    client, world
):
    client.force_login(world["officer"])
    client.post(RECORD, form_data(world))
    old = CompletionRecord.objects.get()
    certificate = Certificate.objects.get(record=old)
    url = reverse("lms_completionrecord:correct", args=(old.pk,))
    page = client.get(url).content.decode()
    assert "反洗钱讲座" in page  # the form starts from the record's values
    response = client.post(
        url,
        {
            "completed_on": world["yesterday"].isoformat(),
            "credit_hours": "3",
            "title": old.title,
            "reason": "",
        },
    )
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    response = client.post(
        url,
        {
            "completed_on": world["yesterday"].isoformat(),
            "credit_hours": "3",
            "title": old.title,
            "score": "",
            "reason": "学时登记有误",
        },
    )
    new = CompletionRecord.objects.exclude(pk=old.pk).get()
    assert response.status_code == 302 and new.supersedes_id == old.pk
    assert str(new.credit_hours) == "3.0" and new.method == CompletionRecord.CORRECTION
    assignment = Assignment.objects.get(staff=world["people"]["000101"], plan_item=world["item"])
    assert assignment.record_id == new.pk
    assert verify(certificate.code) == (certificate, SUPERSEDED)
    old_page = client.get(reverse("lms_completionrecord:inspect", args=(old.pk,))).content.decode()
    assert "data-record-superseded" in old_page and "学时登记有误" in old_page
    assert url not in old_page  # a superseded record is corrected through its correction
    new_page = client.get(reverse("lms_completionrecord:inspect", args=(new.pk,))).content.decode()
    assert "data-record-corrects" in new_page and "学时登记有误" in new_page


def test_the_bulk_import_is_all_or_nothing_with_row_numbers_and_a_dry_run(client, world):
    client.force_login(world["officer"])
    template = client.get(TEMPLATE)
    assert template.status_code == 200
    header = [c.value for c in next(load_workbook(io.BytesIO(template.content)).active.rows)]
    assert header == ["工号", "培训项目", "完成日期", "学时", "形式", "原因"]
    day = world["yesterday"].isoformat()
    bad = [
        ["000101", "反洗钱讲座", day, "2", "监管讲座", "人行讲座"],
        ["999999", "反洗钱讲座", day, "2", "监管讲座", "人行讲座"],
        ["000102", "不存在的项目", day, "2", "视频会议", "总行会议"],
        ["000201", str(world["other"].pk), "2026-13-01", "2", "飞鸽传书", ""],
    ]
    data = {"plan": world["plan"].pk, "file": xlsx(bad), "attachment": pdf()}
    html = client.post(IMPORT, data).content.decode()
    assert "data-import-errors" in html
    for row in (3, 4, 5):
        assert f"<td>{row}</td>" in html
    assert "<td>2</td>" not in html and "999999" in html and "不存在的项目" in html
    assert not CompletionRecord.objects.exists()
    good = [
        ["000101", "反洗钱讲座", day, "2", "监管讲座", "人行讲座"],
        ["000102", str(world["other"].pk), day, "1.5", "paper sign-in", "纸质签到表"],
    ]
    data = {"plan": world["plan"].pk, "file": xlsx(good), "attachment": pdf(), "dry_run": "on"}
    html = client.post(IMPORT, data).content.decode()
    assert "data-outside-changes" in html and "李强 (000102)" in html
    assert not CompletionRecord.objects.exists()
    data = {"plan": world["plan"].pk, "file": xlsx(good), "attachment": pdf()}
    html = client.post(IMPORT, data).content.decode()
    records = list(CompletionRecord.objects.order_by("pk"))
    assert len(records) == 2 and "2 completions recorded." in html
    paths = {r.evidence["attachment"]["path"] for r in records}
    assert len(paths) == 1  # one attachment, referenced by every record
    assert {r.evidence["held_as"] for r in records} == {"regulator_lecture", "paper_sign_in"}
    assert all(r.recorded_by == world["officer"] for r in records)
    assert Assignment.objects.filter(status=Assignment.COMPLETED, record__isnull=False).count() == 2
    assert Certificate.objects.count() == 2


def test_the_bulk_import_needs_an_attachment(client, world):
    client.force_login(world["officer"])
    day = world["yesterday"].isoformat()
    rows = [["000101", "反洗钱讲座", day, "2", "监管讲座", "人行讲座"]]
    html = client.post(IMPORT, {"plan": world["plan"].pk, "file": xlsx(rows)}).content.decode()
    assert "This field is required." in html and not CompletionRecord.objects.exists()


def test_a_superuser_who_is_not_an_officer_may_record(client, world):
    root = english(UserFactory(username="root2", is_superuser=True, is_staff=True))
    client.force_login(root)
    assert client.post(RECORD, form_data(world)).status_code == 302
    assert CompletionRecord.objects.get().recorded_by == root
