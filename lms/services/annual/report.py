"""年度消保培训总结: what ``build_report`` gathers for a plan year, a unit and an as-of day.

Every number about assignments is the as-of answer (``lms.services.compliance.as_of``): the
by-unit table is the managers' dashboard as of the day (``rollup``), and the people's tables add
up the same statuses one person at a time, so their totals equal the dashboard's and the
evidence export's for that day (tests say so). Hours and completions are those of the plan year
up to the day; quizzes, sessions, exemptions and corrections those decided or held by then.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from lms.conf import app_settings
from lms.models import OrgUnit, Position, TrainingPlan
from lms.services.annual import activity
from lms.services.annual.figures import Rate, Table, average
from lms.services.annual.people import Group, collect
from lms.services.compliance.as_of import BadDate
from lms.services.dashboard.units import rollup
from lms.services.exports import person_label
from lms.services.records.anchor import site_name
from lms.services.scope import visible_assignments

REPORT_READER = "lms_annual_report"
NEW_HIRES = "new_hires"


@dataclass
class AnnualReport:
    bank: str
    plan: object
    unit: object
    scope_label: str
    day: datetime.date
    generated_at: datetime.datetime
    generated_by: str
    tables: list = field(default_factory=list)

    def table(self, key):
        return next(table for table in self.tables if table.key == key)

    @property
    def title(self):
        return _("%(year)s consumer-protection training summary") % {"year": self.plan.year}


class ReportError(Exception):
    """The report cannot be made as asked (the message, translated, says why)."""


def plan_of(year, plan_id=None):
    """The published or closed plan of ``year`` (``plan_id`` picks one of several)."""
    plans = TrainingPlan.objects.filter(year=year).exclude(status=TrainingPlan.DRAFT)
    if plan_id is not None:
        plans = plans.filter(pk=plan_id)
    found = list(plans.order_by("pk")[:10])
    if not found:
        raise ReportError(_("There is no published training plan for %(year)s.") % {"year": year})
    if len(found) > 1:
        choices = ", ".join(f"{plan.pk} ({plan.title})" for plan in found)
        raise ReportError(
            _("%(year)s has several plans; choose one by its id: %(plans)s")
            % {"year": year, "plans": choices}
        )
    return found[0]


def filename(report, extension):
    code = report.unit.code if report.unit else "all"
    return f"annual-report-{report.plan.year}-{code}-{report.day:%Y%m%d}.{extension}"


def bank_name():
    """``LMS_BANK_NAME``, else the top organisation unit's name, else the site's name."""
    if app_settings.LMS_BANK_NAME:
        return app_settings.LMS_BANK_NAME
    top = OrgUnit.get_root_nodes().values_list("name", flat=True).first()
    return top or site_name()


def system_reader():
    """Who the command reads as: someone who sees every unit (an unsaved, active superuser;
    nothing is written in their name)."""
    return get_user_model()(username=REPORT_READER, is_active=True, is_superuser=True)


def default_day(plan, today=None):
    """The plan year's last day, or today while the year runs."""
    today = today or timezone.localdate()
    return min(today, datetime.date(plan.year, 12, 31))


def check_day(plan, day, today=None):
    """``BadDate`` (translated) for a day after today or before the plan year."""
    today = today or timezone.localdate()
    if day > today:
        raise BadDate(_("A status as of a day can only be asked for today or a past day."))
    if day < datetime.date(plan.year, 1, 1):
        raise BadDate(
            _("%(day)s is before the plan year %(year)s.") % {"day": day, "year": plan.year}
        )


def build_report(plan, day=None, unit=None, user=None, chain=None, verify_chain=None):
    """The report of ``plan`` for ``unit`` (with everything below it; None: all of ``user``'s
    scope) as of ``day`` (default ``default_day``), read as ``user`` (default: everything).
    ``unit`` must be one ``user`` may see (the caller checks). ``chain``: a ``ChainReport``
    already made; ``verify_chain``: verify the whole chain now (True), never (False) or by its
    size (None, see ``lms.services.annual.chain``)."""
    user = user or system_reader()
    day = day or default_day(plan)
    check_day(plan, day)
    assignments = visible_assignments(user).filter(plan_item__plan=plan)
    if unit is not None:
        assignments = assignments.filter(org_unit__path__startswith=unit.path)
    people = collect(assignments, plan, day)
    dashboard = rollup(user, plan, under=unit, as_of=day)
    report = AnnualReport(
        bank=bank_name(),
        plan=plan,
        unit=unit,
        scope_label=f"{unit.name} ({unit.code})" if unit else _("All units"),
        day=day,
        generated_at=timezone.localtime(),
        generated_by=user_label(user),
    )
    report.tables = [
        overview_table(people, dashboard),
        groups_table(people),
        units_table(dashboard, unit),
        hours_table(people, plan),
        frequency_table(people),
        *activity.tables(user, plan, unit, day, dashboard, chain, verify_chain),
    ]
    return report


def user_label(user):
    if user.pk is None:
        return _("System (%(name)s)") % {"name": user.get_username()}
    return person_label(user.first_name, user.last_name, user.get_username())


def overview_table(people, dashboard):
    total = Group()
    for person in people.by_id.values():
        total.add(person)
    counts = dashboard.total
    rows = [
        [_("Staff to be trained"), total.expected],
        [_("Staff trained (at least one item completed)"), total.trained],
        [_("Coverage"), Rate(total.trained, total.expected)],
        [_("Staff who completed everything assigned"), total.compliant],
        [_("Completion rate (people)"), Rate(total.compliant, total.expected)],
        [_("Staff with something overdue or expired"), total.overdue],
        [_("Training assignments (exempt ones left out)"), counts.assigned],
        [_("Completed"), counts.completed],
        [_("Completion rate (assignments)"), Rate(counts.completed, counts.assigned)],
        [_("Overdue or expired"), counts.overdue],
        [_("Exempt"), people.statuses["exempt"]],
        [_("Average credit hours per person"), average(total.hours, total.people)],
        [_("Staff who earned the plan's hours"), total.meets_hours],
    ]
    return Table("overview", _("Overview"), [_("Measure"), _("Value")], rows)


def _group_row(label, group):
    return [
        label,
        group.people,
        group.expected,
        group.trained,
        Rate(group.trained, group.expected),
        group.compliant,
        Rate(group.compliant, group.expected),
        group.overdue,
        average(group.hours, group.people),
    ]


GROUP_HEADINGS = [
    gettext_lazy("Staff"),
    gettext_lazy("To be trained"),
    gettext_lazy("Trained"),
    gettext_lazy("Coverage"),
    gettext_lazy("Completed everything"),
    gettext_lazy("Completion rate"),
    gettext_lazy("With overdue"),
    gettext_lazy("Average hours"),
]


def groups_table(people):
    """Coverage by the staff groups the PBOC's rules name: management, front-line staff and new
    hires (hired in the plan year; they are counted in their group too)."""
    groups = {level: Group() for level, _label in Position.LEVEL_CHOICES}
    new_hires, total = Group(), Group()
    for person in people.by_id.values():
        groups[person.level].add(person)
        total.add(person)
        if person.new_hire:
            new_hires.add(person)
    rows = [_group_row(str(label), groups[level]) for level, label in Position.LEVEL_CHOICES]
    rows.append(_group_row(_("of whom new hires of the year"), new_hires))
    return Table(
        "groups",
        _("Coverage by staff group"),
        [_("Staff group"), *GROUP_HEADINGS],
        rows,
        total=_group_row(pgettext("sum", "Total"), total),
        note=_("New hires (hired in the plan year) are also counted in their own group."),
    )


def units_table(dashboard, unit):
    """Completion per unit as the managers' dashboard shows it that day: the report's unit and
    the units just below it."""
    if unit is not None and unit.pk in dashboard.by_id:
        top = dashboard.by_id[unit.pk]
        shown = [top, *dashboard.children(top)]
    else:
        shown = dashboard.near_tops()
    rows = [
        [
            row.name,
            row.code,
            str(row.kind_label),
            row.counts.assigned,
            row.counts.completed,
            Rate(row.counts.completed, row.counts.assigned),
            row.counts.overdue,
            row.counts.due_soon,
        ]
        for row in shown
    ]
    total = dashboard.total
    return Table(
        "units",
        _("Completion by unit"),
        [
            _("Unit"),
            _("Unit code"),
            _("Kind"),
            _("Assignments"),
            _("Completed"),
            _("Completion rate"),
            _("Overdue or expired"),
            _("Due within a week"),
        ],
        rows,
        total=[pgettext("sum", "Total"), "", "", total.assigned, total.completed]
        + [Rate(total.completed, total.assigned), total.overdue, total.due_soon],
        note=_("Each unit's numbers include the units below it."),
    )


def _by_position(people):
    positions = {p.pk: p for p in Position.objects.all()}
    groups = {}
    for person in people.by_id.values():
        groups.setdefault(person.position_id, (Group(), person.required_hours))[0].add(person)
    order = sorted(
        groups, key=lambda pk: (pk is None, getattr(positions.get(pk), "sort_order", 0), pk or 0)
    )
    return [(positions.get(pk), *groups[pk]) for pk in order]


def hours_table(people, plan):
    """Hours per person against what the plan requires of each position."""
    levels = dict(Position.LEVEL_CHOICES)
    rows = []
    for position, group, required in _by_position(people):
        rows.append(
            [
                position.name if position else _("No position"),
                str(levels[position.staff_level]) if position else str(levels[Position.OTHER]),
                group.people,
                required,
                average(group.hours, group.people),
                group.meets_hours,
                Rate(group.meets_hours, group.people),
            ]
        )
    return Table(
        "hours",
        _("Credit hours against the plan"),
        [
            _("Position"),
            _("Staff group"),
            _("Staff"),
            _("Required hours"),
            _("Average hours"),
            _("Met the requirement"),
            _("Share"),
        ],
        rows,
        note=_(
            "Hours of the plan year up to the as-of day; of a corrected record only the newest."
        ),
    )


def _frequency_row(label, group):
    return [
        label,
        group.people,
        average(group.required, group.people),
        average(group.records, group.people),
        average(group.check_ins, group.people),
        average(group.hours, group.people),
        Rate(group.completed, group.required),
    ]


def frequency_table(people):
    """How often high-complaint positions (投诉多发岗位) were trained, next to everyone else."""
    high, other = Group(), Group()
    rows = []
    for position, group, _required in _by_position(people):
        if position is not None and position.high_complaint:
            rows.append(_frequency_row(position.name, group))
    for person in people.by_id.values():
        (high if person.high_complaint else other).add(person)
    rows.append(_frequency_row(_("High-complaint roles together"), high))
    rows.append(_frequency_row(_("Other roles"), other))
    return Table(
        "frequency",
        _("Training frequency of high-complaint roles"),
        [
            pgettext("annual report", "Roles"),
            _("Staff"),
            _("Items assigned per person"),
            _("Completions per person"),
            _("Offline check-ins per person"),
            _("Average hours"),
            _("Completion rate"),
        ],
        rows,
    )
