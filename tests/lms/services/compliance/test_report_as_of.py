"""The training-completion report as of a day, in SQL (``report_as_of``), agrees with the
rules of ``as_of.states`` for every assignment on every day: completed, lapsed and renewed,
exempt and lifted, extended, overdue, open, withdrawn after the day, assigned after it."""

from datetime import date

import pytest

from lms.models import Assignment
from lms.services.compliance import as_of, report_as_of
from tests.lms.compliance_support import at
from tests.lms.report_as_of_world import build_varied

pytestmark = pytest.mark.django_db

DAYS = [
    date(2026, 1, 4),  # before anyone was assigned
    date(2026, 3, 1),
    date(2026, 3, 15),
    date(2026, 6, 25),
    date(2026, 7, 1),
    date(2026, 7, 15),
    date(2026, 8, 1),
    date(2026, 9, 2),
    date(2026, 9, 6),
    date(2026, 10, 2),
    date(2027, 3, 14),  # the last day A's first completion counts
    date(2027, 3, 15),
    date(2027, 3, 25),
]


@pytest.fixture
def varied(catalog):
    return build_varied(catalog)


def in_sql(day, assignments=None):
    rows = report_as_of.assignments_as_of(assignments or Assignment.objects.all(), day)
    return {
        row.pk: (
            row.report_status,
            row.due_on,
            getattr(report_as_of.credited_record(row), "pk", None),
        )
        for row in rows
    }


def by_rules(day, assignments=None):
    found = as_of.states(assignments or Assignment.objects.all(), day)
    return {
        pk: (
            as_of.OPEN if state.status == as_of.DUE_SOON else state.status,
            state.due,
            state.credited_record,
        )
        for pk, state in found.items()
    }


def named(found):
    names = dict(Assignment.objects.values_list("pk", "staff__employee_no"))
    titles = dict(Assignment.objects.values_list("pk", "plan_item__title"))
    return {
        (names[pk][-1], 1 if titles[pk] == "消保审查" else 2): value[0]
        for pk, value in found.items()
    }


def test_the_report_agrees_with_the_rules_on_every_day(varied):
    assert Assignment.objects.count() == 18  # nine people × two items
    for day in DAYS:
        assert in_sql(day) == by_rules(day), day
    # Not vacuous: every status occurs, and the counted rows change with the day.
    seen = {value[0] for day in DAYS for value in in_sql(day).values()}
    assert seen == {"completed", "exempt", "expired", "overdue", "open"}
    assert [
        len(in_sql(day)) for day in (date(2026, 1, 4), date(2026, 9, 2), date(2026, 10, 2))
    ] == [
        0,
        18,
        16,
    ]


def test_the_status_of_each_person_on_a_day(varied):
    first = {
        person: status
        for (person, item), status in named(in_sql(date(2026, 7, 15))).items()
        if item == 1
    }
    assert first == {
        "A": "completed",
        "B": "overdue",
        "C": "exempt",
        "D": "open",  # extended to 31 August
        "E": "completed",  # on 12 July, as corrected
        "G": "overdue",
        "H": "exempt",
        "K": "overdue",
    }
    later = named(in_sql(date(2026, 10, 2)))
    assert "G" not in {person for person, _item in later}  # withdrawn on 1 October
    assert later["F", 1] == "overdue" and later["H", 1] == "overdue"
    assert later["K", 2] == "completed" and later["B", 2] == "overdue"
    assert named(in_sql(date(2027, 3, 15)))["A", 1] == "expired"
    assert named(in_sql(date(2027, 3, 25)))["A", 1] == "completed"


def test_the_due_date_and_the_days_late_are_those_in_force(varied):
    d_first = Assignment.objects.filter(staff=varied["people"]["D"], plan_item=varied["item"])
    row = report_as_of.assignments_as_of(d_first, date(2026, 9, 6)).get()
    assert row.due_on == date(2026, 8, 31)
    assert report_as_of.credited_record(row).completed_at == at(2026, 9, 5, 10)
    assert report_as_of.status_text(row) == report_as_of.late_label(5)
    e_first = Assignment.objects.filter(staff=varied["people"]["E"], plan_item=varied["item"])
    row = report_as_of.assignments_as_of(e_first, date(2026, 8, 1)).get()
    assert report_as_of.status_text(row) == report_as_of.late_label(12)  # the correction's day


def test_the_status_filter_as_of_a_day(varied):
    day = date(2026, 7, 15)
    rows = report_as_of.assignments_as_of(Assignment.objects.all(), day)
    statuses = named(in_sql(day))
    for value in ("completed", "exempt", "overdue", "not_started", "in_progress"):
        wanted = report_as_of.FILTER_AS_OF.get(value, value)
        got = rows.filter(report_as_of.status_filter(value)).count()
        assert got == sum(1 for status in statuses.values() if status == wanted)
    assert rows.filter(report_as_of.status_filter("overdue")).count() == 3  # B, G, K
    assert report_as_of.status_filter("withdrawn") is None
