"""The complaint loop in JSON (mounted by ``lms.api`` under ``/api/v1/team/``), for the bank's
app: a year's complaints in my units with their loop states (overdue first), the counts per
state and the complaints by month on one dimension — the numbers of ``/learn/team/complaints/``
(``lms.services.complaints``), from the same scope. Someone who manages nothing gets 403."""

from datetime import date
from typing import Literal

from django.core.paginator import Paginator
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from lms.services.complaints import analysis, listing, loop
from lms.services.scope import manager_required

router = Router(tags=["team"])
PER_PAGE = 50


class Error(Schema):
    detail: str


class LoopQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="Default: this year.")
    state: Literal["overdue", "in_progress", "none", "closed"] | None = Field(
        None, description="Only loops in this state."
    )
    dimension: Literal["A", "B", "C"] = Field("C", description="For the months' table.")
    page: int = Field(1, ge=1, description="Pages of 50, overdue first.")


class LoopOut(Schema):
    id: int
    number: str
    received_on: date
    unit_code: str
    unit: str
    reason_code: str
    reason: str
    state: str = Field(description="overdue | in_progress | none | closed (整改完成)")
    done: int = Field(description="Trainings it caused that are completed (or exempt).")
    total: int = Field(description="Trainings it caused.")
    rectified_on: date | None = Field(description="When the last of them was completed.")


class MonthRow(Schema):
    code: str
    name: str
    months: list[int] = Field(description="Complaints in January … December.")


class LoopList(Schema):
    year: int
    counts: dict[str, int]
    by_month: list[MonthRow]
    page: int
    pages: int
    loops: list[LoopOut]


@router.get(
    "/complaints",
    response={200: LoopList, 403: Error},
    summary="The complaint loop of my units",
    operation_id="lms_team_api_complaints",
)
@manager_required
def complaints(request, query: Query[LoopQuery]):
    year = query.year or timezone.localdate().year
    mine = loop.visible_complaints(request.user)
    of_year = mine.filter(received_on__year=year)
    index = listing.loop_index(of_year)
    pages = Paginator(listing.LoopSequence(of_year, index, query.state), PER_PAGE)
    page = pages.get_page(query.page)
    codes, counts, _totals = analysis.by_month(mine, year, query.dimension)
    return {
        "year": year,
        "counts": listing.state_counts(of_year, index),
        "by_month": [
            {"code": c.code, "name": c.name, "months": counts.get(c.pk, [0] * 12)} for c in codes
        ],
        "page": page.number,
        "pages": pages.num_pages,
        "loops": [_loop_out(row) for row in listing.page_rows(page.object_list, index)],
    }


def _loop_out(row):
    return {
        "id": row.pk,
        "number": row.number,
        "received_on": row.received_on,
        "unit_code": row.org_unit.code,
        "unit": row.org_unit.name,
        "reason_code": row.reason.code,
        "reason": row.reason.name,
        "state": row.stats.state,
        "done": row.stats.done,
        "total": row.stats.links,
        "rectified_on": row.stats.closed_on,
    }
