"""The annual report's tables of what happened in the year up to the as-of day: quizzes sat,
offline sessions held, exemptions and extensions decided, completions recorded or corrected by
an officer, and the state of the record chain at the cut-off."""

from django.db.models import Avg, Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from lms.models import CompletionRecord, Exemption, OfflineSession, PlanItem
from lms.services.annual.chain import chain_table
from lms.services.annual.figures import Rate, Table, average
from lms.services.annual.people import year_bounds
from lms.services.compliance import as_of
from lms.services.exports import local_text, person_label
from lms.services.scope import visible_exemptions, visible_records, visible_staff
from quizzes.models import Attempt


def tables(user, plan, unit, day, dashboard, chain=None, verify=None):
    return [
        quizzes_table(user, plan, unit, day),
        sessions_table(user, plan, unit, day, dashboard),
        exemptions_table(user, plan, unit, day),
        corrections_table(user, plan, unit, day),
        chain_table(chain, verify),
    ]


def _under(unit, prefix):
    return Q(**{f"{prefix}path__startswith": unit.path}) if unit is not None else Q()


def quizzes_table(user, plan, unit, day):
    """Per quiz: the final attempts of the plan year up to the day by the staff in scope."""
    start, end = year_bounds(plan.year, day)
    staff = visible_staff(user).filter(_under(unit, "org_unit__"))
    attempts = Attempt.objects.filter(
        status=Attempt.FINAL,
        finalized_at__gte=start,
        finalized_at__lt=end,
        user__staff_profile__in=staff,
    )
    rows = []
    for title, people, sat, passed, score in (
        attempts.values("quiz_id")
        .annotate(
            people=Count("user", distinct=True),
            sat=Count("pk"),
            passed=Count("user", filter=Q(passed=True), distinct=True),
            score=Avg("score"),
        )
        .order_by("quiz__title", "quiz_id")
        .values_list("quiz__title", "people", "sat", "passed", "score")
    ):
        rows.append([title, people, sat, passed, Rate(passed, people), average(score or 0, 1)])
    return Table(
        "quizzes",
        _("Quizzes: pass rates and scores"),
        [
            _("Quiz"),
            _("People who sat it"),
            _("Attempts"),
            _("People who passed"),
            _("Pass rate"),
            _("Average score"),
        ],
        rows,
        note=_(
            "Final attempts of the plan year up to the as-of day; a person passed if any "
            "attempt passed."
        ),
    )


def sessions_table(user, plan, unit, day, dashboard):
    """The plan's offline sessions held by the day, with their check-ins by then."""
    start, end = year_bounds(plan.year, day)
    sessions = (
        OfflineSession.objects.filter(
            _under(unit, "org_unit__"),
            plan_item__plan=plan,
            cancelled=False,
            starts_at__lt=end,
        )
        .filter(Q(org_unit__isnull=True) | Q(org_unit__in=dashboard.by_id))
        .annotate(checked_in=Count("check_ins", filter=Q(check_ins__checked_in_at__lt=end)))
        .select_related("org_unit", "plan_item")
        .order_by("starts_at", "pk")
    )
    rows = [
        [
            local_text(session.starts_at)[:16],
            session.title,
            session.org_unit.name if session.org_unit else "",
            session.trainer,
            session.hours,
            session.capacity,
            session.checked_in,
        ]
        for session in sessions
    ]
    offline = [item for item in dashboard.items if item.kind == PlanItem.OFFLINE]
    top = dashboard.tops
    assigned = sum(u.item_counts(i.pk).assigned for u in top for i in offline)
    attended = sum(u.item_counts(i.pk).completed for u in top for i in offline)
    return Table(
        "sessions",
        _("Offline sessions and attendance"),
        [
            _("Starts at"),
            pgettext("training record", "Title"),
            _("Unit"),
            _("Trainer"),
            _("Credit hours"),
            _("Capacity"),
            _("Checked in"),
        ],
        rows,
        total=[
            pgettext("sum", "Total"),
            _("%(count)d sessions") % {"count": len(rows)},
            "",
            "",
            "",
            "",
            sum(row[-1] for row in rows),
        ],
        note=_(
            "Attendance of the plan's offline items: %(done)d of %(assigned)d assigned (%(rate)s)."
        )
        % {"done": attended, "assigned": assigned, "rate": Rate(attended, assigned)},
    )


def exemptions_table(user, plan, unit, day):
    """Every exemption and extension approved by the day, with its reason, and whether it was
    lifted by then."""
    end = as_of.end_of(day)
    rows = (
        visible_exemptions(user)
        .filter(
            _under(unit, "org_unit__"),
            plan_item__plan=plan,
            status=Exemption.APPROVED,
            kind__in=[Exemption.EXEMPT, Exemption.EXTENSION],
            decided_at__lt=end,
        )
        .annotate(
            lifted=Count(
                "revoked_by",
                filter=Q(revoked_by__status=Exemption.APPROVED, revoked_by__decided_at__lt=end),
            )
        )
        .select_related("staff", "org_unit", "plan_item", "decided_by")
        .order_by("decided_at", "pk")
    )
    kinds = dict(Exemption.KIND_CHOICES)
    return Table(
        "exemptions",
        _("Exemptions and extensions"),
        [
            _("Employee number"),
            pgettext("person", "Name"),
            _("Unit"),
            _("Plan item"),
            _("Kind"),
            _("Extended to"),
            _("Reason"),
            _("Decided by"),
            _("Decided at"),
            _("Lifted"),
        ],
        [
            [
                row.staff.employee_no,
                row.staff.name,
                row.org_unit.name,
                row.plan_item.title,
                str(kinds[row.kind]),
                local_text(row.due_date),
                row.reason,
                _user_name(row.decided_by),
                local_text(row.decided_at),
                _("Yes") if row.lifted else _("No"),
            ]
            for row in rows
        ],
    )


def corrections_table(user, plan, unit, day):
    """Completions an officer recorded (training held elsewhere) or corrected, done in the plan
    year by the day: they differ from learner-made records and say why. As everywhere "as of"
    a day, one entered later about a day before it counts (``as_of``); its recording time says
    when it was entered."""
    start, end = year_bounds(plan.year, day)
    methods = dict(CompletionRecord.METHOD_CHOICES)
    records = (
        visible_records(user)
        .filter(
            _under(unit, "credited_unit__"),
            method__in=[CompletionRecord.OFFICER_IMPORT, CompletionRecord.CORRECTION],
            completed_at__gte=start,
            completed_at__lt=end,
        )
        .select_related("staff", "recorded_by")
        .order_by("created_at", "pk")
    )
    return Table(
        "corrections",
        _("Completions recorded or corrected by an officer"),
        [
            _("Record ID"),
            _("Employee number"),
            pgettext("person", "Name"),
            pgettext("training record", "Title"),
            pgettext("training record", "Completed at"),
            pgettext("completion method", "Method"),
            _("Credit hours"),
            _("Recorded at"),
            _("Recorded by"),
            _("Reason"),
            _("Corrects record"),
        ],
        [
            [
                record.pk,
                record.staff.employee_no if record.staff else "",
                record.staff.name if record.staff else "",
                record.title,
                local_text(record.completed_at),
                str(methods[record.method]),
                record.credit_hours,
                local_text(record.created_at),
                _user_name(record.recorded_by),
                record.reason,
                record.supersedes_id,
            ]
            for record in records
        ],
    )


def _user_name(user):
    if user is None:
        return ""
    return person_label(user.first_name, user.last_name, user.get_username())
