"""The training reports (ReportView): filters return exactly the right rows, statuses follow
the due date, and the CSV/XLSX exports are neutralised."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lms.models import Assignment
from lms.services import supersede_record
from lms.services.reports import with_status
from tests.factories import make_plan
from tests.lms.report_world import FORMULA_NAME, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(catalog):
    return build_world(catalog)


def export(client, user, name="assignments", **params):
    """The report's CSV export as a list of dicts (one per row)."""
    client.force_login(user)
    response = client.get(reverse(f"lms_reports:{name}"), {"export": "csv", **params})
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def rows(client, user, **params):
    return sorted(
        (row["Employee number"], row["Plan item"].lstrip("'"), row["Status"])
        for row in export(client, user, **params)
    )


def people(client, user, **params):
    return sorted({row["Employee number"] for row in export(client, user, **params)})


def test_statuses_of_every_row(client, world):
    got = rows(client, world.users["officer"])
    assert len(got) == 14
    assert got == sorted(
        [
            (no, "+消保基础", "Overdue")
            for no in ("manager", "100101", "100103", "100102", "manager2")
        ]
        + [("teller", "+消保基础", "Completed"), ("200101", "+消保基础", "Completed")]
        + [("manager", "投诉处理", "In progress"), ("100103", "投诉处理", "Withdrawn")]
        + [(no, "投诉处理", "Not started") for no in ("teller", "100101", "100102", "manager2")]
        + [("200101", "投诉处理", "Not started")]
    )


def test_overdue_filter_is_the_due_date_in_the_query(client, world):
    officer = world.users["officer"]
    overdue = rows(client, officer, report_status="overdue")
    # Due yesterday and still open; nothing due today is overdue yet.
    assert [row[0] for row in overdue] == sorted(
        ["manager", "100101", "100103", "100102", "manager2"]
    )
    assert {row[1] for row in overdue} == {"+消保基础"}
    assert len(rows(client, officer, report_status="not_started")) == 5
    assert len(rows(client, officer, report_status="in_progress")) == 1
    assert len(rows(client, officer, report_status="completed")) == 2
    assert len(rows(client, officer, report_status="withdrawn")) == 1


def test_status_turns_overdue_the_day_after_the_due_date(world):
    due_today = Assignment.objects.filter(plan_item=world.items[1], staff=world.staff["teller"])
    tomorrow = world.today + datetime.timedelta(days=1)
    assert with_status(due_today, world.today).get().report_status == "not_started"
    assert with_status(due_today, tomorrow).get().report_status == "overdue"


def test_unit_filter_takes_the_subtree(client, world):
    officer = world.users["officer"]
    assert people(client, officer, unit=world.units["LZ01"].pk) == sorted(
        ["manager", "teller", "100101", "100103", "100102"]
    )
    assert people(client, officer, unit=world.units["LZ0201"].pk) == ["200101", "manager2"]


def test_leavers_and_active_staff(client, world):
    officer, manager = world.users["officer"], world.users["manager"]
    assert people(client, officer, staff_state="leavers") == ["100102", "100103"]
    assert len(people(client, officer, staff_state="active")) == 5
    assert people(client, manager, staff_state="leavers") == ["100103"]


def test_plan_item_position_and_date_filters(client, world):
    officer = world.users["officer"]
    assert len(rows(client, officer, plan=world.plan.pk)) == 14
    assert len(rows(client, officer, plan_item=world.items[1].pk)) == 7
    head = world.staff["manager"].position
    assert people(client, officer, position=head.pk) == ["manager", "manager2"]
    day = "2026-03-01"  # the completions: 2026-03-01 10:30 Beijing time
    done = rows(client, officer, completed_at_from=day, completed_at_to=day)
    assert [row[0] for row in done] == ["200101", "teller"]
    assert rows(client, officer, completed_at_from="2026-03-02") == []
    yesterday = world.items[0].due_date.isoformat()
    assert len(rows(client, officer, due_date_from=yesterday, due_date_to=yesterday)) == 7


def test_csv_export_is_exact_and_neutralised(client, world):
    export_rows = export(client, world.users["manager"], unit=world.units["LZ0101"].pk)
    formula = [row for row in export_rows if row["Employee number"] == "100101"]
    assert [row["Name"] for row in formula] == ["'" + FORMULA_NAME] * 2
    teller = next(
        row
        for row in export_rows
        if row["Employee number"] == "teller" and row["Status"] == "Completed"
    )
    assert teller == {
        "Name": "王晓燕",
        "Employee number": "teller",
        "Unit code": "LZ0101",
        "Unit": "城关营业部",
        "Position": "柜员",
        "Plan": world.plan.title,
        "Plan item": "'+消保基础",
        "Due on": world.items[0].due_date.isoformat(),
        "Status": "Completed",
        "Completed at": "2026-03-01 10:30:00",
        "Method": "Online",
        "Score": "95.00",
        "Credit hours": "1.5",
    }


def test_xlsx_export_is_neutralised(client, world):
    client.force_login(world.users["officer"])
    response = client.get(reverse("lms_reports:assignments"), {"export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.iter_rows(values_only=True))
    header, body = values[0], values[1:]
    assert header[:3] == ("Name", "Employee number", "Unit code")
    names = {row[0] for row in body}
    assert "'" + FORMULA_NAME in names and FORMULA_NAME not in names
    assert {row[6] for row in body} == {"'+消保基础", "投诉处理"}
    completed = next(row for row in body if row[1] == "teller" and row[8] == "Completed")
    assert completed[9] == datetime.datetime(2026, 3, 1, 10, 30)  # Beijing time
    assert completed[11] == 95 and completed[12] == 1.5


def test_records_report_filters_and_superseded_flag(client, world):
    officer = world.users["officer"]
    old = world.records["teller"]
    new = supersede_record(old, reason="成绩登记错误", recorded_by=officer, score=98)
    got = export(client, officer, name="records")
    # Newest first (all three completed at the same moment: by record id).
    assert [(row["Record ID"], row["Superseded"]) for row in got] == [
        (str(new.pk), ""),
        (str(world.records["200101"].pk), ""),
        (str(old.pk), "Superseded"),
    ]
    by_id = {row["Record ID"]: row for row in got}
    assert by_id[str(old.pk)]["Superseded"] == "Superseded"
    assert by_id[str(new.pk)]["Superseded"] == "" and by_id[str(new.pk)]["Score"] == "98.00"
    assert by_id[str(new.pk)]["Corrects record"] == str(old.pk)
    assert by_id[str(new.pk)]["Record hash"] == new.hash
    superseded = export(client, officer, name="records", superseded="true")
    assert [row["Record ID"] for row in superseded] == [str(old.pk)]
    lz02 = export(client, officer, name="records", unit=world.units["LZ02"].pk)
    assert [row["Employee number"] for row in lz02] == ["200101"]
    assert export(client, officer, name="records", kind="quiz") == []
    assert len(export(client, officer, name="records", method="correction")) == 1


def test_records_report_plan_year(client, world):
    officer = world.users["officer"]
    make_plan(year=2025, title="2025年度计划")
    make_plan(year=2026, title="2026年度计划")
    assert len(export(client, officer, name="records", year="2026")) == 2
    assert export(client, officer, name="records", year="2025") == []


def test_report_pages_render_with_transcript_links(client, world):
    client.force_login(world.users["manager"])
    response = client.get(reverse("lms_reports:assignments"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "王晓燕" in html and "孙六" not in html
    teller = world.staff["teller"]
    assert reverse("lms_reports:transcript_pdf", args=[teller.pk]) in html
    response = client.get(reverse("lms_reports:records"))
    assert response.status_code == 200 and "王晓燕" in response.content.decode()
