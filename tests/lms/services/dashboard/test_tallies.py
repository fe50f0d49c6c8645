"""The trigger-maintained tallies (lms.models.tallies, lms.services.dashboard.tallies) agree with a
live count of the assignments after every kind of write: publishing, completions, transfers,
leavers, corrections, bulk updates, raw deletes; the week of a completion is its local (Beijing)
week; ``lms_check_tallies`` finds and repairs drift."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection

from lms import services
from lms.models import (
    Assignment,
    AssignmentCredit,
    AssignmentTally,
    AssignmentTallyChange,
    CompletionWeekChange,
    CompletionWeekTally,
)
from lms.services import dashboard
from lms.services.dashboard import tallies
from lms.services.records.completions import credit_existing
from tests.factories import make_item
from tests.lms.team_data import TODAY, assignment, at, complete

pytestmark = pytest.mark.django_db
UTC = ZoneInfo("UTC")


def tally(unit, item, status):
    """The tally's count (totals and pending changes) for a unit, item and status."""
    return sum(
        sum(
            model.objects.filter(org_unit=unit, plan_item=item, status=status).values_list(
                "n", flat=True
            )
        )
        for model in (AssignmentTally, AssignmentTallyChange)
    )


def weeks_of(unit, **filters):
    """{week: completions} of a unit from the weekly totals and pending changes."""
    weeks = {}
    for model in (CompletionWeekTally, CompletionWeekChange):
        for week, n in model.objects.filter(org_unit=unit, **filters).values_list("week", "n"):
            weeks[week] = weeks.get(week, 0) + n
    return {week: n for week, n in weeks.items() if n}


def test_the_standard_progress_is_counted(team):
    item_a, item_b = team["items"]
    lz0101 = team["units"]["LZ0101"]
    assert tallies.drift() == []
    assert (tally(lz0101, item_a, "completed"), tally(lz0101, item_a, "open")) == (2, 1)
    assert (tally(lz0101, item_b, "completed"), tally(lz0101, item_b, "open")) == (1, 2)
    weeks = weeks_of(lz0101)
    # Completions on Tue 6 Jan, Tue 3 Feb and Wed 4 Feb 2026.
    assert weeks == {date(2026, 1, 5): 1, date(2026, 2, 2): 2}


def transfer(team):
    t2 = team["people"]["t2"]
    t2.org_unit = team["units"]["LZ0102"]
    t2.save()
    services.sync_staff(t2)


def leave(team):
    c1 = team["people"]["c1"]
    c1.is_active = False
    c1.save()
    services.sync_staff(c1)


def correct(team):
    item_a, _item_b = team["items"]
    services.supersede_record(
        assignment(team, "teller", item_a).record,
        reason="日期录错",
        recorded_by=team["users"]["officer"],
        credit_hours=2,
    )


def bulk_withdraw(team):
    Assignment.objects.filter(org_unit=team["units"]["LZ0101"]).update(status=Assignment.WITHDRAWN)


def extend_due_dates(team):
    item_a, _item_b = team["items"]
    Assignment.objects.filter(plan_item=item_a, status=Assignment.OPEN).update(
        due_date=date(2026, 5, 31)
    )


def reopen(team):
    _item_a, item_b = team["items"]
    Assignment.objects.filter(plan_item=item_b, status=Assignment.COMPLETED).update(
        status=Assignment.OPEN, reopened_at=at(TODAY), due_date=TODAY + timedelta(days=14)
    )


def complete_later(team):
    item_a, _item_b = team["items"]
    complete(assignment(team, "manager", item_a), at(date(2026, 4, 14)))


def delete_raw(team):
    item_a, _item_b = team["items"]
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM lms_core_assignment WHERE id = %s",
            [assignment(team, "teller", item_a).pk],
        )


def add_item_and_credit(team):
    plan = team["plan"]
    item = make_item(plan, "再次培训", everyone=True, due_date=date(2026, 9, 30), sort_order=3)
    services.publish_plan(plan)  # INSERT … SELECT of the new item's assignments
    credit_existing(item)
    assert Assignment.objects.filter(plan_item=item).count() == 6


@pytest.mark.parametrize(
    "change",
    [
        transfer,
        leave,
        correct,
        bulk_withdraw,
        extend_due_dates,
        reopen,
        complete_later,
        delete_raw,
        add_item_and_credit,
    ],
)
def test_every_kind_of_write_keeps_the_tallies_right(team, change):
    tallies.fold()
    change(team)
    assert tallies.drift() == []
    # A correction supersedes the record, not the assignment: nothing to count.
    assert (tallies.pending() > 0) is (change is not correct)
    tallies.fold()
    assert tallies.pending() == 0
    assert tallies.drift() == []


def test_a_fold_moves_the_changes_into_the_totals(team):
    """Writers append; the fold nets them per key; readers see the same numbers before and
    after; a second fold has nothing to do."""
    item_a, _item_b = team["items"]
    lz0101 = team["units"]["LZ0101"]
    before = tally(lz0101, item_a, "completed"), tally(lz0101, item_a, "open")
    assert AssignmentTallyChange.objects.exists() and CompletionWeekChange.objects.exists()
    assert tallies.fold() is True
    assert not AssignmentTallyChange.objects.exists()
    assert not CompletionWeekChange.objects.exists()
    assert (tally(lz0101, item_a, "completed"), tally(lz0101, item_a, "open")) == before == (2, 1)
    assert AssignmentTally.objects.get(org_unit=lz0101, plan_item=item_a, status="completed").n == 2
    assert tallies.fold() is True and tallies.drift() == []


def test_a_reader_folds_only_when_many_changes_wait(team, monkeypatch):
    officer = team["users"]["officer"]
    waiting = tallies.pending()
    assert 0 < waiting < tallies.FOLD_AT
    dashboard.team_overview(officer, team["plan"], today=TODAY)
    assert tallies.pending() == waiting
    monkeypatch.setattr(tallies, "FOLD_AT", waiting)
    data = dashboard.team_overview(officer, team["plan"], today=TODAY)
    assert tallies.pending() == 0
    assert data.total.assigned == 12 and data.total.completed == 5


def test_a_transfer_moves_the_open_work_and_leaves_the_completed(team):
    _item_a, item_b = team["items"]
    lz0101, lz0102 = team["units"]["LZ0101"], team["units"]["LZ0102"]
    transfer(team)
    assert (tally(lz0101, item_b, "open"), tally(lz0102, item_b, "open")) == (1, 2)
    assert tally(lz0101, team["items"][0], "completed") == 2  # t2's A stays with LZ0101


def test_the_week_is_the_local_week(team):
    """Monday 07:00 in Beijing is Sunday 23:00 UTC: it belongs to the Monday's week; Sunday
    23:30 in Beijing (15:30 UTC) to the week before."""
    _item_a, item_b = team["items"]
    lz0101 = team["units"]["LZ0101"]
    complete(assignment(team, "manager", item_b), at(date(2026, 3, 9), hour=7))
    complete(assignment(team, "t2", item_b), datetime(2026, 3, 15, 15, 30, tzinfo=UTC))
    assert weeks_of(lz0101, week__gte=date(2026, 3, 1)) == {date(2026, 3, 9): 2}
    complete(assignment(team, "manager", team["items"][0]), at(date(2026, 3, 8), hour=23))
    assert weeks_of(lz0101, week=date(2026, 3, 2)) == {date(2026, 3, 2): 1}
    assert tallies.drift() == []


def test_lms_check_tallies_finds_drift_and_repairs_it(team, capsys):
    call_command("lms_check_tallies")
    assert "一致" in capsys.readouterr().out
    tallies.fold()
    AssignmentTally.objects.filter(org_unit=team["units"]["LZ0101"]).update(n=99)
    CompletionWeekTally.objects.filter(org_unit=team["units"]["LZ0201"]).delete()
    problems = tallies.drift()
    assert len(problems) >= 2
    with pytest.raises(CommandError, match="不一致"):
        call_command("lms_check_tallies")
    call_command("lms_check_tallies", repair=True)
    assert tallies.drift() == []
    call_command("lms_check_tallies")


def test_a_refused_fold_does_not_stop_the_reader(team, monkeypatch, caplog):
    """SQLite busy with another writer: the reader reads the pending changes as they are."""

    def busy(connection=None):
        raise OperationalError("database is locked")

    monkeypatch.setattr(tallies, "FOLD_AT", 1)
    monkeypatch.setattr(tallies, "fold", busy)
    data = dashboard.team_overview(team["users"]["officer"], team["plan"], today=TODAY)
    assert (data.total.assigned, data.total.completed, data.total.overdue) == (12, 5, 3)
    assert tallies.pending() > 0
    assert "fold skipped" in caplog.text


def test_lms_check_tallies_finds_uncredited_completions_and_credits_them(team):
    """The credited completions (counts as of a past day) are checked and repaired too."""
    completed = Assignment.objects.filter(status=Assignment.COMPLETED).count()
    assert completed and AssignmentCredit.objects.count() >= completed
    AssignmentCredit.objects.all().delete()
    with pytest.raises(CommandError, match=str(completed)):
        call_command("lms_check_tallies")
    call_command("lms_check_tallies", repair=True)
    assert AssignmentCredit.objects.count() == completed
    call_command("lms_check_tallies")
