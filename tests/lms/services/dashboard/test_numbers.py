"""The dashboard numbers (lms.services.dashboard) on a small tree, asserted exactly: the rollup,
withdrawn assignments, transfers, leavers, corrections, pace and the weekly trend."""

from datetime import date

import pytest

from lms import services
from lms.models import Assignment, CompletionRecord
from lms.services import dashboard
from lms.services.dashboard.pace import expected_percent
from tests.lms.team_data import TODAY, assignment

pytestmark = pytest.mark.django_db


def numbers(rollup, code):
    unit = next(u for u in rollup.units if u.code == code)
    c = unit.counts
    return (c.assigned, c.completed, c.percent, c.overdue, c.due_soon)


def test_the_rollup_adds_each_unit_to_everything_above_it(team):
    data = dashboard.team_overview(team["users"]["officer"], team["plan"], today=TODAY)
    assert [u.code for u in data.units] == ["LZ", "LZ01", "LZ0101", "LZ0102", "LZ02", "LZ0201"]
    assert [u.code for u in data.tops] == ["LZ"]
    assert numbers(data, "LZ0101") == (6, 3, 50.0, 1, 0)
    assert numbers(data, "LZ0102") == (2, 1, 50.0, 0, 0)
    assert numbers(data, "LZ01") == (8, 4, 50.0, 1, 0)
    assert numbers(data, "LZ0201") == (4, 1, 25.0, 2, 0)
    assert numbers(data, "LZ02") == (4, 1, 25.0, 2, 0)
    assert numbers(data, "LZ") == (12, 5, 41.7, 3, 0)
    total = data.total
    assert (total.assigned, total.completed, total.overdue) == (12, 5, 3)


def test_per_item_rates_and_pace(team):
    item_a, item_b = team["items"]
    data = dashboard.team_overview(team["users"]["officer"], team["plan"], today=TODAY)
    branch = data.by_id[team["units"]["LZ"].pk]
    rows = {row.item.pk: row for row in data.item_rows(branch)}
    a, b = rows[item_a.pk], rows[item_b.pk]
    assert (a.counts.assigned, a.counts.completed, a.counts.percent, a.counts.overdue) == (
        6,
        3,
        50.0,
        3,
    )
    assert (b.counts.assigned, b.counts.completed, b.counts.percent, b.counts.overdue) == (
        6,
        2,
        33.3,
        0,
    )
    # A was due 31 March: on 15 April everyone should be done, whatever its targets say
    # (25/50/75/100). B: no targets, open 1 January – due 30 June (181 days), day 105: 58.0.
    assert (a.expected, b.expected) == (100.0, 58.0)
    assert a.counts.pace == "behind" and b.counts.pace == "behind"
    by_code = {u.code: u.counts for u in data.units}
    assert by_code["LZ0101"].expected == pytest.approx(79.0, abs=0.06)  # half A, half B

    # On 15 March, before A's due date: A Q1 day 74 of 90: 25 × 74/90 = 20.6; B day 74 of 181:
    # 40.9.
    data = dashboard.team_overview(team["users"]["officer"], team["plan"], today=date(2026, 3, 15))
    rows = {row.item.pk: row for row in data.item_rows(data.by_id[team["units"]["LZ"].pk])}
    a, b = rows[item_a.pk], rows[item_b.pk]
    assert (a.expected, b.expected) == (20.6, 40.9)
    assert a.counts.pace == "ahead" and b.counts.pace == "behind"  # 50 vs 20.6, 33.3 vs 40.9
    # Units: half A, half B → expected (20.6 + 40.9) / 2 = 30.75.
    by_code = {u.code: u.counts for u in data.units}
    assert by_code["LZ0101"].expected == pytest.approx(30.75, abs=0.06)
    assert by_code["LZ0101"].pace == "ahead"  # 50 ≥ 30.75 + 5
    assert by_code["LZ0201"].pace == "behind"  # 25 ≤ 30.75 − 5
    assert by_code["LZ"].pace == "ahead"  # 41.7


def test_a_managers_rollup_is_their_subtree_only(team):
    data = dashboard.team_overview(team["users"]["manager"], team["plan"], today=TODAY)
    assert [u.code for u in data.units] == ["LZ0101"]
    assert numbers(data, "LZ0101") == (6, 3, 50.0, 1, 0)
    assert (data.total.assigned, data.total.completed) == (6, 3)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2025, 12, 31), 0.0),
        (date(2026, 1, 1), 0.3),  # 25 × 1/90
        (date(2026, 2, 14), 12.5),  # 25 × 45/90
        (date(2026, 3, 31), 25.0),
        (date(2026, 4, 1), 25.3),  # 25 + 25 × 1/91
        (date(2026, 6, 30), 50.0),
        (date(2026, 12, 31), 100.0),
        (date(2027, 3, 1), 100.0),
    ],
)
def test_expected_percent_interpolates_within_the_quarter(today, expected):
    window = (2026, date(2026, 1, 1), date(2026, 12, 31))
    assert expected_percent([25, 50, 75, 100], *window, today) == expected


def test_expected_percent_with_fewer_targets_or_none():
    # Two targets: 60 % by March, 100 % by June, then 100 % holds.
    assert (
        expected_percent([60, 100], 2026, date(2026, 1, 1), date(2026, 6, 30), date(2026, 8, 1))
        == 100
    )
    # None: a straight line from the open date to the due date.
    window = (date(2026, 3, 1), date(2026, 3, 10))
    assert expected_percent([], 2026, *window, date(2026, 2, 28)) == 0
    assert expected_percent([], 2026, *window, date(2026, 3, 5)) == 50.0
    assert expected_percent([], 2026, *window, date(2026, 3, 10)) == 100


def test_expected_percent_is_everything_after_the_due_date():
    # Targets that run to December do not lower the bar for an item due in June.
    window = (2026, date(2026, 1, 1), date(2026, 6, 30))
    assert expected_percent([25, 50, 75, 100], *window, date(2026, 6, 30)) == 50.0
    assert expected_percent([25, 50, 75, 100], *window, date(2026, 7, 1)) == 100.0
    assert expected_percent([25, 50, 75, 100], *window, date(2026, 11, 27)) == 100.0
    # Neither does an unfinished last target.
    assert (
        expected_percent(
            [0, 0, 25, 60], 2026, date(2026, 1, 1), date(2026, 12, 15), date(2026, 12, 16)
        )
        == 100.0
    )


def test_pace_thresholds():
    assert dashboard.pace_of(55.0, 50.0) == "ahead"
    assert dashboard.pace_of(54.9, 50.0) == "on_track"
    assert dashboard.pace_of(45.1, 50.0) == "on_track"
    assert dashboard.pace_of(45.0, 50.0) == "behind"
    assert dashboard.pace_of(None, 50.0) is None


def test_withdrawn_assignments_count_nowhere(team):
    item_a, _item_b = team["items"]
    Assignment.objects.filter(pk=assignment(team, "manager", item_a).pk).update(
        status=Assignment.WITHDRAWN
    )
    data = dashboard.team_overview(team["users"]["officer"], team["plan"], today=TODAY)
    assert numbers(data, "LZ0101") == (5, 3, 60.0, 0, 0)
    assert numbers(data, "LZ") == (11, 5, 45.5, 2, 0)


def test_a_transfer_leaves_completed_work_with_the_old_outlet(team):
    t2 = team["people"]["t2"]  # did A in LZ0101, B still open
    t2.org_unit = team["units"]["LZ0102"]
    t2.save()
    services.sync_staff(t2)
    data = dashboard.team_overview(team["users"]["officer"], team["plan"], today=TODAY)
    assert numbers(data, "LZ0101") == (5, 3, 60.0, 1, 0)  # t2's completed A stays here
    assert numbers(data, "LZ0102") == (3, 1, 33.3, 0, 0)  # t2's open B followed them
    assert numbers(data, "LZ01") == (8, 4, 50.0, 1, 0)
    # The old outlet's head still sees t2 through the completed assignment, only that one.
    manager = team["users"]["manager"]
    person = dashboard.visible_person(manager, t2.pk)
    entries, records = dashboard.person_detail(manager, person, team["plan"], today=TODAY)
    assert [(e.item.title, e.status) for e in entries] == [("投诉处理", "completed")]
    assert len(records) == 1


def test_a_leavers_open_work_is_withdrawn_and_completed_work_stays(team):
    c1 = team["people"]["c1"]  # did B; A overdue
    c1.is_active = False
    c1.save()
    services.sync_staff(c1)
    data = dashboard.team_overview(team["users"]["officer"], team["plan"], today=TODAY)
    assert numbers(data, "LZ0201") == (3, 1, 33.3, 1, 0)
    board = dashboard.unit_dashboard(
        team["users"]["manager2"], team["plan"], team["units"]["LZ0201"], today=TODAY
    )
    rows = {p.employee_no: p for p in board.people.object_list}
    assert (rows["c1"].is_active, rows["c1"].assigned, rows["c1"].completed) == (False, 1, 1)


def test_a_correction_does_not_count_twice(team):
    item_a, _item_b = team["items"]
    teller_a = assignment(team, "teller", item_a)
    services.supersede_record(
        teller_a.record, reason="日期录错", recorded_by=team["users"]["officer"], credit_hours=2
    )
    assert CompletionRecord.objects.count() == 6
    data = dashboard.team_overview(team["users"]["officer"], team["plan"], today=TODAY)
    assert numbers(data, "LZ0101") == (6, 3, 50.0, 1, 0)
    manager = team["users"]["manager"]
    person = dashboard.visible_person(manager, team["people"]["teller"].pk)
    _entries, records = dashboard.person_detail(manager, person, team["plan"], today=TODAY)
    assert [(r.title, r.method, r.superseded) for r in records] == [
        ("销售过程", "online", False),
        ("投诉处理", "correction", False),  # same completion time, newer record first
        ("投诉处理", "online", True),
    ]


def test_overdue_and_due_soon_use_the_given_day(team):
    item_a, item_b = team["items"]
    officer = team["users"]["officer"]
    # On 31 March (A's due date) nothing is overdue yet; A is due soon for its 4 open ones.
    data = dashboard.team_overview(officer, team["plan"], today=date(2026, 3, 31))
    assert numbers(data, "LZ")[3:] == (0, 3)
    data = dashboard.team_overview(officer, team["plan"], today=date(2026, 4, 1))
    assert numbers(data, "LZ")[3:] == (3, 0)
    # B (due 30 June) is due soon from 23 June on.
    data = dashboard.team_overview(officer, team["plan"], today=date(2026, 6, 23))
    assert numbers(data, "LZ")[3:] == (3, 4)
    data = dashboard.team_overview(officer, team["plan"], today=date(2026, 6, 22))
    assert numbers(data, "LZ")[3:] == (3, 0)


def test_the_weekly_trend(team):
    board = dashboard.unit_dashboard(
        team["users"]["manager"], team["plan"], team["units"]["LZ0101"], today=TODAY
    )
    weeks = board.trend
    # ISO weeks from W01 (Monday 29 December 2025) to W16 (Monday 13 April 2026).
    assert (weeks[0].monday, weeks[-1].monday, len(weeks)) == (
        date(2025, 12, 29),
        date(2026, 4, 13),
        16,
    )
    done = [(w.label, w.completed, w.cumulative, w.percent) for w in weeks if w.completed]
    assert done == [("W02", 1, 1, 16.7), ("W06", 2, 3, 50.0)]
    assert weeks[-1].cumulative == 3


def test_people_add_up_to_their_outlet_and_filter_to_the_overdue(team):
    officer = team["users"]["officer"]
    outlet = team["units"]["LZ0201"]
    board = dashboard.unit_dashboard(officer, team["plan"], outlet, today=TODAY)
    people = board.people.object_list
    assert sum(p.assigned for p in people) == board.counts.assigned == 4
    assert sum(p.completed for p in people) == board.counts.completed == 1
    # Most overdue first, then by employee number.
    assert [(p.employee_no, p.overdue) for p in people] == [("c1", 1), ("manager2", 1)]
    outlet = team["units"]["LZ0101"]
    overdue = dashboard.unit_dashboard(officer, team["plan"], outlet, today=TODAY, status="overdue")
    assert [p.employee_no for p in overdue.people.object_list] == ["manager"]
    least_done = dashboard.unit_dashboard(
        officer, team["plan"], outlet, today=TODAY, sort="progress"
    )
    assert [p.employee_no for p in least_done.people.object_list] == ["manager", "t2", "teller"]
    # A branch lists its sub-units; its people are on their units' pages.
    branch = dashboard.unit_dashboard(officer, team["plan"], team["units"]["LZ"], today=TODAY)
    assert [(c.code, c.counts.completed) for c in branch.children] == [("LZ01", 4), ("LZ02", 1)]
    assert list(branch.people.object_list) == []


def test_choose_plan(team):
    assert dashboard.choose_plan(None, today=date(2026, 5, 1)) == team["plan"]
    assert dashboard.choose_plan(str(team["plan"].pk)) == team["plan"]
    for bad in ("abc", "999999", "-1"):
        with pytest.raises(dashboard.NoSuchPlan):
            dashboard.choose_plan(bad)
