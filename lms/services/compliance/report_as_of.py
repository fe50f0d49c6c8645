"""The two admin reports (培训完成情况, 学习记录) as of a past day, as queries: the rules of
:mod:`lms.services.compliance.as_of` written in SQL, so that the status filter, the counts and
the pagination of a report of 600,000 assignments stay in the database.

Training completion as of D: the assignments counted on D (``as_of.counted_on``), each joined
with the credited completion in force that day (``as_of.in_force_on``: at most one row per
assignment, so the join never repeats an assignment) and its record, and annotated with the
status that day, as ``as_of.states`` decides it:

- *completed* if that completion counts on D (valid through D or without end);
- *exempt* if not, and an exemption was in force at the end of D;
- *expired* if not, and the completion in force had lapsed;
- *overdue* if none of these and the due date in force (an extension's, else the item's) was
  before D;
- else *open* ("not done yet": the history does not say whether someone had started).

The exemptions and extensions in force are few (``as_of.personal``): their ids go into the
query as literals.

Completion records as of D: the records recorded by the end of D; a record counts as
superseded only if its correction was recorded by then.
"""

from django.db.models import (
    Case,
    CharField,
    DateField,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    Value,
    When,
)
from django.utils.translation import gettext_lazy

from lms.models import CompletionRecord
from lms.services.compliance import as_of
from lms.services.plans import IN_PROGRESS, NOT_STARTED
from lms.services.reports import STATUS_CHOICES, days_late, late_label

COMPLETED, EXEMPT, EXPIRED, OVERDUE, OPEN = (
    as_of.COMPLETED,
    as_of.EXEMPT,
    as_of.EXPIRED,
    as_of.OVERDUE,
    as_of.OPEN,
)

#: The relation to the credited completion in force on the day (``AssignmentCredit``).
CREDIT = "credit_in_force"

#: The status filter's choices (``lms.services.reports.STATUS_CHOICES``) as of a day: not
#: started and in progress are both "not done yet"; a withdrawn one is not counted at all.
FILTER_AS_OF = {NOT_STARTED: OPEN, IN_PROGRESS: OPEN}

STATUS_LABELS = {**dict(STATUS_CHOICES), OPEN: gettext_lazy("Not done yet")}


def _prefixed(condition, prefix):
    """``condition`` (a ``Q`` on ``AssignmentCredit``) with every lookup reached through
    ``prefix``: the one rule of ``as_of.in_force_on``, applied to a relation."""
    clone = Q()
    clone.connector, clone.negated = condition.connector, condition.negated
    clone.children = [
        _prefixed(child, prefix) if isinstance(child, Q) else (prefix + child[0], child[1])
        for child in condition.children
    ]
    return clone


def _due_in_force(extended):
    """The due date in force: an extension's (grouped by date, few), else the item's."""
    by_date = {}
    for pk, due in extended.items():
        by_date.setdefault(due, []).append(pk)
    whens = [When(pk__in=pks, then=Value(due)) for due, pks in sorted(by_date.items())]
    if not whens:
        return F("plan_item__due_date")
    return Case(*whens, default=F("plan_item__due_date"), output_field=DateField())


def assignments_as_of(queryset, day):
    """``queryset`` (assignments, already scoped) narrowed to those counted on ``day`` and
    annotated with ``report_status`` (completed / exempt / expired / overdue / open) and
    ``due_on`` (the due date in force that day); ``credit_in_force`` is the credited
    completion in force that day (its ``record`` selected with it), None if there was none.
    Two small queries now (the exemptions and extensions in force), the rest in one query."""
    exempt, extended = as_of.personal(queryset, day)
    credit = FilteredRelation("credits", condition=_prefixed(as_of.in_force_on(day), "credits__"))
    held = Q(**{f"{CREDIT}__valid_from__isnull": False})
    counting = held & (
        Q(**{f"{CREDIT}__valid_until__isnull": True}) | Q(**{f"{CREDIT}__valid_until__gte": day})
    )
    whens = [When(counting, then=Value(COMPLETED))]
    if exempt:
        whens.append(When(pk__in=sorted(exempt), then=Value(EXEMPT)))
    whens += [
        When(held, then=Value(EXPIRED)),  # the completion in force that day had lapsed
        When(due_on__lt=day, then=Value(OVERDUE)),
    ]
    return (
        queryset.filter(as_of.counted_on(day))
        .annotate(**{CREDIT: credit})
        .annotate(due_on=_due_in_force(extended))
        .annotate(report_status=Case(*whens, default=Value(OPEN), output_field=CharField()))
        .select_related(f"{CREDIT}__record")
    )


def status_filter(value):
    """The rows of the status filter's ``value`` among :func:`assignments_as_of`'s: a ``Q``,
    or None when no row can match (withdrawn: not counted on the day)."""
    status = FILTER_AS_OF.get(value, value)
    if status not in (COMPLETED, EXEMPT, EXPIRED, OVERDUE, OPEN):
        return None
    return Q(report_status=status)


def credited_record(assignment):
    """The record credited to ``assignment`` (a row of :func:`assignments_as_of`) that day."""
    # A row with no credited completion that day has no such attribute at all.
    credit = getattr(assignment, CREDIT, None)
    return credit.record if credit is not None else None


def status_text(assignment):
    """The status cell of a row of :func:`assignments_as_of`: a completion after the due date
    in force says so, with the days late (已完成（逾期3天）); an open one is "not done yet", as
    the evidence export as of a day says it."""
    status = assignment.report_status
    if status == COMPLETED:
        record = credited_record(assignment)
        late = days_late(assignment.due_on, record.completed_at if record else None)
        if late:
            return late_label(late)
    return str(STATUS_LABELS[status])


def records_as_of(queryset, day):
    """``queryset`` (completion records) narrowed to those recorded by the end of ``day``."""
    return queryset.filter(created_at__lt=as_of.end_of(day))


def superseded(day=None):
    """An expression: the record has a correction (recorded by the end of ``day``, if given)."""
    later = CompletionRecord.objects.filter(supersedes=OuterRef("pk"))
    if day is not None:
        later = later.filter(created_at__lt=as_of.end_of(day))
    return Exists(later)
