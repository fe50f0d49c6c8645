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
from django.db.models import Prefetch, prefetch_related_objects
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


def people_for(rule, complaint, front_line=None):
    """The active staff ``rule`` trains for ``complaint`` (``front_line``: a cache of each
    unit's front-line staff across complaints)."""
    if rule.audience == ComplaintRule.NAMED_STAFF:
        return [person for person in complaint.staff.all() if person.is_active]
    cache = front_line if front_line is not None else {}
    path = complaint.org_unit.path
    if path not in cache:
        cache[path] = list(
            StaffProfile.objects.filter(
                is_active=True,
                position__staff_level=Position.FRONT_LINE,
                org_unit__path__startswith=path,
            )
        )
    return cache[path]


def live_rules():
    """The active rules, each with ``live_items``: its targeted items of published plans (only
    those are ever assigned)."""
    items = PlanItem.objects.filter(targeted=True, plan__status=TrainingPlan.PUBLISHED)
    live = Prefetch("items", queryset=items.select_related("plan"), to_attr="live_items")
    return list(ComplaintRule.objects.filter(is_active=True).prefetch_related(live).order_by("pk"))


def apply_rules(complaints, today=None):
    """Apply the active rules to ``complaints`` (saved ``Complaint`` rows). Returns an
    ``Outcome``. One transaction; the complaints are read together and each targeted item is
    trained for all of its people at once: a few queries per item and 900 people, however many
    complaints (an import of a year's register). When several rules give the same item, the
    first complaint's rule sets the due date and the shortest look-back applies."""
    today = today or timezone.localdate()
    now = timezone.now()
    rules, lines = live_rules(), ancestors()
    outcome = Outcome()
    complaints = list(complaints)
    prefetch_related_objects(complaints, "staff", "org_unit")
    wanted = defaultdict(dict)  # item → {person id: (person, [(complaint, rule), …])}
    front_line = {}
    for complaint in complaints:
        matched = matching_rules(complaint, rules, lines)
        if not matched:
            outcome.unmatched.append(complaint)
            continue
        for rule in matched:
            people = people_for(rule, complaint, front_line)
            for item in rule.live_items:
                for person in people:
                    wanted[item].setdefault(person.pk, (person, []))[1].append((complaint, rule))
    with transaction.atomic():
        for item, people in wanted.items():
            _train(item, people, today, now, outcome)
    return outcome


def _chunks(values, size=900):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _assignments(item, staff_ids, lock=False):
    found = {}
    for chunk in _chunks(staff_ids):
        rows = Assignment.objects.filter(plan_item=item, staff_id__in=chunk)
        found.update((a.staff_id, a) for a in (rows.select_for_update() if lock else rows))
    return found


def _train(item, people, today, now, outcome):
    """Train ``people`` (``{person id: (person, [(complaint, rule), …])}``) on ``item``."""
    rule_of = {pk: pairs[0][1] for pk, (_person, pairs) in people.items()}
    existing = _assignments(item, people, lock=True)
    Assignment.objects.bulk_create(
        [
            Assignment(
                staff_id=pk,
                plan_item=item,
                org_unit_id=person.org_unit_id,
                due_date=today + datetime.timedelta(days=rule_of[pk].due_days),
                assigned_at=now,
            )
            for pk, (person, _pairs) in people.items()
            if pk not in existing
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
    reopen, credited_before = defaultdict(list), set()
    for pk, assignment in existing.items():
        since = today - datetime.timedelta(days=rule_of[pk].lookback_days)
        due = today + datetime.timedelta(days=rule_of[pk].due_days)
        if assignment.status == Assignment.WITHDRAWN:
            reopen[due].append(assignment.pk)
        elif assignment.status in (Assignment.COMPLETED, Assignment.EXEMPT):
            done = assignment.completed_at and timezone.localdate(assignment.completed_at)
            if assignment.status == Assignment.EXEMPT or (done and done >= since):
                credited_before.add(assignment.pk)
            else:
                reopen[due].append(assignment.pk)
    for due, pks in reopen.items():
        _reopen(item, pks, due, now)
    reopened = {pk for pks in reopen.values() for pk in pks}
    new_ids = {
        a.pk for a in _assignments(item, [pk for pk in people if pk not in existing]).values()
    }
    if new_ids:
        shortest = min(rule_of[pk].lookback_days for pk in people if pk not in existing)
        credit_existing(item, since=today - datetime.timedelta(days=shortest), until=now)
        _start_afresh(item, new_ids)
    _link(item, people, new_ids, reopened, credited_before, outcome)


def _link(item, people, new_ids, reopened, credited_before, outcome):
    """A ``ComplaintTraining`` row for each complaint and person not linked yet."""
    now_rows = _assignments(item, people)
    assignment_ids = [a.pk for a in now_rows.values()]
    complaint_ids = {c.pk for _person, pairs in people.values() for c, _rule in pairs}
    already = set()
    for chunk in _chunks(assignment_ids):
        already |= set(
            ComplaintTraining.objects.filter(
                assignment_id__in=chunk, complaint_id__in=complaint_ids
            ).values_list("complaint_id", "assignment_id")
        )
    links, counted = [], set()
    for pk, (_person, pairs) in people.items():
        assignment = now_rows[pk]
        credited = assignment.pk in credited_before or (
            assignment.pk in new_ids and assignment.status == Assignment.COMPLETED
        )
        for complaint, rule in pairs:
            if (complaint.pk, assignment.pk) in already:
                continue
            already.add((complaint.pk, assignment.pk))
            links.append(
                ComplaintTraining(
                    complaint=complaint, assignment=assignment, rule=rule, credited=credited
                )
            )
            first = assignment.pk not in counted
            counted.add(assignment.pk)
            if credited:
                outcome.credited += 1
            elif first and assignment.pk in new_ids:
                outcome.assigned += 1
            elif first and assignment.pk in reopened:
                outcome.reopened += 1
            else:
                outcome.linked += 1
    ComplaintTraining.objects.bulk_create(links, batch_size=2000, ignore_conflicts=True)


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
