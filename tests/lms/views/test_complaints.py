"""The complaint loop pages: overdue loops first, scope (a manager sees their units' complaints
only; another unit's complaint is a 404; a learner gets the not-a-manager page), the ledger with
the records' hashes, a unit's complaints before and after its training, constant queries."""

import csv
import io
from datetime import date, timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from lms.models import Assignment, Complaint, CompletionRecord
from lms.services.complaints.targeting import apply_rules
from tests.factories import UserFactory
from tests.lms.complaints_support import build_world, complaint
from tests.lms.compliance_support import at, complete

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(catalog):
    world = build_world(catalog)
    world["officer"] = UserFactory(username="officer", is_superuser=True)
    head = world["people"]["H"]
    head.managed_units.add(world["org"]["LZ0101"])
    done = complaint(world, "C-DONE", staff=("T2",))
    late = complaint(world, "C-LATE", staff=("T1",))
    other = complaint(world, "C-EAST", staff=("T3",), unit="LZ0102")
    apply_rules([done, late, other])
    complete(world["people"]["T2"], world["course"], timezone.now())
    Assignment.objects.filter(staff=world["people"]["T1"]).update(
        due_date=world["today"] - timedelta(days=2)
    )
    return world


def numbers_listed(html):
    return [n for n in ("C-LATE", "C-EAST", "C-DONE") if n in html]


def test_the_officer_sees_every_loop_overdue_first(client, world):
    client.force_login(world["officer"])
    html = client.get(reverse("lms:complaints")).content.decode()
    order = sorted(numbers_listed(html), key=html.index)
    assert order == ["C-LATE", "C-EAST", "C-DONE"]  # overdue, in progress, rectified
    assert "整改完成" in html and "整改培训逾期" in html
    overdue = client.get(reverse("lms:complaints"), {"state": "overdue"}).content.decode()
    assert numbers_listed(overdue) == ["C-LATE"]


def test_a_manager_sees_their_units_only(client, world):
    client.force_login(world["people"]["H"].user)
    html = client.get(reverse("lms:complaints")).content.decode()
    assert set(numbers_listed(html)) == {"C-LATE", "C-DONE"}
    east = Complaint.objects.get(number="C-EAST")
    assert client.get(reverse("lms:complaint", args=[east.pk])).status_code == 404
    mine = Complaint.objects.get(number="C-DONE")
    page = client.get(reverse("lms:complaint", args=[mine.pk])).content.decode()
    assert "信息披露要点" in page and "乙" in page
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("lms:complaint_ledger_csv")).getvalue().decode("utf-8-sig")
            )
        )
    )
    assert {row[0] for row in rows[1:]} == {"C-LATE", "C-DONE"}


def test_learners_get_the_not_a_manager_page(client, world):
    client.force_login(world["people"]["T1"].user)
    response = client.get(reverse("lms:complaints"))
    assert response.status_code == 403


def test_the_ledger_carries_the_records_and_their_hashes(client, world):
    client.force_login(world["officer"])
    body = b"".join(client.get(reverse("lms:complaint_ledger_csv")).streaming_content)
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    done = next(row for row in rows if row[0] == "C-DONE")
    record = CompletionRecord.objects.get(staff=world["people"]["T2"])
    assert str(record.pk) in done and record.hash in done
    assert done[-1] == world["today"].isoformat()  # rectified today
    workbook = load_workbook(io.BytesIO(client.get(reverse("lms:complaint_ledger_xlsx")).content))
    assert workbook.active.max_row == len(rows)


def test_a_units_complaints_before_and_after_its_training(client, world):
    # Half of 营业部's trained people completed the disclosure course on 15 March; two complaints
    # of the reason in the three months before, one after.
    year = world["today"].year - 1
    Assignment.objects.filter(plan_item=world["item"]).update(
        status=Assignment.COMPLETED, completed_at=at(year, 3, 15, 10)
    )
    for number, day in (
        ("P-1", date(year, 1, 10)),
        ("P-2", date(year, 2, 20)),
        ("P-3", date(year, 5, 2)),
    ):
        Complaint.objects.filter(number="C-LATE").update()  # the existing ones are this year
        row = complaint(world, number)
        Complaint.objects.filter(pk=row.pk).update(received_on=day)
    client.force_login(world["officer"])
    url = reverse("lms:complaints_unit", args=[world["org"]["LZ0101"].pk])
    response = client.get(url, {"year": year})
    mapped = {m.reason.code: m for m in response.context["mapped"]}
    assert (mapped["C.5"].before, mapped["C.5"].after) == (2, 1)
    assert mapped["C.5"].half_done_on == date(year, 3, 15)
    months = dict(response.context["by_month"])
    reason = next(code for code in months if code.code == "C.5")
    assert months[reason][:5] == [1, 1, 0, 0, 1]


def test_the_list_costs_the_same_queries_for_more_complaints(client, world):
    client.force_login(world["officer"])

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("lms:complaints")).status_code == 200
        return len(captured)

    count()  # the first request of a session reads a little more
    before = count()
    with mock.patch("django.utils.timezone.now", return_value=timezone.now()):
        apply_rules([complaint(world, f"MORE-{n}", staff=("T1",)) for n in range(8)])
    assert count() == before
