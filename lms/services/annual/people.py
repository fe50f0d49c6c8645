"""The people of an annual report: one pass over a plan's assignments counted on the day, each
with its status that day (the rules of ``lms.services.compliance.as_of``), joined with each
person's hours, completions and check-ins of the plan year, then added up by group.

A person's status comes from the completion credited to each assignment in force that day, read
by a subquery in the same pass (an index lookup per assignment), so the whole bank's 600k
assignments are one streamed query, not one query per chunk."""

import datetime
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from lms.models import AssignmentCredit, CheckIn, CompletionRecord, Position, StaffProfile
from lms.services.compliance import as_of
from lms.services.plans import DUE_SOON_DAYS

CHUNK = 5000
COUNTING, LAPSED = 1, 2


@dataclass
class Person:
    """One person's year as of the day: ``required`` (assignments counted that day, exempt ones
    left out), ``completed``, ``overdue`` (overdue or expired), ``exempt`` (exempt and not
    completed), and the plan year's hours, completions and check-ins up to the day."""

    required: int = 0
    completed: int = 0
    overdue: int = 0
    exempt: int = 0
    position_id: int | None = None
    level: str = Position.OTHER
    high_complaint: bool = False
    new_hire: bool = False
    hours: Decimal = Decimal(0)
    records: int = 0
    check_ins: int = 0
    required_hours: Decimal = Decimal(0)

    @property
    def compliant(self):
        return self.required > 0 and self.completed == self.required

    @property
    def meets_hours(self):
        return self.hours >= self.required_hours


@dataclass
class Group:
    """People added up: ``people`` (anyone with an assignment that day), ``expected`` (those
    with one not exempt: who must be trained), ``trained`` (at least one completed),
    ``compliant`` (all completed), ``overdue`` (at least one overdue or expired), assignments
    and their completions, hours, and who met the plan's hours."""

    people: int = 0
    expected: int = 0
    trained: int = 0
    compliant: int = 0
    overdue: int = 0
    required: int = 0
    completed: int = 0
    hours: Decimal = Decimal(0)
    meets_hours: int = 0
    records: int = 0
    check_ins: int = 0

    def add(self, person):
        self.people += 1
        self.expected += person.required > 0
        self.trained += person.completed > 0
        self.compliant += person.compliant
        self.overdue += person.overdue > 0
        self.required += person.required
        self.completed += person.completed
        self.hours += person.hours
        self.meets_hours += person.meets_hours
        self.records += person.records
        self.check_ins += person.check_ins


def credit_flag(day):
    """A subquery on an assignment: ``COUNTING`` when a completion credited to it counts on
    ``day``, ``LAPSED`` when the one in force that day had lapsed, NULL when none."""
    counting = Q(valid_until__isnull=True) | Q(valid_until__gte=day)
    credits = AssignmentCredit.objects.filter(as_of.in_force_on(day), assignment=OuterRef("pk"))
    flag = Case(
        When(counting, then=Value(COUNTING)), default=Value(LAPSED), output_field=IntegerField()
    )
    return Subquery(credits.annotate(flag=flag).values("flag")[:1])


def year_bounds(year, day):
    """The plan year's first moment and the end of it or of ``day``, whichever comes first."""
    zone = timezone.get_current_timezone()
    start = datetime.datetime(year, 1, 1, tzinfo=zone)
    return start, min(as_of.end_of(day), datetime.datetime(year + 1, 1, 1, tzinfo=zone))


@dataclass
class People:
    """Everyone of the report, by staff id, and the assignments' statuses added up."""

    by_id: dict
    statuses: Counter


def collect(assignments, plan, day):
    """``People`` for ``assignments`` (the plan's, already scoped) as of ``day``."""
    counted = assignments.filter(as_of.counted_on(day))
    exempt, extended = as_of.personal(counted, day)
    soon = day + datetime.timedelta(days=DUE_SOON_DAYS)
    people, statuses = {}, Counter()
    rows = (
        counted.annotate(credit=credit_flag(day))
        .order_by()
        .values_list("pk", "staff_id", "plan_item__due_date", "credit")
    )
    for pk, staff_id, item_due, credit in rows.iterator(chunk_size=CHUNK):
        status = as_of.status_of(
            credit == COUNTING,
            credit is not None,
            pk in exempt,
            extended.get(pk, item_due),
            day,
            soon,
        )
        statuses[status] += 1
        person = people.get(staff_id)
        if person is None:
            person = people[staff_id] = Person()
        if status == as_of.EXEMPT:
            person.exempt += 1
            continue
        person.required += 1
        if status == as_of.COMPLETED:
            person.completed += 1
        elif status in (as_of.OVERDUE, as_of.EXPIRED):
            person.overdue += 1
    _add_staff(people, plan)
    _add_year(people, counted, plan.year, day)
    return People(people, statuses)


def _add_staff(people, plan):
    """Each person's position, staff group, role and whether hired in the plan year, and the
    hours the plan requires of the position (``TrainingPlan.hours_for``)."""
    rules = {rule.position_id: rule.hours for rule in plan.position_hours.all()}
    ids = list(people)
    for start in range(0, len(ids), CHUNK):
        staff = StaffProfile.objects.filter(pk__in=ids[start : start + CHUNK]).values_list(
            "pk", "position_id", "position__staff_level", "position__high_complaint", "hire_date"
        )
        for pk, position_id, level, high, hired in staff:
            person = people[pk]
            person.position_id = position_id
            person.level = level or Position.OTHER
            person.high_complaint = bool(high)
            person.new_hire = hired is not None and hired.year >= plan.year
            person.required_hours = rules.get(position_id, plan.required_hours)


def _add_year(people, counted, year, day):
    """Hours and completions of the plan year up to ``day`` (of a correction only the newest
    record, as the learner's own page counts them) and offline check-ins."""
    start, end = year_bounds(year, day)
    staff = Subquery(counted.values("staff_id"))
    records = (
        CompletionRecord.objects.filter(
            staff_id__in=staff, completed_at__gte=start, completed_at__lt=end
        )
        .exclude(Exists(CompletionRecord.objects.filter(supersedes=OuterRef("pk"))))
        .values("staff_id")
        .annotate(hours=Sum("credit_hours"), n=Count("pk"))
        .order_by()
        .values_list("staff_id", "hours", "n")
    )
    for staff_id, hours, n in records:
        person = people.get(staff_id)
        if person is not None:
            person.hours, person.records = hours or Decimal(0), n
    check_ins = (
        CheckIn.objects.filter(staff_id__in=staff, checked_in_at__gte=start, checked_in_at__lt=end)
        .values("staff_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("staff_id", "n")
    )
    for staff_id, n in check_ins:
        person = people.get(staff_id)
        if person is not None:
            person.check_ins = n
