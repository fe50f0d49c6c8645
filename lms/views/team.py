"""Managers' phone pages (团队进度) under ``/learn/team/``: the units I may see, one unit's
dashboard (per-item rates, trend, sub-units, people), one person's assignments and records, and
the one-tap reminder to everyone overdue in a unit.

Thin: the numbers come from ``lms.services.dashboard`` and the reminders from
``lms.services.reminders.manual``; both start from the scope querysets, so a unit or person
outside the scope is a 404. Someone who manages nothing gets a 403 page saying so.
"""

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from lms.services import dashboard
from lms.services.compliance.as_of import BadDate, parse_as_of
from lms.services.reminders.manual import (
    AlreadyReminded,
    remind_overview,
    send_manual_reminders,
)
from lms.services.scope import manager_required, visible_units
from lms.views import charts

#: A page, not an error screen: the link may have been shared with someone who manages nothing.
NOT_MANAGER_PAGE = "lms/team/not_manager.html"


def _team_page(view):
    """Logged in, never cached, managers only, for the chosen plan (``?plan=``; this year's
    published plan by default): the view is called with the plan after the request."""

    @never_cache
    @login_required
    @manager_required(denied_template=NOT_MANAGER_PAGE)
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        plan = dashboard.choose_plan(request.GET.get("plan"))
        if plan is None:
            return TemplateResponse(request, "lms/team/no_plan.html")
        try:
            request.as_of = parse_as_of(request.GET.get("as_of"))
        except BadDate as error:
            messages.error(request, str(error))
            request.as_of = None
        return view(request, plan, *args, **kwargs)

    return wrapped


def _context(plan, request=None, **extra):
    return {
        "plan": plan,
        "as_of": getattr(request, "as_of", None),
        "today": timezone.localdate(),
        "plans": dashboard.plans_to_choose(),
        "pace_labels": {
            dashboard.AHEAD: _("Ahead"),
            dashboard.ON_TRACK: _("On track"),
            dashboard.BEHIND: _("Behind"),
        },
        **extra,
    }


def _unit_chart(units, title):
    rows = [(u.name, u.counts.percent, u.counts.expected) for u in units]
    return charts.bar_chart(rows, title, target_label=_("Expected by today"))


@_team_page
def team(request, plan):
    """The units I may see for the chosen plan: the headline numbers, my top units and the
    units just below them, each linking to its page and to its overdue people."""
    overview = dashboard.team_overview(request.user, plan, as_of=request.as_of)
    shown = overview.near_tops()
    if request.as_of is None:  # people overdue now (as of a past day: the numbers only)
        shown = dashboard.count_overdue_people(request.user, overview, shown)
    chart_units = overview.children(overview.tops[0]) if len(overview.tops) == 1 else overview.tops
    context = _context(
        plan,
        request,
        overview=overview,
        total=overview.total,
        units=shown,
        chart_units=chart_units,
        chart=_unit_chart(chart_units, _("Completion by unit")) if chart_units else "",
    )
    return TemplateResponse(request, "lms/team/index.html", context)


@_team_page
def team_unit(request, plan, unit_id):
    """One unit: numbers, per-item rates, trend, sub-units and its people (filter ``status``:
    all / overdue / due_soon / not_done; ``sort``: overdue / progress / name / employee_no)."""
    unit = dashboard.visible_unit(request.user, unit_id)
    board = dashboard.unit_dashboard(
        request.user,
        plan,
        unit,
        status=request.GET.get("status", dashboard.ALL),
        sort=request.GET.get("sort", dashboard.DEFAULT_SORT),
        page=request.GET.get("page", 1),
        as_of=request.as_of,
    )
    children = board.children
    items = board.items
    if children:
        chart = _unit_chart(children, _("Completion by sub-unit"))
    else:
        chart = charts.bar_chart(
            [(row.item.title, row.counts.percent, row.expected) for row in items],
            _("Completion by plan item"),
            target_label=_("Expected by today"),
        )
    trend = charts.line_chart(
        [(week.label, week.percent) for week in board.trend], _("Cumulative completion by week")
    )

    def query(**changes):
        params = {
            "plan": plan.pk,
            "as_of": request.as_of.isoformat() if request.as_of else None,
            "status": board.status,
            "sort": board.sort,
            **changes,
        }
        return "?" + urlencode({k: v for k, v in params.items() if v not in (None, "")})

    context = _context(
        plan,
        request,
        unit=unit,
        board=board,
        counts=board.counts,
        children=children,
        items=items,
        chart=chart,
        trend_chart=trend,
        filters=[
            (key, label, query(status=key, page=None))
            for key, label in (
                (dashboard.ALL, _("Everyone")),
                (dashboard.OVERDUE, _("Overdue")),
                ("due_soon", _("Due soon")),
                ("not_done", _("Not finished")),
            )
        ],
        sorts=[
            (key, label, query(sort=key, page=None))
            for key, label in (
                ("overdue", _("Most overdue")),
                ("progress", _("Least done")),
                ("name", pgettext("person", "Name")),
            )
        ],
        overdue_url=query(status=dashboard.OVERDUE, page=None),
        remind_query=urlencode(
            {"plan": plan.pk, "from": "unit", "status": board.status, "sort": board.sort}
        ),
        prev_url=query(page=board.people.previous_page_number())
        if board.people.has_previous()
        else "",
        next_url=query(page=board.people.next_page_number()) if board.people.has_next() else "",
    )
    return TemplateResponse(request, "lms/team/unit.html", context)


@_team_page
def team_person(request, plan, staff_id):
    """One person: their assignments of the plan and their completion records (as far as
    they are credited to units I may see)."""
    person = dashboard.visible_person(request.user, staff_id)
    entries, records = dashboard.person_detail(request.user, person, plan, on=request.as_of)
    context = _context(
        plan,
        request,
        person=person,
        entries=entries,
        records=records,
        done=sum(1 for e in entries if e.status == "completed"),
        overdue=sum(1 for e in entries if e.status in ("overdue", "expired")),
        counted=sum(1 for e in entries if e.status not in ("withdrawn", "exempt")),
    )
    return TemplateResponse(request, "lms/team/person.html", context)


def _already_message(error):
    when = formats.date_format(timezone.localtime(error.reminder.sent_at), "H:i")
    return _(
        "This unit was already reminded today at %(time)s. You can send reminders again tomorrow."
    ) % {"time": when}


def _remind_params(request):
    """The team page's filters the remind page was opened with (``plan``; ``from=unit`` with
    ``status`` and ``sort`` from a unit's page), whitelisted: kept for its way back."""
    params = {}
    plan = request.GET.get("plan", "")
    if plan.isdigit():
        params["plan"] = plan
    if request.GET.get("from") == "unit":
        params["from"] = "unit"
        status, sort = request.GET.get("status"), request.GET.get("sort")
        if status in dashboard.FILTERS:
            params["status"] = status
        if sort in dashboard.SORTS:
            params["sort"] = sort
    return params


def _with_query(url, params):
    return f"{url}?{urlencode(params)}" if params else url


def _back_to_team(unit, params):
    """Where the remind page leads back to: the unit's page with its filters when opened from
    there, else 团队进度 (with the plan)."""
    back = {key: value for key, value in params.items() if key != "from"}
    if params.get("from") == "unit":
        return _with_query(reverse("lms:team_unit", args=[unit.pk]), back)
    return _with_query(reverse("lms:team"), {"plan": back["plan"]} if "plan" in back else {})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@manager_required
def team_remind(request, unit_id):
    """How many people in the unit (and below) are overdue, and who; POST reminds them all."""
    unit = get_object_or_404(visible_units(request.user), pk=unit_id)
    params = _remind_params(request)
    if request.method == "POST":
        try:
            count = send_manual_reminders(request.user, unit)
        except AlreadyReminded as error:
            messages.info(request, _already_message(error))
        else:
            if count:
                messages.success(
                    request,
                    ngettext(
                        "Reminder sent to %(count)d person.",
                        "Reminders sent to %(count)d people.",
                        count,
                    )
                    % {"count": count},
                )
            else:
                messages.info(request, _("Nobody was left to remind today."))
        return redirect(_with_query(reverse("lms:team_remind", args=[unit.pk]), params))
    plan = params.get("plan")
    context = {
        "overview": remind_overview(unit, request.user),
        "team_url": _with_query(reverse("lms:team"), {"plan": plan} if plan else {}),
        "back_url": _back_to_team(unit, params),
    }
    return TemplateResponse(request, "lms/team/remind.html", context)
