"""Who must learn what: audience rules, publishing a plan, keeping assignments in step with the
roster, and the status of an assignment."""

from collections import defaultdict

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from lms.models import Assignment, PlanItem, StaffProfile, TrainingPlan
from lms.services.records.completions import credit_existing

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
COMPLETED = "completed"
OVERDUE = "overdue"
WITHDRAWN = "withdrawn"
EXPIRED = "expired"
EXEMPT = "exempt"
#: An open assignment due within this many days (today included) is "due soon" on the
#: managers' dashboards, today and as of a past day.
DUE_SOON_DAYS = 7


def item_matches(item, staff, positions=None, unit_paths=None):
    """Whether ``staff`` is in ``item``'s audience. ``positions`` / ``unit_paths`` may carry the
    item's prefetched rules to avoid queries."""
    if not staff.is_active:
        return False
    if item.new_hires_only and (not staff.hire_date or staff.hire_date.year < item.plan.year):
        return False
    if item.everyone:
        return True
    positions = positions if positions is not None else {p.pk for p in item.positions.all()}
    unit_paths = unit_paths if unit_paths is not None else [u.path for u in item.org_units.all()]
    if not positions and not unit_paths:
        return item.new_hires_only  # "new hires only" alone means every new hire
    if positions and staff.position_id not in positions:
        return False
    return not unit_paths or any(staff.org_unit.path.startswith(path) for path in unit_paths)


def audience_of(item):
    """A queryset of the active staff in ``item``'s audience (one query when evaluated)."""
    staff = StaffProfile.objects.filter(is_active=True)
    if item.new_hires_only:
        staff = staff.filter(hire_date__year__gte=item.plan.year)
    if item.everyone:
        return staff
    positions = list(item.positions.values_list("pk", flat=True))
    paths = list(item.org_units.values_list("path", flat=True))
    if not positions and not paths:
        return staff if item.new_hires_only else staff.none()
    if positions:
        staff = staff.filter(position_id__in=positions)
    if paths:
        unit_filter = Q()
        for path in paths:
            unit_filter |= Q(org_unit__path__startswith=path)
        staff = staff.filter(unit_filter)
    return staff


def _insert_assignments(item, audience, now):
    """Create the missing assignments of ``item`` for ``audience`` in one INSERT … SELECT
    (existing ones are skipped by the unique constraint). Returns how many were created."""
    rows = audience.annotate(a_staff=F("pk"), a_unit=F("org_unit_id")).values("a_staff", "a_unit")
    try:
        sql, params = rows.query.sql_with_params()
    except EmptyResultSet:  # an audience that can match nobody
        return 0
    table = connection.ops.quote_name(Assignment._meta.db_table)
    columns = "staff_id, plan_item_id, org_unit_id, status, due_date, assigned_at"
    # Only our own identifiers and the ORM's SQL are interpolated; values are parameters.
    select = f"SELECT audience.a_staff, %s, audience.a_unit, %s, %s, %s FROM ({sql}) audience"  # noqa: S608
    if connection.vendor == "sqlite":
        statement = f"INSERT OR IGNORE INTO {table} ({columns}) {select}"  # noqa: S608
    else:
        statement = f"INSERT INTO {table} ({columns}) {select} ON CONFLICT DO NOTHING"  # noqa: S608
    values = [
        item.pk,
        Assignment.OPEN,
        connection.ops.adapt_datefield_value(item.due_date),
        connection.ops.adapt_datetimefield_value(now),
    ]
    with connection.cursor() as cursor:
        cursor.execute(statement, values + list(params))
        return cursor.rowcount


def publish_plan(plan, progress=None):
    """Publish ``plan``: one assignment per person per item in its audience. Safe to re-run
    (existing assignments are kept). ``progress(done, total)`` is called after each item.
    Returns the number of assignments created."""
    items = list(plan.items.select_related("plan").order_by("sort_order", "pk"))
    now = timezone.now()
    created = 0
    for done, item in enumerate(items, start=1):
        with transaction.atomic():
            created += _insert_assignments(item, audience_of(item), now)
            if not item.targeted:  # complaint rules credit those, with their own look-back
                credit_existing(item)
        if progress:
            progress(done, len(items))
    TrainingPlan.objects.filter(pk=plan.pk, status=TrainingPlan.DRAFT).update(
        status=TrainingPlan.PUBLISHED, published_at=now
    )
    return created


def close_plan(plan):
    """Published → closed (no more syncing). A conditional update, so two officers closing at
    once change it once; returns whether this call closed it. Records and assignments stay."""
    return bool(
        TrainingPlan.objects.filter(pk=plan.pk, status=TrainingPlan.PUBLISHED).update(
            status=TrainingPlan.CLOSED, closed_at=timezone.now()
        )
    )


def sync_staff(staff):
    """Keep ``staff``'s assignments in step with the roster after a hire, transfer or leave:
    ``sync_many`` for one person."""
    return sync_many([staff.pk])


CHUNK = 900  # ids per query: well under SQLite's limit on query parameters


def _chunks(values, size=CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


# --- Keeping assignments in step, many people at once --------------------------------------


def _sync_action(matches, assignment, unit_id):
    """What ``sync_staff`` does with one person's assignment of one item (None: nothing)."""
    if matches and assignment is None:
        return "create"
    if matches and assignment.status == Assignment.WITHDRAWN:
        return "reopen"
    to_do = assignment is not None and assignment.status in Assignment.TO_DO
    if matches and to_do and assignment.org_unit_id != unit_id:
        return "move"
    if not matches and to_do:
        return "withdraw"
    return None


def sync_many(staff_ids):
    """Keep the assignments of the people ``staff_ids`` in step with the roster after hires,
    transfers, position changes and leavers: new items of their audience are assigned to their
    current unit; open assignments that still apply follow a transfer (the new outlet chases
    them); open assignments whose audience they left are withdrawn, kept for history (a
    leaver's are all withdrawn); withdrawn ones they are back in the audience of reopen.
    Completed and exempt assignments are never touched: they stay credited to the unit that
    earned them (expired ones are to do, like open ones). A targeted item (complaint rules
    assign it) has no audience: its open assignments follow a transfer and are withdrawn from a
    leaver, nothing more. A few queries per 900 people plus a
    few per plan item, instead of several per person; nothing at all when no plan is
    published. Returns the totals ``{created, withdrawn, reopened, moved}``."""
    totals = {"created": 0, "withdrawn": 0, "reopened": 0, "moved": 0}
    staff_ids = list(staff_ids)
    if not staff_ids:
        return totals
    items = list(
        PlanItem.objects.filter(plan__status=TrainingPlan.PUBLISHED)
        .select_related("plan")
        .prefetch_related("positions", "org_units")
    )
    if not items:
        return totals
    rules = [
        (item, {p.pk for p in item.positions.all()}, [u.path for u in item.org_units.all()])
        for item in items
    ]
    item_ids = [item.pk for item in items]
    now = timezone.now()
    to_create, to_withdraw = [], []
    to_reopen, to_move = defaultdict(list), defaultdict(list)  # by the person's unit
    fields = ("pk", "staff_id", "plan_item_id", "status", "org_unit_id")
    for chunk in _chunks(staff_ids):
        people = StaffProfile.objects.filter(pk__in=chunk).select_related("org_unit")
        current = defaultdict(dict)
        assignments = Assignment.objects.filter(staff_id__in=chunk, plan_item_id__in=item_ids)
        for assignment in assignments.only(*fields):
            current[assignment.staff_id][assignment.plan_item_id] = assignment
        for person in people:
            unit_id = person.org_unit_id
            for item, positions, unit_paths in rules:
                assignment = current[person.pk].get(item.pk)
                if item.targeted:  # only complaint rules assign it: kept while they work here
                    matches = person.is_active and assignment is not None
                    matches = matches and assignment.status != Assignment.WITHDRAWN
                else:
                    matches = item_matches(item, person, positions=positions, unit_paths=unit_paths)
                action = _sync_action(matches, assignment, unit_id)
                if action == "create":
                    to_create.append(
                        Assignment(
                            staff_id=person.pk,
                            plan_item=item,
                            org_unit_id=unit_id,
                            due_date=item.due_date,
                            assigned_at=now,
                        )
                    )
                elif action == "reopen":
                    to_reopen[unit_id].append(assignment.pk)
                elif action == "move":
                    to_move[unit_id].append(assignment.pk)
                elif action == "withdraw":
                    to_withdraw.append(assignment.pk)
    with transaction.atomic():
        Assignment.objects.bulk_create(to_create, batch_size=2000, ignore_conflicts=True)
        for item in {assignment.plan_item for assignment in to_create}:
            credit_existing(item)
        for chunk in _chunks(to_withdraw):
            Assignment.objects.filter(pk__in=chunk).update(
                status=Assignment.WITHDRAWN, withdrawn_at=now
            )
        for unit_id, pks in to_reopen.items():
            for chunk in _chunks(pks):
                Assignment.objects.filter(pk__in=chunk).update(
                    status=Assignment.OPEN, withdrawn_at=None, org_unit_id=unit_id
                )
        for unit_id, pks in to_move.items():
            for chunk in _chunks(pks):
                Assignment.objects.filter(pk__in=chunk).update(org_unit_id=unit_id)
    totals["created"] = len(to_create)
    totals["withdrawn"] = len(to_withdraw)
    totals["reopened"] = sum(len(pks) for pks in to_reopen.values())
    totals["moved"] = sum(len(pks) for pks in to_move.values())
    return totals


def assignment_status(assignment, today=None):
    """not_started / in_progress / completed / overdue / withdrawn / expired / exempt. Overdue is
    derived: open and past its due date in the site's time zone (Asia/Shanghai), so it needs no
    nightly job; expired (a renewal not done before the completion lapsed) is set by the daily
    ``lms_recertify`` run."""
    if assignment.status in (Assignment.COMPLETED, Assignment.WITHDRAWN):
        return assignment.status
    if assignment.status in (Assignment.EXPIRED, Assignment.EXEMPT):
        return assignment.status
    today = today or timezone.localdate()
    if assignment.due_date < today:
        return OVERDUE
    return IN_PROGRESS if assignment.started_at else NOT_STARTED
