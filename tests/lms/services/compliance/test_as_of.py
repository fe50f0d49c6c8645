"""Compliant "as of" a day: the dashboards, the people, one person and the team API answer
from the credited completions, their validity and the exemptions, across expiry and the year
end, not from today's status."""

from datetime import date
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from lms import services
from lms.models import (
    Assignment,
    AssignmentCredit,
    CompletionRecord,
    Exemption,
    PlanItem,
    TrainingPlan,
)
from lms.services import dashboard
from lms.services.compliance import as_of, exemptions
from lms.services.compliance.evidence_as_of import evidence_rows_as_of
from lms.services.compliance.recertify import recertify
from lms.services.records.chain import supersede_record
from lms.services.reports import evidence_headings
from tests.factories import (
    UserFactory,
    make_course,
    make_item,
    make_org,
    make_plan,
    make_position,
    make_staff,
)
from tests.lms.compliance_support import at, complete


@pytest.fixture
def bank(catalog):
    """Four tellers of 营业部 (LZ0101) and one of 东岗网点 (LZ0102), one course counting 12
    months, due 30 June 2026. A completes 15 March; B never; C is exempted on 1 May; D gets
    until 31 August on 20 June and completes 15 August; E (东岗) completes 10 June."""
    org = make_org()
    position = make_position()
    course = make_course(catalog, title="消保审查", slug="review", lessons=2)
    plan = make_plan(year=2026, status=TrainingPlan.PUBLISHED)
    item = make_item(
        plan,
        "消保审查",
        course=course,
        everyone=True,
        open_date=date(2026, 1, 1),
        due_date=date(2026, 6, 30),
        validity_kind=PlanItem.MONTHS,
        validity_months=12,
    )
    people = {}
    with mock.patch("django.utils.timezone.now", return_value=at(2026, 1, 5, 9)):
        for code, unit in (("A", "LZ0101"), ("B", "LZ0101"), ("C", "LZ0101"), ("D", "LZ0101")):
            people[code] = make_staff(f"10000{code}", org[unit], position, date(2020, 1, 1))
        people["E"] = make_staff("10000E", org["LZ0102"], position, date(2020, 1, 1))
        services.publish_plan(plan)
    officer = UserFactory(username="officer", is_superuser=True)
    complete(people["A"], course, at(2026, 3, 15, 10))
    exemptions.grant(officer, people["C"], item, Exemption.EXEMPT, "产假", now=at(2026, 5, 1, 9))
    exemptions.grant(
        officer,
        people["D"],
        item,
        Exemption.EXTENSION,
        "外派学习",
        due_date=date(2026, 8, 31),
        now=at(2026, 6, 20, 9),
    )
    complete(people["E"], course, at(2026, 6, 10, 10))
    complete(people["D"], course, at(2026, 8, 15, 10))
    return {"org": org, "plan": plan, "item": item, "people": people, "officer": officer}


def numbers(bank, day, unit="LZ0101"):
    overview = dashboard.team_overview(bank["officer"], bank["plan"], as_of=day)
    counts = overview.by_id[bank["org"][unit].pk].counts
    return counts.assigned, counts.completed, counts.overdue, counts.due_soon


def person_states(bank, day):
    found = as_of.states(Assignment.objects.filter(plan_item=bank["item"]), day)
    names = dict(Assignment.objects.values_list("pk", "staff__employee_no"))
    return {names[pk][-1]: state.status for pk, state in found.items()}


def test_each_day_answers_from_what_held_that_day(bank):
    # (assigned, completed, overdue, due soon) of 营业部 (A–D).
    assert numbers(bank, date(2026, 3, 1)) == (4, 0, 0, 0)
    assert numbers(bank, date(2026, 3, 15)) == (4, 1, 0, 0)
    assert numbers(bank, date(2026, 6, 19)) == (3, 1, 0, 0)  # C exempt; due in 11 days
    assert numbers(bank, date(2026, 6, 25)) == (3, 1, 0, 1)  # B due soon; D extended on 20 June
    assert numbers(bank, date(2026, 7, 1)) == (3, 1, 1, 0)  # B overdue; D extended
    assert numbers(bank, date(2026, 8, 20)) == (3, 2, 1, 0)
    assert person_states(bank, date(2026, 7, 1)) == {
        "A": "completed",
        "B": "overdue",
        "C": "exempt",
        "D": "open",
        "E": "completed",
    }
    # The whole branch (both sub-branches' units under 兰州分行).
    assert numbers(bank, date(2026, 7, 1), unit="LZ") == (4, 2, 1, 0)


def test_the_past_stays_as_it_was_across_expiry_and_the_year_end(bank):
    before = {day: numbers(bank, day) for day in (date(2026, 7, 1), date(2026, 12, 31))}
    # A's completion lapses on 14 March 2027: renewed 30 days before, expired the day after.
    recertify(date(2027, 2, 12))
    recertify(date(2027, 3, 15))
    assert Assignment.objects.get(staff=bank["people"]["A"]).status == Assignment.EXPIRED
    assert {day: numbers(bank, day) for day in before} == before
    # Across the year end nothing lapsed; on 15 March 2027 A's had.
    assert person_states(bank, date(2027, 1, 1))["A"] == "completed"
    assert person_states(bank, date(2027, 3, 14))["A"] == "completed"
    assert person_states(bank, date(2027, 3, 15))["A"] == "expired"
    assert numbers(bank, date(2027, 3, 15)) == (3, 1, 2, 0)  # A expired, B overdue; D valid
    # A takes it again: from that day on, completed again; before it, still expired.
    complete(bank["people"]["A"], bank["plan"].items.get().course, at(2027, 3, 20, 9))
    assert person_states(bank, date(2027, 3, 19))["A"] == "expired"
    assert person_states(bank, date(2027, 3, 20))["A"] == "completed"
    assert AssignmentCredit.objects.filter(assignment__staff=bank["people"]["A"]).count() == 2


def test_today_as_of_agrees_with_the_live_dashboard(bank):
    with mock.patch("django.utils.timezone.now", return_value=at(2026, 9, 1, 12)):
        live = dashboard.team_overview(bank["officer"], bank["plan"])
        then = dashboard.team_overview(bank["officer"], bank["plan"], as_of=date(2026, 9, 1))
    for unit in live.units:
        assert live.by_id[unit.id].counts.as_dict() == then.by_id[unit.id].counts.as_dict()


def test_an_exemption_lifted_counts_again_from_the_lift(bank):
    row = Exemption.objects.get(staff=bank["people"]["C"], kind=Exemption.EXEMPT)
    exemptions.lift(bank["officer"], row, "提前返岗", now=at(2026, 8, 1, 9))
    assert person_states(bank, date(2026, 7, 31))["C"] == "exempt"
    assert person_states(bank, date(2026, 8, 1))["C"] == "overdue"


def test_people_and_person_as_of(bank):
    unit = bank["org"]["LZ0101"]
    board = dashboard.unit_dashboard(
        bank["officer"], bank["plan"], unit, as_of=date(2026, 7, 1), status=dashboard.OVERDUE
    )
    assert [row.employee_no for row in board.people] == ["10000B"]
    assert board.overdue_people == 1
    entries, _records = dashboard.person_detail(
        bank["officer"], bank["people"]["A"], bank["plan"], on=date(2026, 3, 14)
    )
    assert [entry.status for entry in entries] == ["open"]
    entries, _records = dashboard.person_detail(
        bank["officer"], bank["people"]["A"], bank["plan"], on=date(2026, 3, 16)
    )
    assert entries[0].status == "completed" and entries[0].completed_on == date(2026, 3, 15)


def test_assigned_later_or_withdrawn_earlier_do_not_count(bank):
    late = make_staff("10000F", bank["org"]["LZ0101"], make_position(), date(2026, 9, 1))
    with mock.patch("django.utils.timezone.now", return_value=at(2026, 9, 1, 9)):
        services.sync_staff(late)
    b = bank["people"]["B"]
    b.is_active = False
    b.save()
    with mock.patch("django.utils.timezone.now", return_value=at(2026, 10, 1, 9)):
        services.sync_staff(b)
    assert Assignment.objects.get(staff=b).status == Assignment.WITHDRAWN
    assert numbers(bank, date(2026, 8, 20)) == (3, 2, 1, 0)  # as before: F not yet, B still
    assert numbers(bank, date(2026, 10, 2)) == (3, 2, 1, 0)  # F overdue, B gone


def test_a_bad_or_future_day_is_refused():
    with pytest.raises(as_of.BadDate):
        as_of.parse_as_of("2026-02-30")
    with pytest.raises(as_of.BadDate):
        as_of.parse_as_of("2026-12-07", today=date(2026, 12, 6))
    assert as_of.parse_as_of("", today=date(2026, 12, 6)) is None
    assert as_of.parse_as_of("2026-12-06", today=date(2026, 12, 6)) == date(2026, 12, 6)


def test_the_as_of_rollup_makes_the_same_queries_whatever_the_size(bank, catalog):
    def count():
        with CaptureQueriesContext(connection) as queries:
            dashboard.team_overview(bank["officer"], bank["plan"], as_of=date(2026, 7, 1))
        return len(queries)

    first = count()
    position = make_position()
    with mock.patch("django.utils.timezone.now", return_value=at(2026, 1, 5, 9)):
        for number in range(12):
            staff = make_staff(f"2000{number:02d}", bank["org"]["LZ0201"], position)
            services.sync_staff(staff)
    assert count() == first


def export_by_person(bank, day, chunk_size=2000):
    with translation.override("en"):
        rows = list(evidence_rows_as_of(bank["officer"], bank["plan"], day, chunk_size))
    assert all(len(row) == len(evidence_headings()) for row in rows)
    return {row[0][-1]: row for row in rows}


def test_the_evidence_export_as_of_a_day(bank):
    rows = export_by_person(bank, date(2026, 7, 1))
    assert {person: row[9] for person, row in rows.items()} == {
        "A": "Completed",
        "B": "Overdue",
        "C": "Exempt",
        "D": "Not done yet",
        "E": "Completed",
    }
    first = CompletionRecord.objects.get(staff=bank["people"]["A"])
    assert (rows["A"][18], rows["A"][19]) == (first.pk, first.hash)
    assert rows["D"][8] == "2026-08-31"  # the extension in force that day
    assert rows["C"][22] == "Exemption" and rows["C"][23] == "产假"
    assert rows["B"][18] is None and rows["B"][22] == ""
    # Chunked the same way whatever the chunk.
    assert export_by_person(bank, date(2026, 7, 1), chunk_size=2) == rows
    # Before the extension was granted, D had none; in August D completed 5 days... on time.
    assert export_by_person(bank, date(2026, 6, 1))["D"][22] == ""
    assert export_by_person(bank, date(2026, 8, 20))["D"][9] == "Completed"
    # After A's renewal lapsed, that day says so with the record that lapsed; July is unchanged.
    recertify(date(2027, 2, 12))
    recertify(date(2027, 3, 15))
    assert export_by_person(bank, date(2027, 3, 15))["A"][9] == "Expired"
    assert export_by_person(bank, date(2027, 3, 15))["A"][18] == first.pk
    assert export_by_person(bank, date(2026, 7, 1))["A"] == rows["A"]


def test_the_evidence_download_takes_a_day(bank, client):
    client.force_login(bank["officer"])
    url = reverse("lms_reports:evidence_csv", args=[bank["plan"].pk])
    response = client.get(url, {"as_of": "2026-07-01"})
    assert response.status_code == 200
    assert "20260701" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert len(text.strip().splitlines()) == 1 + 5
    for bad in ("2026-02-30", "2999-01-01"):
        refused = client.get(url, {"as_of": bad})
        assert refused.status_code == 302
        assert refused["Location"] == reverse("lms_reports:evidence")


def test_an_early_renewal_takes_over_without_counting_twice(bank):
    a = bank["people"]["A"]
    recertify(date(2027, 2, 12))
    complete(a, bank["plan"].items.get().course, at(2027, 3, 1, 9))  # before 14 March
    first, second = AssignmentCredit.objects.filter(assignment__staff=a).order_by("pk")
    assert (first.replaced_on, second.replaced_on) == (date(2027, 3, 1), None)
    assert second.valid_until == date(2028, 3, 14)
    # One person, counted once, by the completion in force each day.
    assert numbers(bank, date(2027, 3, 5))[:2] == (3, 2)  # A and D
    found = as_of.states(Assignment.objects.filter(staff=a), date(2027, 2, 28))
    assert [s.credited_record for s in found.values()] == [first.record_id]
    found = as_of.states(Assignment.objects.filter(staff=a), date(2027, 3, 5))
    assert [s.credited_record for s in found.values()] == [second.record_id]


def test_a_correction_after_a_renewal_corrects_the_past_too(bank):
    """The renewal cleared the assignment's record; correcting that old record still moves the
    day it counted from."""
    a = bank["people"]["A"]
    recertify(date(2027, 2, 12))
    old = CompletionRecord.objects.get(staff=a)
    correction = supersede_record(
        old,
        reason="签到表日期登记错误",
        recorded_by=bank["officer"],
        completed_at=at(2026, 4, 15, 10),
    )
    credit = AssignmentCredit.objects.get(assignment__staff=a)
    assert (credit.record_id, credit.valid_from) == (correction.pk, date(2026, 4, 15))
    assert credit.valid_until == date(2027, 4, 14)
    assert person_states(bank, date(2026, 4, 1))["A"] == "open"
    assert person_states(bank, date(2026, 4, 15))["A"] == "completed"
