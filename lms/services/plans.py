"""Who must learn what: audience rules, publishing a plan, keeping assignments in step with the
roster, and the status of an assignment."""

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from ..models import Assignment, PlanItem, StaffProfile, TrainingPlan
from .completions import credit_existing

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
COMPLETED = "completed"
OVERDUE = "overdue"
WITHDRAWN = "withdrawn"


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
            credit_existing(item)
        if progress:
            progress(done, len(items))
    TrainingPlan.objects.filter(pk=plan.pk, status=TrainingPlan.DRAFT).update(
        status=TrainingPlan.PUBLISHED, published_at=now
    )
    return created


def sync_staff(staff):
    """Keep ``staff``'s assignments in step with the roster after a hire, transfer or leave.

    New items of their audience are assigned to their current unit; open assignments that still
    apply move with them to a new unit; open assignments whose audience they left are withdrawn
    (kept for history); a leaver's open assignments are all withdrawn. Completed assignments are
    never touched: they stay credited to the unit that earned them."""
    now = timezone.now()
    items = (
        PlanItem.objects.filter(plan__status=TrainingPlan.PUBLISHED)
        .select_related("plan")
        .prefetch_related("positions", "org_units")
    )
    staff = StaffProfile.objects.select_related("org_unit").get(pk=staff.pk)
    current = {a.plan_item_id: a for a in Assignment.objects.filter(staff=staff)}
    to_create, to_withdraw, to_reopen, to_move = [], [], [], []
    for item in items:
        matches = item_matches(
            item,
            staff,
            positions={p.pk for p in item.positions.all()},
            unit_paths=[u.path for u in item.org_units.all()],
        )
        assignment = current.get(item.pk)
        if matches and assignment is None:
            to_create.append(
                Assignment(
                    staff=staff,
                    plan_item=item,
                    org_unit=staff.org_unit,
                    due_date=item.due_date,
                    assigned_at=now,
                )
            )
        elif matches and assignment.status == Assignment.WITHDRAWN:
            to_reopen.append(assignment.pk)
        elif (
            matches
            and assignment.status == Assignment.OPEN
            and assignment.org_unit_id != staff.org_unit_id
        ):
            to_move.append(assignment.pk)
        elif not matches and assignment is not None and assignment.status == Assignment.OPEN:
            to_withdraw.append(assignment.pk)
    with transaction.atomic():
        Assignment.objects.bulk_create(to_create, ignore_conflicts=True)
        for assignment in to_create:
            credit_existing(assignment.plan_item)
        Assignment.objects.filter(pk__in=to_withdraw).update(
            status=Assignment.WITHDRAWN, withdrawn_at=now
        )
        # Back in the audience (e.g. transferred back): open again, credited to the new unit.
        Assignment.objects.filter(pk__in=to_reopen).update(
            status=Assignment.OPEN, withdrawn_at=None, org_unit=staff.org_unit
        )
        # Open work follows a transfer (the new outlet chases it); completed work keeps the unit
        # that earned it.
        Assignment.objects.filter(pk__in=to_move).update(org_unit=staff.org_unit)
    return {
        "created": len(to_create),
        "withdrawn": len(to_withdraw),
        "reopened": len(to_reopen),
        "moved": len(to_move),
    }


def assignment_status(assignment, today=None):
    """not_started / in_progress / completed / overdue / withdrawn. Overdue is derived: open
    and past its due date in the site's time zone (Asia/Shanghai), so it needs no nightly job."""
    if assignment.status == Assignment.COMPLETED:
        return COMPLETED
    if assignment.status == Assignment.WITHDRAWN:
        return WITHDRAWN
    today = today or timezone.localdate()
    if assignment.due_date < today:
        return OVERDUE
    return IN_PROGRESS if assignment.started_at else NOT_STARTED
