"""Turning completions reported by courses and quizzes into records and completed assignments,
in the same transaction as the course/quiz wrote its own progress."""

import datetime
from collections import defaultdict
from contextlib import contextmanager
from datetime import date
from decimal import Decimal

from django.db.models import Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from wagtail.models import Page

from lms.models import Assignment, CompletionRecord, PlanItem, StaffProfile
from lms.services.compliance.validity import item_valid_until
from lms.services.records.chain import append_later, batch_memo, chained_last

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def _quiz_hours(quiz_id):
    """The most hours a plan item of the quiz gives (a subquery; NULL when no plan has it)."""
    return (
        PlanItem.objects.filter(quiz_id=quiz_id)
        .order_by()
        .values("quiz_id")
        .annotate(most=Max("credit_hours"))
        .values("most")
    )


@contextmanager
def attempt_records(attempt):
    """The block every receiver of ``attempt_finalized`` runs in (the ``finalizing_attempt``
    hook): the records of the courses the attempt completes (the courses app's receiver reports
    them with ``course_completed``) and of the quiz itself are chained together at its end
    (``chained_last``). For a passed attempt, what those records need is read first in one
    query: the learner's staff profile and the hours the quiz's plan items give."""
    with chained_last():
        memo = batch_memo()
        if attempt.passed and ("staff", attempt.user_id) not in memo:
            staff = (
                StaffProfile.objects.filter(user_id=attempt.user_id)
                .select_related("org_unit")
                .annotate(quiz_hours=Subquery(_quiz_hours(attempt.quiz_id)))
                .first()
            )
            memo["staff", attempt.user_id] = staff
            if staff is not None:  # else quiz_passed reads the hours itself
                memo["quiz_hours", attempt.quiz_id] = staff.quiz_hours
        yield


def _staff_of(user):
    memo = batch_memo()
    if memo is not None and ("staff", user.pk) in memo:
        return memo["staff", user.pk]
    staff = StaffProfile.objects.filter(user=user).select_related("org_unit").first()
    if memo is not None:
        memo["staff", user.pk] = staff
    return staff


def _complete(record, staff, **item_filter):
    """Append ``record`` with its certificate, completing the person's open assignments of the
    item (their tallies change then, before the chain head is locked) and pointing them at the
    record once it is written (``chain.append_later``: the records of one ``chained_last``
    block complete their assignments in one UPDATE and link them in another)."""
    mine = None
    if staff is not None:
        # The plan items as a subquery, not a join: the block's UPDATEs pick each row's record
        # by this condition, and an UPDATE's values cannot join.
        mine = Q(staff=staff, plan_item__in=PlanItem.objects.filter(**item_filter).values("pk"))
    return append_later(record, certify=True, assignments=mine)


def course_completed(user, course, revision, score, at, time_spent=None):
    """Record a completed course (exactly one record per course_completed signal). The seconds
    its lessons were on the learner's screen (``time_spent``) go into the record's evidence."""
    staff = _staff_of(user)
    evidence = {"time_spent_seconds": int(time_spent)} if time_spent is not None else {}
    record = CompletionRecord(
        user=user,
        staff=staff,
        kind=CompletionRecord.COURSE,
        title=course.title[:255],
        course=course,
        content_revision=revision,
        completed_at=at,
        method=CompletionRecord.QUIZ_PASS if score is not None else CompletionRecord.ONLINE,
        score=score,
        credit_hours=course.credit_hours,
        evidence=evidence,
        credited_unit=staff.org_unit if staff else None,
    )
    with chained_last():
        _complete(record, staff, course=course)
    return record


def quiz_passed(attempt):
    """Record a passed quiz that a plan assigns on its own (e.g. the annual test). A quiz that is
    only a course's final check is covered by the course's record."""
    if not attempt.passed:
        return None
    # A standalone quiz earns the (most) hours its plan items give.
    memo = batch_memo()
    if memo is not None and ("quiz_hours", attempt.quiz_id) in memo:
        hours = memo["quiz_hours", attempt.quiz_id]
    else:
        hours = PlanItem.objects.filter(quiz_id=attempt.quiz_id).aggregate(
            most=Max("credit_hours")
        )["most"]
    if hours is None:
        return None
    # As the column reads back (an aggregate comes back unscaled from SQLite: 1, not 1.0).
    places = PlanItem._meta.get_field("credit_hours").decimal_places
    hours = Decimal(hours).quantize(Decimal(1).scaleb(-places))
    staff = _staff_of(attempt.user)
    record = CompletionRecord(
        user=attempt.user,
        staff=staff,
        kind=CompletionRecord.QUIZ,
        title=attempt.quiz.title[:255],
        quiz=attempt.quiz,
        completed_at=attempt.finalized_at,
        method=CompletionRecord.QUIZ_PASS,
        score=attempt.score,
        credit_hours=hours,
        attempt=attempt,
        evidence={"attempt": attempt.pk, "number": attempt.number},
        credited_unit=staff.org_unit if staff else None,
    )
    with chained_last():
        _complete(record, staff, quiz_id=attempt.quiz_id)
    return record


def lesson_started(user, lesson):
    """Mark the learner's open assignments of the lesson's course as started."""
    course_id = lesson.get_parent().pk
    Assignment.objects.filter(
        staff__user=user,
        status__in=Assignment.TO_DO,
        started_at__isnull=True,
        plan_item__course_id=course_id,
    ).update(started_at=timezone.now())


def _record_target(item):
    """The filter for records that complete ``item``: of its course, its quiz, a confirmation of
    its page's current revision, or a check-in at one of its sessions. None if nothing can."""
    if item.kind == PlanItem.COURSE and item.course_id:
        return {"course_id": item.course_id}
    if item.kind == PlanItem.QUIZ and item.quiz_id:
        return {"quiz_id": item.quiz_id}
    if item.kind == PlanItem.ATTESTATION and item.page_id:
        revision = Page.objects.filter(pk=item.page_id).values_list("live_revision_id", flat=True)
        revision = revision.first()
        if revision is None:
            return None
        return {
            "kind": CompletionRecord.ATTESTATION,
            "page_id": item.page_id,
            "content_revision_id": revision,
        }
    if item.kind == PlanItem.OFFLINE:
        return {"kind": CompletionRecord.OFFLINE, "session__plan_item_id": item.pk}
    return None


def credit_existing(item, since=None, until=None):
    """Complete open assignments of ``item`` for people who already have a record of its
    course or quiz (made before the plan or the assignment), from ``since`` (default: 1 January
    of the plan's year) on, and up to ``until`` (a moment; default: any). One UPDATE; for an
    item that expires (``PlanItem.validity_kind``), records of the year before count too while
    still valid today, each assignment valid until its record's date says (one UPDATE per
    distinct end date)."""
    since = since or date(item.plan.year, 1, 1)
    target = _record_target(item)
    if target is None:
        return 0
    if item.validity_kind:
        since = date(since.year - 1, since.month, since.day)
    # An assignment opened again (a renewal, a new version to confirm) is credited only by a
    # record made after that: never by the record it asks to renew.
    latest = CompletionRecord.objects.filter(
        staff_id=OuterRef("staff_id"),
        completed_at__date__gte=since,
        completed_at__gt=Coalesce(OuterRef("reopened_at"), Value(EPOCH)),
        **target,
    ).order_by("-completed_at")
    if until is not None:
        latest = latest.filter(completed_at__lte=until)
    candidates = (
        Assignment.objects.filter(plan_item=item, status=Assignment.OPEN)
        .annotate(existing=Subquery(latest.values("pk")[:1]))
        .filter(existing__isnull=False)
    )
    changes = {
        "status": Assignment.COMPLETED,
        "record_id": Subquery(latest.values("pk")[:1]),
        "completed_at": Subquery(latest.values("completed_at")[:1]),
    }
    if not item.validity_kind:
        return candidates.update(**changes)
    return _credit_valid(item, candidates, latest, changes)


def _credit_valid(item, candidates, latest, changes):
    """``credit_existing`` for an item that expires: only records still valid today, each
    assignment valid until its record's date (and the item's rule) says."""
    today = timezone.localdate()
    by_day = defaultdict(list)
    rows = candidates.annotate(done_at=Subquery(latest.values("completed_at")[:1])).values_list(
        "pk", "done_at", "prior_valid_until"
    )
    for pk, done_at, prior in rows:
        until = item_valid_until(item, done_at, prior)
        if until is not None and until >= today:
            by_day[until].append(pk)
    credited = 0
    for until, pks in by_day.items():
        for start in range(0, len(pks), 900):
            credited += Assignment.objects.filter(
                pk__in=pks[start : start + 900], status=Assignment.OPEN
            ).update(valid_until=until, **changes)
    return credited
