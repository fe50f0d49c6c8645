"""The regulator evidence export: every person × item of a plan in the user's scope, streamed
as CSV with a BOM, formula-like cells neutralised, in constant queries."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lms.services.exports import neutralise, stream_csv
from tests.factories import make_staff
from tests.lms.report_world import assign, build_world, complete, english

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(catalog):
    return build_world(catalog)


def download(client, user, plan):
    client.force_login(user)
    response = client.get(reverse("lms_reports:evidence_csv", args=[plan.pk]))
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content)


def test_neutralise_prefixes_formula_text_only():
    cases = ["=1+1", "+86", "-2", "@SUM(A1)", "\tx", "\rx", "普通", "", "a=b"]
    assert [neutralise(value) for value in cases] == [
        "'=1+1",
        "'+86",
        "'-2",
        "'@SUM(A1)",
        "'\tx",
        "'\rx",
        "普通",
        "",
        "a=b",
    ]
    assert neutralise(-2) == -2 and neutralise(None) is None


def test_stream_csv_sends_the_headings_before_reading_any_row():
    def rows():
        raise AssertionError("read too early")
        yield ()

    stream = stream_csv(["姓名"], rows())
    assert next(stream) == "\ufeff姓名\r\n".encode()


def test_the_managers_export_is_exact(client, world):
    body = download(client, world.users["manager"], world.plan)
    record = world.records["teller"]
    head = (
        "Employee number,Name,Position,Staff status,Unit code,Unit,Plan item,Kind,Due on,"
        "Status,Completed at (Beijing time),Method,Score,Credit hours,Time spent,Content revision,"
        "Credited unit code,Credited unit,Record ID,Record hash,Recorded by,Reason,"
        "Exemption / extension,Exemption reason,Granted by,Granted at"
    )
    yesterday, today = (item.due_date.isoformat() for item in world.items)

    def row(no, name, position, state, item, due, status, done=",,,,,,,,,,,"):
        unit = "LZ0101,城关营业部"
        no_exemption = ",,,"
        return (
            f"{no},{name},{position},{state},{unit},{item},Online course,{due},{status},{done},"
            f"{no_exemption}"
        )

    expected = [
        head,
        row("manager", "张建国", "网点负责人", "Active", "'+消保基础", yesterday, "Overdue"),
        row("manager", "张建国", "网点负责人", "Active", "投诉处理", today, "In progress"),
        row(
            "teller",
            "王晓燕",
            "柜员",
            "Active",
            "'+消保基础",
            yesterday,
            "Completed",
            f"2026-03-01 10:30:00,Online,95.00,1.5,,,LZ0101,城关营业部,{record.pk},{record.hash},,",
        ),
        row("teller", "王晓燕", "柜员", "Active", "投诉处理", today, "Not started"),
        row(
            "100101",
            '"\'=HYPERLINK(""http://evil.example/"",""点我"")"',
            "柜员",
            "Active",
            "'+消保基础",
            yesterday,
            "Overdue",
        ),
        row(
            "100101",
            '"\'=HYPERLINK(""http://evil.example/"",""点我"")"',
            "柜员",
            "Active",
            "投诉处理",
            today,
            "Not started",
        ),
        row("100103", "钱五", "柜员", "Left", "'+消保基础", yesterday, "Overdue"),
        row("100103", "钱五", "柜员", "Left", "投诉处理", today, "Withdrawn"),
    ]
    assert body.startswith(b"\xef\xbb\xbf")
    assert body.decode("utf-8-sig") == "\r\n".join(expected) + "\r\n"


def test_the_officer_exports_the_whole_branch(client, world):
    lines = download(client, world.users["officer"], world.plan).decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + 7 * 2
    assert sorted({line.split(",")[0] for line in lines[1:]}) == sorted(world.staff)


def test_export_queries_do_not_grow_with_rows(client, world):
    officer = world.users["officer"]
    client.force_login(officer)
    url = reverse("lms_reports:evidence_csv", args=[world.plan.pk])

    def count():
        with CaptureQueriesContext(connection) as queries:
            body = b"".join(client.get(url).streaming_content)
        return len(queries), body.count(b"\n") - 1

    count()  # the first request after login also saves the session
    small = count()
    for number in range(18):
        person = make_staff(f"3{number:05d}", world.units["LZ0102"], name=f"员工{number}")
        for item in world.items:
            assign(person, item)
    large = count()
    assert small[1] == 14 and large[1] == 14 + 36
    assert small[0] == large[0], (small, large)


def test_the_evidence_page_lists_plans_with_a_download_button(client, world):
    client.force_login(world.users["manager2"])
    response = client.get(reverse("lms_reports:evidence"))
    html = response.content.decode()
    assert response.status_code == 200
    assert world.plan.title in html
    assert reverse("lms_reports:evidence_csv", args=[world.plan.pk]) in html


def evidence_lines(client, world):
    body = download(client, world.users["manager"], world.plan).decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(body)))
    return lines[0], {
        (line[0], line[6]): dict(zip(lines[0], line, strict=True)) for line in lines[1:]
    }


def test_time_spent_is_minutes_and_seconds_and_empty_without_it(client, world):
    item = world.items[1]
    complete(
        world.assignments["teller", 1],
        at=timezone.make_aware(datetime.datetime.combine(item.due_date, datetime.time(9))),
        evidence={"time_spent_seconds": 754},
    )
    head, rows = evidence_lines(client, world)
    assert head.index("Time spent") == head.index("Credit hours") + 1
    assert rows["teller", "投诉处理"]["Time spent"] == "12 min 34 s"
    # A record without reading time (the first item's) and an assignment without a record.
    assert rows["teller", "'+消保基础"]["Time spent"] == ""
    assert rows["manager", "投诉处理"]["Time spent"] == ""


def test_time_spent_in_chinese(client, world):
    complete(world.assignments["teller", 1], evidence={"time_spent_seconds": 754})
    english(world.users["manager"], "zh-hans")
    _head, rows = evidence_lines(client, world)
    assert rows["teller", "投诉处理"]["学习时长"] == "12分34秒"


def test_a_late_completion_says_how_late(client, world):
    # Due yesterday (Beijing); completed at 00:30 Beijing three days after it: 16:30 UTC the
    # day before, so a UTC date would count only two days.
    item = world.items[0]
    at = datetime.datetime.combine(
        item.due_date + datetime.timedelta(days=2), datetime.time(16, 30), tzinfo=datetime.UTC
    )
    complete(world.assignments["manager", 0], at=at)
    _head, rows = evidence_lines(client, world)
    assert rows["manager", "'+消保基础"]["Status"] == "Completed (3 days late)"
    assert rows["teller", "'+消保基础"]["Status"] == "Completed"  # on time
    english(world.users["manager"], "zh-hans")
    _head, rows = evidence_lines(client, world)
    assert rows["manager", "'+消保基础"]["状态"] == "已完成（逾期3天）"
