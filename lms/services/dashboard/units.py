"""The unit rollup: completion per org unit, each unit's numbers including everything below it.

Queries are constant in the number of units, items and people: the units in scope (one), the
plan's items (one), a check for pending tally changes (one; folding them when many) and a GROUP BY
by (credited unit, item) over the tallies' totals and over their pending changes (two); the rollup
along the units' tree paths is done in Python. Always starts from ``lms.services.scope``.
"""

from dataclasses import dataclass, field

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms.models import OrgUnit, PlanItem, TrainingPlan
from lms.services import scope
from lms.services.compliance.as_of import unit_item_rows as as_of_rows
from lms.services.dashboard import tallies
from lms.services.dashboard.counts import Counts, item_expected, unit_item_rows
from lms.services.learning.home import plan_of_year

STEPLEN = OrgUnit.steplen


@dataclass
class UnitRow:
    """One unit with its rolled-up numbers: ``counts`` overall, ``items`` per plan item id
    (``[assigned, completed, overdue, due_soon, expected_sum]`` lists, see ``item_counts``)."""

    id: int
    code: str
    name: str
    kind: str
    path: str
    depth: int
    counts: Counts = field(default_factory=Counts)
    items: dict = field(default_factory=dict)
    #: People (not assignments) overdue among the unit's own: see ``count_overdue_people``.
    overdue_people: int = 0

    def item_counts(self, item_id):
        numbers = self.items.get(item_id)
        return Counts.of(numbers) if numbers else Counts()

    @property
    def kind_label(self):
        return dict(OrgUnit.KIND_CHOICES).get(self.kind, self.kind)


@dataclass
class ItemRow:
    item: PlanItem
    counts: Counts
    expected: float


@dataclass
class Rollup:
    """The units of a scope (ordered by tree path) with their rolled-up numbers."""

    plan: TrainingPlan
    today: object
    items: list
    units: list
    by_id: dict
    tops: list
    #: The past day the numbers are of (None: now, from the tallies).
    as_of: object = None

    def children(self, unit):
        return [u for u in self.units if u.depth == unit.depth + 1 and u.path.startswith(unit.path)]

    def item_rows(self, unit):
        rows = []
        for item in self.items:
            counts = unit.item_counts(item.pk)
            rows.append(ItemRow(item, counts, counts.expected))
        return rows

    def near_tops(self):
        """The top units of the scope and the units just below them, in tree order."""
        shown = []
        for unit in self.units:
            top = next(top for top in self.tops if unit.path.startswith(top.path))
            if unit.depth <= top.depth + 1:
                shown.append(unit)
        return shown

    @property
    def total(self):
        total = Counts()
        for unit in self.tops:
            total.add(unit.counts)
        return total


def plans_to_choose():
    """The plans a manager may look at: published and closed ones, newest first."""
    return TrainingPlan.objects.exclude(status=TrainingPlan.DRAFT).order_by("-year", "-pk")


class NoSuchPlan(Http404):
    pass


def choose_plan(plan_id=None, today=None):
    """The plan ``plan_id`` (published or closed), else this year's published plan, else the
    newest non-draft plan; None if there is none. An unknown id raises ``NoSuchPlan`` (a 404)."""
    if plan_id not in (None, ""):
        try:
            return plans_to_choose().get(pk=int(plan_id))
        except (TypeError, ValueError, TrainingPlan.DoesNotExist):
            raise NoSuchPlan(_("No such training plan.")) from None
    today = today or timezone.localdate()
    return plan_of_year(today.year) or plans_to_choose().first()


def plan_items(plan):
    return list(plan.items.select_related("plan").order_by("sort_order", "pk"))


def rollup(user, plan, today=None, under=None, as_of=None):
    """Completion per unit in ``user``'s scope for ``plan``, rolled up the tree. ``under`` (a
    unit already checked to be in scope) limits it to that unit's subtree. With ``as_of`` (a
    past day) the numbers are those of that day (``lms.services.compliance.as_of``), read from
    the credited completions instead of the tallies."""
    today = as_of or today or timezone.localdate()
    if as_of is None:
        tallies.fold_if_needed()
    units_qs = scope.visible_units(user)
    if under is not None:
        units_qs = units_qs.filter(path__startswith=under.path)
    units = [
        UnitRow(**row)
        for row in units_qs.order_by("path").values("id", "code", "name", "kind", "path", "depth")
    ]
    # The tallies of the units in scope, by id (no join on the units' paths); every unit for
    # someone who sees everything.
    everything = under is None and scope.sees_everything(user)
    unit_ids = None if everything else [unit.id for unit in units]
    by_path = {unit.path: unit for unit in units}
    by_id = {unit.id: unit for unit in units}
    items = plan_items(plan)
    expected = {item.pk: item_expected(item, today) for item in items}
    # Each unit's ancestors in scope (itself included), found once per unit, not once per row.
    lines = {
        unit.id: [
            by_path[unit.path[: depth * STEPLEN]]
            for depth in range(1, unit.depth + 1)
            if unit.path[: depth * STEPLEN] in by_path
        ]
        for unit in units
    }
    rows = (as_of_rows if as_of else unit_item_rows)(unit_ids, items, today)
    for unit_id, item_id, assigned, completed, overdue, soon in rows:
        weight = assigned * expected[item_id]
        # Visible assignments are credited to visible units; .get() only guards the impossible.
        for unit in lines.get(unit_id, ()):
            totals = unit.counts
            totals.assigned += assigned
            totals.completed += completed
            totals.overdue += overdue
            totals.due_soon += soon
            totals.expected_sum += weight
            numbers = unit.items.get(item_id)
            if numbers is None:
                unit.items[item_id] = [assigned, completed, overdue, soon, weight]
            else:
                numbers[0] += assigned
                numbers[1] += completed
                numbers[2] += overdue
                numbers[3] += soon
                numbers[4] += weight
    tops = []
    for unit in units:
        if not any(unit.path.startswith(top.path) for top in tops):
            tops.append(unit)
    return Rollup(plan, today, items, units, by_id, tops, as_of=as_of)
