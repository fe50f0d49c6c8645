"""The two training reports as of a past day (?as_of=YYYY-MM-DD): the rows, statuses, due dates
and completions of that day, its status filter, records as recorded by then, a note on the
page, the day in the export's name, a manager's subtree only, a bad day refused on the form,
and as many queries for a page whatever the data."""

import csv
import io
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lms import services
from lms.models import CompletionRecord
from lms.services import MANAGERS, ensure_roles
from tests.factories import make_position, make_staff
from tests.lms.compliance_support import at
from tests.lms.report_as_of_world import build_varied
from tests.lms.report_world import english

pytestmark = pytest.mark.django_db

DAY = "2026-07-15"


@pytest.fixture
def varied(catalog):
    world = build_varied(catalog)
    ensure_roles(catalog)
    english(world["officer"])
    manager = make_staff("M0101", world["org"]["LZ0101"], name="张建国")  # no assignments
    manager.managed_units.add(world["org"]["LZ0101"])
    manager.user.groups.add(Group.objects.get(name=MANAGERS))
    world["manager"] = english(manager.user)
    return world


def export(client, user, name="assignments", **params):
    client.force_login(user)
    response = client.get(reverse(f"lms_reports:{name}"), {"export": "csv", **params})
    assert response.status_code == 200, response
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return response, list(csv.DictReader(io.StringIO(body)))


def by_person(rows, item="消保审查"):
    return {row["Employee number"][-1]: row for row in rows if row["Plan item"].lstrip("'") == item}


def test_the_completion_report_as_of_a_day(client, varied):
    response, rows = export(client, varied["officer"], as_of=DAY)
    assert 'filename="training-completion-as-of-20260715.csv"' in response["Content-Disposition"]
    assert len(rows) == 16  # eight people × two items; F joined in September
    first = by_person(rows)
    assert {person: row["Status"] for person, row in first.items()} == {
        "A": "Completed",
        "B": "Overdue",
        "C": "Exempt",
        "D": "Not done yet",  # extended
        "E": "Completed (12 days late)",  # on 12 July, as corrected on 20 July
        "G": "Overdue",
        "H": "Exempt",
        "K": "Overdue",
    }
    assert first["D"]["Due on"] == "2026-08-31" and first["B"]["Due on"] == "2026-06-30"
    # A's record of that day (15 March 2026), not today's (the renewal of 20 March 2027).
    assert first["A"]["Completed at"].startswith("2026-03-15")
    assert first["A"]["Method"] == "Online" and first["B"]["Completed at"] == ""
    assert {row["Status"] for row in by_person(rows, "反洗钱").values()} == {"Not done yet"}
    # Today's report is unchanged: A's latest completion, F and G as they are now.
    _response, today = export(client, varied["officer"])
    assert len(today) == 18
    assert by_person(today)["A"]["Completed at"].startswith("2027-03-20")


def test_the_status_filter_as_of_a_day(client, varied):
    officer = varied["officer"]

    def who(status, day=DAY):
        _response, rows = export(client, officer, as_of=day, report_status=status)
        return sorted((row["Employee number"][-1], row["Plan item"].lstrip("'")) for row in rows)

    assert who("overdue") == [("B", "消保审查"), ("G", "消保审查"), ("K", "消保审查")]
    assert who("exempt") == [("C", "消保审查"), ("H", "消保审查")]
    assert [person for person, _item in who("completed")] == ["A", "E"]
    assert len(who("not_started")) == len(who("in_progress")) == 9  # "not done yet"
    assert who("withdrawn") == []
    # After the lift on 1 August H is overdue; G, withdrawn on 1 October, is gone by the 2nd.
    assert ("H", "消保审查") in who("overdue", "2026-08-01")
    assert "G" not in {person for person, _item in who("overdue", "2026-10-02")}


def test_the_due_and_completed_filters_read_the_day(client, varied):
    officer = varied["officer"]
    _response, rows = export(
        client, officer, as_of="2026-09-06", due_date_from="2026-08-31", due_date_to="2026-08-31"
    )
    assert [row["Employee number"] for row in rows] == ["10000D"]
    _response, rows = export(
        client, officer, as_of=DAY, completed_at_from="2026-03-01", completed_at_to="2026-03-31"
    )
    assert [row["Employee number"] for row in rows] == ["10000A"]


def test_a_manager_reads_only_their_subtree_as_of_a_day(client, varied):
    _response, rows = export(client, varied["manager"], as_of=DAY)
    assert len(rows) == 14
    assert {row["Unit"] for row in rows} == {varied["org"]["LZ0101"].name}
    assert "K" not in by_person(rows)
    _response, records = export(client, varied["manager"], name="records", as_of=DAY)
    assert {row["Employee number"] for row in records} == {"10000A", "10000E"}


def test_the_page_says_it_is_as_of_a_day(client, varied):
    client.force_login(varied["officer"])
    for name in ("assignments", "assignments_results", "records", "records_results"):
        page = client.get(reverse(f"lms_reports:{name}"), {"as_of": DAY})
        assert page.status_code == 200
        assert b'data-as-of="2026-07-15"' in page.content
        today = client.get(reverse(f"lms_reports:{name}"))
        assert b"data-as-of" not in today.content


@pytest.mark.parametrize("bad", ["2999-01-01", "2026-02-30", "yesterday"])
def test_a_future_or_malformed_day_is_an_error_on_the_form(client, varied, bad):
    client.force_login(varied["officer"])
    for name in ("assignments", "records"):
        url = reverse(f"lms_reports:{name}")
        page = client.get(url, {"as_of": bad})
        assert page.status_code == 200
        assert page.context["filters"].form.errors["as_of"]
        assert b"data-as-of" not in page.content
        refused = client.get(url, {"as_of": bad, "export": "csv"})
        assert refused.status_code == 302
        assert refused["Location"].startswith(url + "?") and "export" not in refused["Location"]


def test_records_as_of_a_day_are_those_recorded_by_then(client, varied):
    officer = varied["officer"]
    response, rows = export(client, officer, name="records", as_of=DAY)
    assert 'filename="completion-records-as-of-20260715.csv"' in response["Content-Disposition"]
    # A's first and E's of 10 July; E's correction (recorded 20 July) not yet, so not superseded.
    assert sorted(row["Employee number"] for row in rows) == ["10000A", "10000E"]
    assert {row["Superseded"] for row in rows} == {""}
    _response, later = export(client, officer, name="records", as_of="2026-07-25")
    e_rows = {
        row["Record ID"]: row["Superseded"] for row in later if row["Employee number"] == "10000E"
    }
    assert sorted(e_rows.values()) == ["", "Superseded"]
    _response, superseded = export(client, officer, name="records", as_of=DAY, superseded="true")
    assert superseded == []
    _response, today = export(client, officer, name="records")
    assert len(today) == CompletionRecord.objects.count() == 6


def test_a_page_as_of_a_day_makes_the_same_queries_whatever_the_size(client, varied):
    client.force_login(varied["officer"])
    url = reverse("lms_reports:assignments")

    def count():
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url, {"as_of": DAY})
        assert page.status_code == 200
        return len(queries), len(page.context["object_list"])

    count()  # the first request of a session warms the caches (the site, content types)
    small, rows = count()
    assert rows == 16
    position = make_position()
    with mock.patch("django.utils.timezone.now", return_value=at(2026, 1, 5, 9)):
        for number in range(30):
            staff = make_staff(f"2000{number:02d}", varied["org"]["LZ0102"], position)
            services.sync_staff(staff)
    large, rows = count()
    assert rows == 50  # a full page
    assert large == small
