"""Turning completions reported by courses and quizzes into records and completed assignments,
in the same transaction as the course/quiz wrote its own progress."""

from datetime import date

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from wagtail.models import Page

from lms.models import Assignment, CompletionRecord, PlanItem, StaffProfile
from lms.services.records.chain import append_later, batch_memo, chained_last


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
    item first (their tallies change here, before the chain head is locked) and pointing them
    at the record once it is written (``chain.append_later``)."""
    links = None
    if staff is not None:
        mine = Assignment.objects.filter(
            staff=staff, **{f"plan_item__{k}": v for k, v in item_filter.items()}
        )
        mine.filter(status=Assignment.OPEN).update(
            status=Assignment.COMPLETED, completed_at=record.completed_at
        )
        # Completed and without a record: only the rows just completed, inside this
        # transaction (everywhere else a completed assignment has its record).
        links = mine.filter(status=Assignment.COMPLETED, record__isnull=True)
    return append_later(record, certify=True, links=links)


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
    # A standalone quiz earns the hours its plan item gives.
    hours = list(
        PlanItem.objects.filter(quiz_id=attempt.quiz_id).values_list("credit_hours", flat=True)
    )
    if not hours:
        return None
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
        credit_hours=max(hours),
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
        status=Assignment.OPEN,
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


def credit_existing(item, since=None):
    """Complete open assignments of ``item`` for people who already have a record of its
    course or quiz (made before the plan or the assignment), from ``since`` (default: 1 January
    of the plan's year) on. One UPDATE."""
    since = since or date(item.plan.year, 1, 1)
    target = _record_target(item)
    if target is None:
        return 0
    latest = CompletionRecord.objects.filter(
        staff_id=OuterRef("staff_id"), completed_at__date__gte=since, **target
    ).order_by("-completed_at")
    return (
        Assignment.objects.filter(plan_item=item, status=Assignment.OPEN)
        .annotate(existing=Subquery(latest.values("pk")[:1]))
        .filter(existing__isnull=False)
        .update(
            status=Assignment.COMPLETED,
            record_id=Subquery(latest.values("pk")[:1]),
            completed_at=Subquery(latest.values("completed_at")[:1]),
        )
    )
