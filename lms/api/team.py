"""Managers' dashboards in JSON (mounted by ``lms.api`` under ``/api/v1/team/``): the units I
may see with their completion rates, and one unit with its per-item rates and its people.

Thin: the numbers come from ``lms.services.dashboard`` (the same as the 团队进度 pages), which
starts from the scope querysets. Someone who manages nothing gets 403; a unit outside the scope
is 404, exactly like one that does not exist.
"""

from datetime import date
from typing import Literal

from django.utils import timezone
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

import quizzes.converters  # noqa: F401  (registers the <dbid:…> path converter)
from lms.models import OrgUnit
from lms.services import dashboard, scope
from lms.services.compliance.as_of import BadDate, parse_as_of
from lms.services.scope import manager_required

router = Router(tags=["team"])


class Error(Schema):
    detail: str


class PlanOut(Schema):
    id: int
    title: str
    year: int
    status: str = Field(description="published | closed")


class Rates(Schema):
    assigned: int = Field(description="Assignments of the plan, withdrawn ones left out.")
    completed: int
    percent: float | None = Field(description="completed / assigned × 100 (null: none).")
    overdue: int = Field(description="Open and due before today (Asia/Shanghai).")
    due_soon: int = Field(description="Open and due within 7 days (today included).")
    expected: float | None = Field(
        description="Percent expected by today from the items' quarterly targets "
        "(interpolated by day within a quarter), weighted by assignments."
    )
    pace: Literal["ahead", "on_track", "behind"] | None = Field(
        description="ahead / behind: at least 5 points above / below the expected percent."
    )


class UnitOut(Schema):
    id: int
    code: str
    name: str
    kind: str = Field(description="branch | sub_branch | outlet | department")
    parent_id: int | None = Field(description="The parent unit, if I may see it.")
    rates: Rates = Field(description="Everything credited to this unit and the units below it.")


class UnitList(Schema):
    plan: PlanOut
    today: date
    as_of: date | None = Field(None, description="The past day the numbers are of, if asked.")
    units: list[UnitOut]


class ItemOut(Schema):
    id: int
    title: str
    kind: str
    due_date: date
    rates: Rates


class PersonOut(Schema):
    id: int = Field(description="The staff member.")
    name: str
    employee_no: str
    unit: str = Field(description="Their current unit's name.")
    active: bool = Field(description="False for a leaver.")
    assigned: int
    completed: int
    overdue: int
    due_soon: int
    exempt: int = Field(
        description="Items they are exempt from (an approved exemption): not counted in "
        "assigned, never overdue."
    )


class UnitDetail(Schema):
    plan: PlanOut
    today: date
    as_of: date | None = Field(None, description="The past day the numbers are of, if asked.")
    unit: UnitOut
    items: list[ItemOut]
    children: list[UnitOut] = Field(description="The sub-units just below it.")
    people: list[PersonOut] = Field(description="One page of people, most overdue first.")
    people_total: int
    page: int
    pages: int


class PlanQuery(Schema):
    plan: int | None = Field(None, description="A plan id (default: this year's published plan).")
    as_of: str | None = Field(
        None,
        description="A past day (YYYY-MM-DD): the numbers and statuses of that day, from the "
        "completion records, their validity and the exemptions (default: now).",
    )


class PeopleQuery(PlanQuery):
    status: Literal["all", "overdue", "due_soon", "not_done"] = "all"
    sort: Literal["overdue", "progress", "name", "employee_no"] = "overdue"
    page: int = Field(1, ge=1, le=100000)


def _plan(plan_id):
    plan = dashboard.choose_plan(plan_id)
    if plan is None:
        raise dashboard.NoSuchPlan(gettext_lazy("No training plan has been published yet."))
    return plan


def _as_of(value):
    try:
        return parse_as_of(value)
    except BadDate as error:
        raise HttpError(400, str(error)) from None


def _plan_out(plan):
    return {"id": plan.pk, "title": plan.title, "year": plan.year, "status": plan.status}


def _unit_out(unit, by_path):
    parent = by_path.get(unit.path[: -OrgUnit.steplen]) if unit.depth > 1 else None
    return {
        "id": unit.id,
        "code": unit.code,
        "name": unit.name,
        "kind": unit.kind,
        "parent_id": parent.id if parent else None,
        "rates": unit.counts.as_dict(),
    }


ERRORS = {400: Error, 403: Error, 404: Error}


@router.get(
    "/units/",
    response={200: UnitList, **ERRORS},
    summary="My units",
    operation_id="lms_team_api_units",
)
@manager_required
def units(request, query: Query[PlanQuery]):
    """The units I may see (my managed units and everything below them; the officer: all),
    in tree order, with their completion rates for the plan."""
    plan = _plan(query.plan)
    data = dashboard.team_overview(request.user, plan, as_of=_as_of(query.as_of))
    by_path = {unit.path: unit for unit in data.units}
    return {
        "plan": _plan_out(plan),
        "today": data.today,
        "as_of": data.as_of,
        "units": [_unit_out(unit, by_path) for unit in data.units],
    }


@router.get(
    "/units/{dbid:unit_id}",
    response={200: UnitDetail, **ERRORS},
    summary="One unit",
    operation_id="lms_team_api_unit",
)
@manager_required
def unit(request, unit_id: int, query: Query[PeopleQuery]):
    """One of my units: its rates, per plan item, its sub-units and one page (50) of its people
    with their status (``status`` filters, ``sort`` orders)."""
    plan = _plan(query.plan)
    found = dashboard.visible_unit(request.user, unit_id)
    board = dashboard.unit_dashboard(
        request.user,
        plan,
        found,
        today=timezone.localdate(),
        status=query.status,
        sort=query.sort,
        page=query.page,
        as_of=_as_of(query.as_of),
    )
    by_path = {u.path: u for u in board.rollup.units}
    if found.depth > 1:  # the parent, if I may see it (it is outside the unit's subtree)
        parent_path = found.path[: -OrgUnit.steplen]
        parent = scope.visible_units(request.user).filter(path=parent_path).first()
        if parent is not None:
            by_path[parent_path] = parent
    return {
        "plan": _plan_out(plan),
        "today": board.rollup.today,
        "as_of": board.rollup.as_of,
        "unit": _unit_out(board.row, by_path),
        "items": [
            {
                "id": row.item.pk,
                "title": row.item.title,
                "kind": row.item.kind,
                "due_date": row.item.due_date,
                "rates": row.counts.as_dict(),
            }
            for row in board.items
        ],
        "children": [_unit_out(child, by_path) for child in board.children],
        "people": [
            {
                "id": p.id,
                "name": p.name,
                "employee_no": p.employee_no,
                "unit": p.unit_name,
                "active": p.is_active,
                "assigned": p.assigned,
                "completed": p.completed,
                "overdue": p.overdue,
                "due_soon": p.due_soon,
                "exempt": p.exempt,
            }
            for p in board.people.object_list
        ],
        "people_total": board.people.paginator.count,
        "page": board.people.number,
        "pages": board.people.paginator.num_pages,
    }
