"""The learner home ("我的学习"): my assignments grouped by what to do next, the credit hours I
earned this year against what my plan requires, and my recent completion records.

Everything is read for one user only: every queryset here starts from ``user``. The number of
queries does not grow with the number of assignments or records.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from lms.models import (
    Assignment,
    Certificate,
    ComplaintTraining,
    CompletionRecord,
    PlanItem,
    PositionHours,
    StaffProfile,
    TrainingPlan,
)
from lms.services import scope
from lms.services.learning.offline import upcoming_sessions
from lms.services.plans import (
    COMPLETED,
    EXEMPT,
    EXPIRED,
    IN_PROGRESS,
    OVERDUE,
    assignment_status,
)
from lms.services.reminders.notifications import unread_count_of

#: An open assignment due within this many days (and not overdue) is "due soon".
DUE_SOON_DAYS = 14
#: How many of my newest records the home page lists.
RECENT_RECORDS = 10

# The groups of the home page, most urgent first.
GROUP_OVERDUE = "overdue"
GROUP_DUE_SOON = "due_soon"
GROUP_IN_PROGRESS = "in_progress"
GROUP_NOT_STARTED = "not_started"
GROUP_DONE = "done"
GROUPS = (GROUP_OVERDUE, GROUP_DUE_SOON, GROUP_IN_PROGRESS, GROUP_NOT_STARTED, GROUP_DONE)


def my_assignments(user):
    """``user``'s assignments of published plans, withdrawn ones left out, with their item and
    course (one query when evaluated), soonest due first."""
    return (
        Assignment.objects.filter(staff__user=user, plan_item__plan__status=TrainingPlan.PUBLISHED)
        .exclude(status=Assignment.WITHDRAWN)
        .select_related("plan_item", "plan_item__course")
        .order_by("due_date", "plan_item__sort_order", "pk")
    )


def my_records(user):
    """``user``'s completion records, newest first, each annotated with ``superseded`` (a later
    correction replaced it)."""
    return (
        CompletionRecord.objects.filter(user=user)
        .select_related("certificate")
        .annotate(superseded=Exists(CompletionRecord.objects.filter(supersedes=OuterRef("pk"))))
        .order_by("-completed_at", "-pk")
    )


def my_certificates(user):
    """``user``'s valid certificates (their record not superseded by a correction), newest
    first, with their record."""
    return (
        Certificate.objects.filter(record__user=user)
        .exclude(Exists(CompletionRecord.objects.filter(supersedes=OuterRef("record_id"))))
        .select_related("record")
        .order_by("-issued_at", "-pk")
    )


def counted_records(user, year):
    """``user``'s records completed in ``year`` (in the site's time zone) that count for their
    hours: of a chain of corrections only the newest record. ``user`` may be an ``OuterRef``."""
    tz = timezone.get_current_timezone()
    start = datetime.datetime(year, 1, 1, tzinfo=tz)
    end = datetime.datetime(year + 1, 1, 1, tzinfo=tz)
    return CompletionRecord.objects.filter(
        user=user, completed_at__gte=start, completed_at__lt=end
    ).exclude(Exists(CompletionRecord.objects.filter(supersedes=OuterRef("pk"))))


def hours_earned_of(year):
    """The credit hours the outer query's user (``OuterRef("pk")``) earned in ``year``, as a
    subquery (NULL if none)."""
    return Subquery(
        counted_records(OuterRef("pk"), year)
        .order_by()
        .values("user")
        .annotate(total=Sum("credit_hours"))
        .values("total")
    )


def hours_required_of(year):
    """What the published plan of ``year`` (as ``plan_of_year`` finds it) requires of the outer
    query's user's position (``TrainingPlan.hours_for``), as a subquery: the position's own rule,
    else the plan's default; NULL if there is no such plan."""
    rule = (
        PositionHours.objects.filter(
            plan=OuterRef("pk"), position=OuterRef(OuterRef("staff_profile__position"))
        )
        .order_by("sort_order", "pk")
        .values("hours")[:1]
    )
    return Subquery(
        TrainingPlan.objects.filter(year=year, status=TrainingPlan.PUBLISHED)
        .order_by("-published_at", "-pk")
        .values(required=Coalesce(Subquery(rule), "required_hours"))[:1]
    )


def plan_of_year(year):
    """The published plan of ``year`` (the most recently published if there are several), with
    its per-position hours prefetched; None if there is none."""
    return (
        TrainingPlan.objects.filter(year=year, status=TrainingPlan.PUBLISHED)
        .prefetch_related("position_hours")
        .order_by("-published_at", "-pk")
        .first()
    )


def item_url(item, request=None):
    """Where the learner goes for ``item``: its course page or its quiz page (None if the item
    has neither, or the course page is not routable)."""
    if item.kind == PlanItem.QUIZ and item.quiz_id:
        return reverse("quizzes:detail", args=[item.quiz_id])
    if item.kind == PlanItem.ATTESTATION:
        return reverse("lms:attestation", args=[item.pk])
    if item.kind == PlanItem.OFFLINE:
        return reverse("lms:offline_item", args=[item.pk])
    if item.course_id:
        return item.course.get_url(request)
    return None


@dataclass
class Entry:
    """One of my assignments as the home page shows it."""

    assignment: Assignment
    status: str
    group: str
    days_left: int
    url: str | None
    #: For targeted training (针对性培训): the complaint reasons that caused it (names only:
    #: nothing of the customer or the complaint's text reaches the learner).
    reasons: list = field(default_factory=list)

    @property
    def item(self):
        return self.assignment.plan_item

    @property
    def title(self):
        return self.item.title

    @property
    def kind(self):
        return self.item.kind

    @property
    def due_date(self):
        return self.assignment.due_date

    @property
    def completed_at(self):
        return self.assignment.completed_at

    @property
    def credit_hours(self):
        return self.item.credit_hours

    @property
    def days_overdue(self):
        return max(0, -self.days_left)

    @property
    def due_label(self):
        """ "Due in 3 days", "Due today", "2 days overdue" ("" once completed or exempt)."""
        if self.status in (COMPLETED, EXEMPT):
            return ""
        if self.days_left < 0:
            return ngettext("%(days)d day overdue", "%(days)d days overdue", self.days_overdue) % {
                "days": self.days_overdue
            }
        if self.days_left == 0:
            return _("Due today")
        return ngettext("Due in %(days)d day", "Due in %(days)d days", self.days_left) % {
            "days": self.days_left
        }

    @property
    def status_label(self):
        """Where I am with it. Overdue is already said by ``due_label``: an overdue card says
        whether I have started."""
        if self.status == COMPLETED:
            return _("Completed")
        if self.status == EXEMPT:
            return _("Exempt")
        if self.status == EXPIRED:
            return _("Expired: take it again")
        if self.status == IN_PROGRESS or self.assignment.started_at:
            return pgettext("learning", "In progress")
        return pgettext("learning", "Not started")

    @property
    def action_label(self):
        """The one button of the card."""
        if self.status in (COMPLETED, EXEMPT):
            return _("View")
        if self.kind == PlanItem.QUIZ:
            return _("Start the quiz")
        if self.kind == PlanItem.ATTESTATION:
            return _("Read and confirm")
        if self.kind == PlanItem.OFFLINE:
            return _("See the sessions")
        return pgettext("learning", "Continue") if self.assignment.started_at else _("Start")


@dataclass
class Hours:
    """Credit hours earned this year against the hours the plan requires of my position."""

    year: int
    earned: Decimal
    required: Decimal | None = None

    @property
    def shown(self):
        """Whether there is a requirement to show a bar against."""
        return bool(self.required and self.required > 0)

    @property
    def percent(self):
        if not self.shown:
            return 0
        return min(100, int(self.earned * 100 / self.required))

    @property
    def met(self):
        return self.shown and self.earned >= self.required


@dataclass
class Section:
    key: str
    title: str
    entries: list


@dataclass
class LearnerHome:
    """What ``learner_home`` returns: ``groups`` maps each of ``GROUPS`` to its entries."""

    user: object
    today: datetime.date
    staff: StaffProfile | None = None
    groups: dict = field(default_factory=lambda: {key: [] for key in GROUPS})
    hours: Hours | None = None
    records: list = field(default_factory=list)
    sessions: list = field(default_factory=list)
    certificates: list = field(default_factory=list)
    unread: int = 0
    manages: bool = False

    @property
    def has_profile(self):
        return self.staff is not None

    @property
    def assignment_count(self):
        return sum(len(entries) for entries in self.groups.values())

    @property
    def to_do_count(self):
        return self.assignment_count - len(self.groups[GROUP_DONE])

    @property
    def sections(self):
        """The groups in page order, with their (translated) headings."""
        titles = {
            GROUP_OVERDUE: _("Overdue"),
            GROUP_DUE_SOON: _("Due soon"),
            # "In progress" alone is a quiz attempt's state (作答中): this one is learning.
            GROUP_IN_PROGRESS: pgettext("learning", "In progress"),
            GROUP_NOT_STARTED: pgettext("learning", "Not started"),
            GROUP_DONE: _("Done"),
        }
        return [Section(key, titles[key], self.groups[key]) for key in GROUPS]


def group_of(status, days_left):
    """The home-page group of an assignment with ``status`` due in ``days_left`` days."""
    if status in (COMPLETED, EXEMPT):
        return GROUP_DONE
    if status in (OVERDUE, EXPIRED):
        return GROUP_OVERDUE
    if days_left <= DUE_SOON_DAYS:
        return GROUP_DUE_SOON
    return GROUP_IN_PROGRESS if status == IN_PROGRESS else GROUP_NOT_STARTED


def my_row(user, year):
    """``user``'s own row with their staff profile (its position and unit; None if they have
    none) and, as annotations, what the home page counts: ``lms_unread`` notifications,
    ``lms_earned`` hours in ``year``, the ``lms_required`` hours of the plan of ``year`` (None
    without a plan), and what ``is_manager`` asks (``scope.with_manager_flags``). One query."""
    users = (
        get_user_model()
        ._default_manager.filter(pk=user.pk)
        .select_related("staff_profile__position", "staff_profile__org_unit")
        .annotate(
            lms_unread=unread_count_of(),
            lms_earned=hours_earned_of(year),
            lms_required=hours_required_of(year),
        )
    )
    return scope.with_manager_flags(users, user).first()


def _add_reasons(entries):
    """The complaint reasons behind targeted entries (one query, only when there are some)."""
    if not entries:
        return
    by_id = {entry.assignment.pk: entry for entry in entries}
    links = (
        ComplaintTraining.objects.filter(assignment_id__in=by_id)
        .order_by("complaint__reason__code")
        .values_list("assignment_id", "complaint__reason__name")
        .distinct()
    )
    for assignment_id, reason in links:
        if reason not in by_id[assignment_id].reasons:
            by_id[assignment_id].reasons.append(reason)


def learner_home(user, today=None, request=None):
    """``user``'s learner home: assignments grouped overdue / due soon (open, due within
    ``DUE_SOON_DAYS``) / in progress / not started / done, hours earned this calendar year
    against the published plan's requirement for their position, their newest records, their
    upcoming offline sessions, their certificates and how many notifications they have not read.

    ``today`` defaults to today in the site's time zone (Asia/Shanghai); ``request`` only speeds
    up building course URLs. Someone without a staff profile gets empty groups and no hours.
    Five queries however much there is of each (and the site's, unless ``request`` has it)."""
    today = today or timezone.localdate()
    home = LearnerHome(user=user, today=today)
    row = my_row(user, today.year)
    if row is None:
        return home
    home.unread = row.lms_unread
    home.manages = scope.is_manager(user, row)
    home.staff = getattr(row, "staff_profile", None)
    if home.staff is None:
        return home
    for assignment in my_assignments(user):
        status = assignment_status(assignment, today)
        days_left = (assignment.due_date - today).days
        group = group_of(status, days_left)
        url = item_url(assignment.plan_item, request)
        home.groups[group].append(Entry(assignment, status, group, days_left, url))
    _add_reasons([e for group in home.groups.values() for e in group if e.item.targeted])
    # Newest completion first; the open groups stay soonest due first.
    home.groups[GROUP_DONE].sort(
        key=lambda entry: (entry.completed_at is not None, entry.completed_at), reverse=True
    )
    home.hours = Hours(
        year=today.year, earned=row.lms_earned or Decimal(0), required=row.lms_required
    )
    home.records = list(my_records(user)[:RECENT_RECORDS])
    home.sessions = upcoming_sessions(user, staff=home.staff)
    home.certificates = list(my_certificates(user))
    return home
