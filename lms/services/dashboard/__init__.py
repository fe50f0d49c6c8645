"""Managers' completion dashboards (issue 5): for a plan and a viewing user, completion per org
unit rolled up the tree, pace against the quarterly targets, overdue and due-soon counts, per-item
rates, a weekly trend and the drill-down unit → people → person.

Everything starts from ``lms.services.scope`` (never wider) and is read on each request from
the assignments and their trigger-maintained tallies (``lms.models.tallies``, current in the same
transaction), in a number of queries that does not grow with units or people.
Modules: ``counts`` (the GROUP BY queries), ``units`` (the rollup), ``pace`` (expected share by
date), ``trend`` (per ISO week), ``people`` (drill-down).
"""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms.services import scope
from lms.services.dashboard.counts import DUE_SOON_DAYS, Counts
from lms.services.dashboard.pace import (
    AHEAD,
    BEHIND,
    ON_TRACK,
    PACE_TOLERANCE,
    expected_percent,
    pace_of,
)
from lms.services.dashboard.people import (
    ALL,
    DEFAULT_SORT,
    FILTERS,
    OVERDUE,
    SORTS,
    overdue_people_by_unit,
    people_filter,
    people_rows,
    person_detail,
    visible_person,
)
from lms.services.dashboard.trend import weekly_trend
from lms.services.dashboard.units import NoSuchPlan, Rollup, choose_plan, plans_to_choose, rollup

#: People listed per page of a unit.
PEOPLE_PER_PAGE = 50


def team_overview(user, plan, today=None, as_of=None):
    """The units ``user`` may see with their numbers for ``plan`` (a ``Rollup``), as of the
    past day ``as_of`` if given."""
    return rollup(user, plan, today=today, as_of=as_of)


def count_overdue_people(user, overview, units):
    r"""Set ``overdue_people`` on each of ``units`` (``UnitRow``\ s of ``overview``): how many
    of the unit's own people have something overdue, the number of people its overdue list
    shows. One query."""
    counts = overdue_people_by_unit(user, overview.items, [u.id for u in units], overview.today)
    for unit in units:
        unit.overdue_people = counts.get(unit.id, 0)
    return units


def visible_unit(user, unit_id):
    """The unit ``unit_id`` if ``user`` may see it, else 404."""
    try:
        return scope.visible_units(user).get(pk=int(unit_id))
    except (TypeError, ValueError, scope.OrgUnit.DoesNotExist):
        raise Http404(_("No such unit.")) from None


@dataclass
class UnitDashboard:
    unit: object
    rollup: Rollup
    row: object
    trend: list
    people: object  # a Page of PersonRow
    status: str
    sort: str
    #: How many of the unit's own people (those its people list holds) have something
    #: overdue: the number on the "show the overdue people" link, people not assignments.
    overdue_people: int = 0

    @property
    def counts(self):
        return self.row.counts

    @property
    def items(self):
        return self.rollup.item_rows(self.row)

    @property
    def children(self):
        return self.rollup.children(self.row)


def unit_dashboard(user, plan, unit, today=None, status=ALL, sort=DEFAULT_SORT, page=1, as_of=None):
    """One unit (already checked with ``visible_unit``): its rolled-up numbers, per-item rates,
    sub-units, weekly trend and one page of its own people (those credited to the unit itself;
    people of the units below are on those units' pages) (filtered to ``status``: all / overdue /
    due_soon / not_done, ordered by ``sort``). A constant number of queries. ``as_of``: a past
    day, whose numbers and statuses are shown instead (``lms.services.compliance.as_of``); the
    trend stops at that week."""
    today = as_of or today or timezone.localdate()
    status = status if status in FILTERS else ALL
    sort = sort if sort in SORTS else DEFAULT_SORT
    data = rollup(user, plan, today=today, under=unit, as_of=as_of)
    row = data.by_id[unit.pk]
    unit_ids = [u.id for u in data.units]
    trend = weekly_trend(plan, unit_ids, row.counts.assigned, today)
    # The unit's own people (credited to this unit, not to the units below it): an outlet's
    # staff, a sub-branch's office. Bounded by the size of one unit, never the whole branch.
    # Read once unfiltered: the overdue people are counted from the same rows (no extra query).
    everyone = people_rows(user, data.items, [unit.pk], today, status=ALL, sort=sort, on=as_of)
    overdue_people = len(people_filter(everyone, OVERDUE))
    people = Paginator(people_filter(everyone, status), PEOPLE_PER_PAGE).get_page(page)
    return UnitDashboard(unit, data, row, trend, people, status, sort, overdue_people)


__all__ = [
    "AHEAD",
    "ALL",
    "BEHIND",
    "DUE_SOON_DAYS",
    "FILTERS",
    "ON_TRACK",
    "OVERDUE",
    "PACE_TOLERANCE",
    "PEOPLE_PER_PAGE",
    "SORTS",
    "Counts",
    "NoSuchPlan",
    "UnitDashboard",
    "choose_plan",
    "count_overdue_people",
    "expected_percent",
    "pace_of",
    "person_detail",
    "plans_to_choose",
    "team_overview",
    "unit_dashboard",
    "visible_person",
    "visible_unit",
]
