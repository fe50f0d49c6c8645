"""Complaint rules → targeted assignments (针对性培训).

For each complaint and each active rule it matches — the rule's complaint reason and/or business
category, or any code below them (the bank's own sub-codes) — each of the rule's targeted items
goes to the rule's people: the staff named in the complaint, or the front-line positions
(``Position.staff_level``) of the complaint's unit and the units below it; active staff only.

Per person and item:

- nothing there yet: assigned, due in the rule's days; a completion of the item's content within
  the rule's look-back is credited at once instead (``credit_existing``), and the link says so;
  an older one does not count: the course is taken again from its first lesson;
- already to do: linked to this complaint too (one assignment answers several complaints);
- completed within the look-back: linked, credited, nothing new to do;
- completed before the look-back: opened again, due in the rule's days (the old record stays,
  a course is taken again from its first lesson), as a renewal is;
- withdrawn (they had left the unit's audience, e.g. moved): opened again.

Every link is a ``ComplaintTraining`` row, never removed: a complaint re-imported with another
reason keeps the training it already caused. Running the rules again changes nothing.
Items of a plan that is not published are skipped.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from courses.models import CourseProgress
from courses.services.progress import restart_course
from lms.models import (
    Assignment,
    ComplaintRule,
    ComplaintTraining,
    PlanItem,
    Position,
    StaffProfile,
    TrainingPlan,
)
from lms.services.records.completions import credit_existing
from quizzes.models import ClassificationCode


@dataclass
class Outcome:
    """What one run did: assignments made, opened again, linked (to an existing one to do),
    credited (a valid completion was there), and the complaints that matched no rule."""

    assigned: int = 0
    reopened: int = 0
    linked: int = 0
    credited: int = 0
    unmatched: list = field(default_factory=list)


def ancestors():
    """``{code id: {itself and every code above it}}`` for every code (one query)."""
    parents = dict(ClassificationCode.objects.values_list("pk", "parent_id"))
    found = {}
    for pk in parents:
        line, current = set(), pk
        while current is not None and current not in line:
            line.add(current)
            current = parents.get(current)
        found[pk] = line
    return found


def matching_rules(complaint, rules, lines):
    """The rules among ``rules`` that ``complaint`` matches (``lines``: ``ancestors()``)."""
    reasons, businesses = lines.get(complaint.reason_id, set()), lines.get(complaint.business_id)
    return [
        rule
        for rule in rules
        if (rule.reason_id is not None or rule.business_id is not None)
        and (rule.reason_id is None or rule.reason_id in reasons)
        and (rule.business_id is None or rule.business_id in (businesses or set()))
    ]


def people_for(rule, complaint):
    """The active staff ``rule`` trains for ``complaint``."""
    if rule.audience == ComplaintRule.NAMED_STAFF:
        return [person for person in complaint.staff.all() if person.is_active]
    return list(
        StaffProfile.objects.filter(
            is_active=True,
            position__staff_level=Position.FRONT_LINE,
            org_unit__path__startswith=complaint.org_unit.path,
        )
    )


def live_rules():
    """The active rules, each with ``live_items``: its targeted items of published plans (only
    those are ever assigned)."""
    items = PlanItem.objects.filter(targeted=True, plan__status=TrainingPlan.PUBLISHED)
    live = Prefetch("items", queryset=items.select_related("plan"), to_attr="live_items")
    return list(ComplaintRule.objects.filter(is_active=True).prefetch_related(live).order_by("pk"))


def apply_rules(complaints, today=None):
    """Apply the active rules to ``complaints`` (saved ``Complaint`` rows). Returns an
    ``Outcome``. One transaction; a few queries per complaint and rule."""
    today = today or timezone.localdate()
    now = timezone.now()
    rules, lines = live_rules(), ancestors()
    outcome = Outcome()
    with transaction.atomic():
        for complaint in complaints:
            matched = matching_rules(complaint, rules, lines)
            if not matched:
                outcome.unmatched.append(complaint)
                continue
            for rule in matched:
                for item in rule.live_items:
                    people = people_for(rule, complaint)
                    if people:
                        _train(complaint, rule, item, people, today, now, outcome)
    return outcome


def _train(complaint, rule, item, people, today, now, outcome):
    due = today + datetime.timedelta(days=rule.due_days)
    since = today - datetime.timedelta(days=rule.lookback_days)
    existing = {
        a.staff_id: a
        for a in Assignment.objects.filter(plan_item=item, staff__in=people).select_for_update()
    }
    new = [
        Assignment(
            staff=person,
            plan_item=item,
            org_unit_id=person.org_unit_id,
            due_date=due,
            assigned_at=now,
        )
        for person in people
        if person.pk not in existing
    ]
    Assignment.objects.bulk_create(new, ignore_conflicts=True)
    reopen, credited_before = [], set()
    for assignment in existing.values():
        if assignment.status == Assignment.WITHDRAWN:
            reopen.append(assignment.pk)
        elif assignment.status in (Assignment.COMPLETED, Assignment.EXEMPT):
            done = assignment.completed_at and timezone.localdate(assignment.completed_at)
            if assignment.status == Assignment.EXEMPT or (done and done >= since):
                credited_before.add(assignment.pk)
            else:
                reopen.append(assignment.pk)
    if reopen:
        _reopen(item, reopen, due, now)
    fresh = Assignment.objects.filter(
        plan_item=item, staff__in=[p.pk for p in people if p.pk not in existing]
    )
    new_ids = set(fresh.values_list("pk", flat=True))
    if new_ids:
        credit_existing(item, since=since, until=now)
        _start_afresh(item, new_ids)
    mine = dict(
        Assignment.objects.filter(plan_item=item, staff__in=people).values_list("pk", "status")
    )
    links = []
    for pk, status in mine.items():
        credited = pk in credited_before or (pk in new_ids and status == Assignment.COMPLETED)
        links.append(
            ComplaintTraining(complaint=complaint, assignment_id=pk, rule=rule, credited=credited)
        )
    already = set(
        ComplaintTraining.objects.filter(complaint=complaint, assignment_id__in=mine).values_list(
            "assignment_id", flat=True
        )
    )
    links = [link for link in links if link.assignment_id not in already]
    ComplaintTraining.objects.bulk_create(links, ignore_conflicts=True)
    for link in links:
        if link.credited:
            outcome.credited += 1
        elif link.assignment_id in new_ids:
            outcome.assigned += 1
        elif link.assignment_id in reopen:
            outcome.reopened += 1
        else:
            outcome.linked += 1


def _start_afresh(item, new_ids):
    """A new assignment not credited is a course to take (again): the progress of those who
    completed it before the look-back is cleared, or nothing could complete it (someone half
    way through keeps their place)."""
    if item.kind != PlanItem.COURSE or not item.course_id:
        return
    users = Assignment.objects.filter(pk__in=new_ids, status=Assignment.OPEN).values_list(
        "staff__user_id", flat=True
    )
    done = CourseProgress.objects.filter(
        course_id=item.course_id, user_id__in=users, completed_at__isnull=False
    ).values_list("user_id", flat=True)
    restart_course(list(done), item.course_id)


def _reopen(item, pks, due, now):
    """Open again (the old record kept as evidence; a course from its first lesson)."""
    rows = Assignment.objects.filter(pk__in=pks)
    if item.kind == PlanItem.COURSE and item.course_id:
        restart_course(
            rows.filter(status=Assignment.COMPLETED).values_list("staff__user_id", flat=True),
            item.course_id,
        )
    rows.update(
        status=Assignment.OPEN,
        due_date=due,
        completed_at=None,
        record=None,
        started_at=None,
        withdrawn_at=None,
        reopened_at=now,
    )


def trained_by(complaint_ids):
    """``{complaint id: [ComplaintTraining with assignment, its item and person]}``."""
    rows = defaultdict(list)
    links = ComplaintTraining.objects.filter(complaint_id__in=complaint_ids).select_related(
        "assignment", "assignment__plan_item", "assignment__staff"
    )
    for link in links.order_by("pk"):
        rows[link.complaint_id].append(link)
    return rows
