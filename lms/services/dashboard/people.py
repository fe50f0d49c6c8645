"""Drill-down: a unit's people with their status, and one person's assignments and records.

A person's row counts the assignments credited to the unit itself, the same basis as the unit's
numbers (for an outlet, the rows add up to the outlet). Someone who transferred in shows with
the work now
credited here; what they completed before stays with their old outlet.
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms.models import Assignment, CompletionRecord, StaffProfile
from lms.services import scope
from lms.services.compliance import as_of
from lms.services.compliance.exemptions import latest_decisions
from lms.services.dashboard.counts import count_annotations, plan_assignments
from lms.services.plans import assignment_status

ALL = "all"
OVERDUE = "overdue"
DUE_SOON = "due_soon"
NOT_DONE = "not_done"
FILTERS = (ALL, OVERDUE, DUE_SOON, NOT_DONE)
SORTS = {
    "overdue": lambda p: (-p.overdue, -p.due_soon, p.employee_no),
    "progress": lambda p: (p.completed / p.assigned if p.assigned else 1, p.employee_no),
    "name": lambda p: (p.name, p.employee_no),
    "employee_no": lambda p: (p.employee_no,),
}
DEFAULT_SORT = "overdue"


@dataclass
class PersonRow:
    id: int
    assigned: int
    completed: int
    overdue: int
    due_soon: int
    name: str = ""
    employee_no: str = ""
    unit_name: str = ""
    is_active: bool = True
    expired: int = 0
    exempt: int = 0

    @property
    def percent(self):
        return round(self.completed * 100 / self.assigned, 1) if self.assigned else None

    @property
    def open(self):
        return self.assigned - self.completed


def _counts_as_of(user, plan_items_, unit_ids, day):
    """``count_annotations``' numbers per person as of the past ``day`` (as dicts)."""
    assignments = scope.visible_assignments(user).filter(
        plan_item__in=[item.pk for item in plan_items_], org_unit_id__in=list(unit_ids)
    )
    people = {}
    names = list(count_annotations(day))
    for state in as_of.states(assignments, day).values():
        row = people.get(state.staff_id)
        if row is None:
            row = people[state.staff_id] = {"staff_id": state.staff_id, **dict.fromkeys(names, 0)}
        row["n_assigned"] += state.status != as_of.EXEMPT
        row["n_completed"] += state.status == as_of.COMPLETED
        row["n_overdue"] += state.status in (as_of.OVERDUE, as_of.EXPIRED)
        row["n_due_soon"] += state.status == as_of.DUE_SOON
        row["n_expired"] += state.status == as_of.EXPIRED
        row["n_exempt"] += state.status == as_of.EXEMPT
    return list(people.values())


def people_rows(user, plan_items_, unit_ids, today, status=ALL, sort=DEFAULT_SORT, on=None):
    """The people with assignments of the plan credited to the units ``unit_ids`` (in
    ``user``'s scope), with their counts, filtered to ``status`` and ordered by ``sort``: a list
    of ``PersonRow``. Two queries: counts grouped by person (from the unit index alone), then
    the names of those people. Meant for one unit's people (tens, not thousands). ``on``: a past
    day to count as of (``lms.services.compliance.as_of``; four queries)."""
    if on is not None:
        rows = _counts_as_of(user, plan_items_, unit_ids, on)
        matches = {OVERDUE: "n_overdue", DUE_SOON: "n_due_soon"}
        if status in matches:
            rows = [row for row in rows if row[matches[status]] > 0]
        elif status == NOT_DONE:
            rows = [row for row in rows if row["n_completed"] < row["n_assigned"]]
        return _named(rows, sort)
    rows = (
        plan_assignments(scope.visible_assignments(user), plan_items_)
        .filter(org_unit_id__in=unit_ids)
        .values("staff_id")
        .annotate(**count_annotations(today))
        .order_by()
    )
    if status == OVERDUE:
        rows = rows.filter(n_overdue__gt=0)
    elif status == DUE_SOON:
        rows = rows.filter(n_due_soon__gt=0)
    elif status == NOT_DONE:
        rows = rows.filter(n_completed__lt=F("n_assigned"))
    return _named(rows, sort)


def _named(rows, sort):
    people = {
        row["staff_id"]: PersonRow(
            id=row["staff_id"],
            assigned=row["n_assigned"],
            completed=row["n_completed"],
            overdue=row["n_overdue"],
            due_soon=row["n_due_soon"],
            expired=row["n_expired"],
            exempt=row["n_exempt"],
        )
        for row in rows
    }
    if people:
        names = StaffProfile.objects.filter(pk__in=list(people)).values_list(
            "pk", "name", "employee_no", "org_unit__name", "is_active"
        )
        for pk, name, employee_no, unit_name, is_active in names:
            person = people[pk]
            person.name, person.employee_no = name, employee_no
            person.unit_name, person.is_active = unit_name, is_active
    return sorted(people.values(), key=SORTS.get(sort, SORTS[DEFAULT_SORT]))


MATCHES = {
    ALL: lambda p: True,
    OVERDUE: lambda p: p.overdue > 0,
    DUE_SOON: lambda p: p.due_soon > 0,
    NOT_DONE: lambda p: p.completed < p.assigned,
}


def people_filter(rows, status):
    r"""``rows`` (``PersonRow``\ s read with ``status=ALL``) filtered to ``status`` as
    :func:`people_rows` would have, without a further query."""
    return [row for row in rows if MATCHES.get(status, MATCHES[ALL])(row)]


def overdue_people_by_unit(user, plan_items_, unit_ids, today):
    """``{unit id: number of people}`` with an overdue assignment of the plan credited to that
    unit itself: the people its list shows under the overdue filter (people, not assignments:
    someone two items behind is one person). One query."""
    rows = (
        plan_assignments(scope.visible_assignments(user), plan_items_)
        .filter(org_unit_id__in=list(unit_ids), status__in=Assignment.TO_DO, due_date__lt=today)
        .values("org_unit_id")
        .annotate(n=Count("staff_id", distinct=True))
        .order_by()
        .values_list("org_unit_id", "n")
    )
    return dict(rows)


def visible_person(user, staff_id):
    """The staff member ``staff_id`` if ``user`` may see them: their current unit is in scope,
    or some of their assignments are credited to a unit in scope. Otherwise 404."""
    in_scope = Q(pk__in=scope.visible_staff(user).values("pk")) | Q(
        pk__in=scope.visible_assignments(user).values("staff_id")
    )
    person = (
        StaffProfile.objects.filter(pk=staff_id)
        .filter(in_scope)
        .select_related("org_unit", "position")
        .first()
    )
    if person is None:
        raise Http404(_("No such person."))
    return person


@dataclass
class PersonEntry:
    assignment: object
    status: str
    #: The latest approved exemption, extension or lift of the item for the person (the values
    #: of ``exemptions.latest_decisions``), or None.
    decision: dict | None = None
    #: As of a past day: the ``lms.services.compliance.as_of.State`` of the assignment then.
    state: object = None

    @property
    def completed_on(self):
        """The day the completion that counts was made (as of a past day: the one counting
        then)."""
        if self.state is not None and self.state.valid_from is not None:
            return self.state.valid_from
        return self.assignment.completed_at

    @property
    def exemption_reason(self):
        """Why the person is exempt (shown beside "exempt"), or ``""``."""
        if self.status == "exempt" and self.decision and self.decision["kind"] == "exempt":
            return self.decision["reason"]
        return ""

    @property
    def extended_from(self):
        """The due date an extension in force replaced, or None."""
        decision = self.decision
        if decision and decision["kind"] == "extension" and self.status != "exempt":
            return decision["previous_due_date"]
        return None

    @property
    def item(self):
        return self.assignment.plan_item


def person_detail(user, person, plan, today=None, on=None):
    """``person``'s assignments of ``plan`` credited to ``user``'s scope (withdrawn ones too,
    marked, each with its latest exemption or extension decision; with ``on``, a past day, as
    of that day) and their completion records
    credited to the scope, newest first, each with ``superseded`` (a later correction replaced
    it). Three queries."""
    today = today or timezone.localdate()
    assignments = (
        scope.visible_assignments(user)
        .filter(staff=person, plan_item__plan=plan)
        .select_related("plan_item", "org_unit")
        .order_by("due_date", "plan_item__sort_order", "pk")
    )
    decisions = latest_decisions(
        scope.visible_exemptions(user).filter(staff=person, plan_item__plan=plan)
    )
    if on is not None:
        # As of a past day: the status then, and only what was assigned and not withdrawn then.
        then = as_of.states(assignments, on)
        entries = [
            PersonEntry(
                a,
                then[a.pk].status,
                decisions.get((a.staff_id, a.plan_item_id)),
                state=then[a.pk],
            )
            for a in assignments
            if a.pk in then
        ]
    else:
        entries = [
            PersonEntry(a, assignment_status(a, today), decisions.get((a.staff_id, a.plan_item_id)))
            for a in assignments
        ]
    records = list(
        scope.visible_records(user)
        .filter(staff=person)
        .select_related("credited_unit")
        .annotate(superseded=Exists(CompletionRecord.objects.filter(supersedes=OuterRef("pk"))))
        .order_by("-completed_at", "-pk")
    )
    return entries, records
