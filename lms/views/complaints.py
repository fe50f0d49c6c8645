"""The complaint loop on the phone (投诉溯源整改) under ``/learn/team/complaints/``, for officers
and managers (their units only): open and closed loops with the overdue first, one complaint with
the training it caused, a unit's complaints by month next to its mapped training, and the
溯源整改台账 as CSV (streamed) or XLSX. Thin: the numbers come from
``lms.services.complaints``; every queryset starts from the scope."""

import io

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from openpyxl import Workbook

from lms.services.complaints import analysis, listing, loop
from lms.services.complaints.ledger import headings, ledger_rows
from lms.services.complaints.targeting import trained_by
from lms.services.exports import in_current_locale, neutralise, stream_csv
from lms.services.scope import manager_required, visible_units
from lms.views.team import NOT_MANAGER_PAGE

PER_PAGE = 30
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _page(view):
    return never_cache(login_required(manager_required(denied_template=NOT_MANAGER_PAGE)(view)))


def _year(request):
    try:
        return int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        return timezone.localdate().year


def _dimension(request):
    value = request.GET.get("dim", "C")
    return value if value in analysis.FIELDS else "C"


@_page
def complaints(request):
    year, dimension = _year(request), _dimension(request)
    mine = loop.visible_complaints(request.user)
    state = request.GET.get("state", "")
    of_year = mine.filter(received_on__year=year)
    index = listing.loop_index(of_year)
    sequence = listing.LoopSequence(of_year, index, state if state in loop.ORDER else None)
    page = Paginator(sequence, PER_PAGE).get_page(request.GET.get("page"))
    shown = listing.page_rows(page.object_list, index)
    codes, counts, totals = analysis.by_month(mine, year, dimension)
    context = {
        "year": year,
        "dimension": dimension,
        "state": state,
        "states": [(key, loop.STATE_LABELS[key]) for key in loop.ORDER],
        "counts": listing.state_counts(of_year, index),
        "page": page,
        "rows": [(c, c.stats.state, c.stats.closed_on) for c in shown],
        "months": range(1, 13),
        "by_month": [(code, counts.get(code.pk, [0] * 12)) for code in codes],
        "totals": totals,
        "units": visible_units(request.user).order_by("path")[:60],
    }
    return TemplateResponse(request, "lms/team/complaints.html", context)


@_page
def complaint(request, complaint_id):
    row = get_object_or_404(
        loop.with_loop(loop.visible_complaints(request.user)).select_related(
            "channel", "business", "reason", "org_unit"
        ),
        pk=complaint_id,
    )
    context = {
        "complaint": row,
        "state": loop.state_of(row),
        "state_label": loop.STATE_LABELS[loop.state_of(row)],
        "closed_on": loop.closed_on(row),
        "trainings": trained_by([row.pk]).get(row.pk, []),
        "staff": list(row.staff.all()),
    }
    return TemplateResponse(request, "lms/team/complaint.html", context)


@_page
def complaints_unit(request, unit_id):
    unit = get_object_or_404(visible_units(request.user), pk=unit_id)
    year, dimension = _year(request), _dimension(request)
    mine = loop.visible_complaints(request.user).filter(org_unit__path__startswith=unit.path)
    codes, counts, totals = analysis.by_month(mine, year, dimension)
    context = {
        "unit": unit,
        "year": year,
        "dimension": dimension,
        "months": range(1, 13),
        "by_month": [(code, counts.get(code.pk, [0] * 12)) for code in codes],
        "totals": totals,
        "mapped": analysis.mapped_completion(unit, timezone.localdate()),
        "window": analysis.WINDOW_MONTHS,
    }
    return TemplateResponse(request, "lms/team/complaints_unit.html", context)


def _ledger(request):
    mine = loop.visible_complaints(request.user)
    year = request.GET.get("year")
    if year and year.isdigit():
        mine = mine.filter(received_on__year=int(year))
    return mine


@_page
def ledger_csv(request):
    rows = ledger_rows(_ledger(request))
    response = StreamingHttpResponse(
        in_current_locale(stream_csv(headings(), rows)), content_type="text/csv; charset=utf-8"
    )
    name = f"complaint-ledger-{timezone.localdate():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@_page
def ledger_xlsx(request):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append([str(h) for h in headings()])
    for row in ledger_rows(_ledger(request)):
        sheet.append([neutralise(v) if isinstance(v, str) else v for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    name = f"complaint-ledger-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
