"""A realistic data set at bank scale for the benchmarks (``manage.py lms_bench_data``): an org
tree (branch → ~20 sub-branches → outlets, each outlet with a head who manages it), positions,
staff, one published plan of N items for everyone, assignments with a mix of completed / open /
overdue / withdrawn (each outlet has its own pace), and completion records: one per completed
assignment, a few corrections, and older records up to the requested total.

Rows are written in bulk (PostgreSQL ``COPY``, batched ``executemany`` elsewhere). Records are
still a valid hash chain: each is hashed with ``lms.services.records.record_hash`` in pk order,
continuing the existing chain, and the chain head is moved on, so ``lms_verify_records`` passes.
The dashboards' tallies are recounted at the end (``lms_check_tallies`` passes).
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection, transaction
from django.utils import timezone

from . import tallies
from .models import (
    Assignment,
    AssignmentTally,
    ChainHead,
    CompletionRecord,
    OrgUnit,
    PlanItem,
    Position,
    StaffProfile,
    TrainingPlan,
)
from .services.records import GENESIS, record_hash
from .services.roles import OFFICERS

POSITIONS = ["柜员", "大堂经理", "理财经理", "客户经理", "网点负责人", "消保专员"]
PREFIX = "BENCH"
OFFICER_USERNAME = "bench_officer"
UNUSABLE_PASSWORD = "!"  # noqa: S105 - Django's marker for an unusable password
WITHDRAWN_SHARE = 0.01
CORRECTION_SHARE = 0.005


@dataclass
class Built:
    units: int = 0
    staff: int = 0
    assignments: int = 0
    records: int = 0
    completed: int = 0
    overdue: int = 0
    withdrawn: int = 0


def _copy(table, columns, rows):
    """Insert ``rows`` (tuples in ``columns`` order) into ``table``, fast."""
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        statement = f"COPY {table} ({quoted}) FROM STDIN"  # noqa: S608
        with connection.connection.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join(["%s"] * len(columns))
    statement = f"INSERT INTO {table} ({quoted}) VALUES ({marks})"  # noqa: S608
    batch = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append([_adapt(value) for value in row])
            if len(batch) >= 5000:
                cursor.executemany(statement, batch)
                batch = []
        if batch:
            cursor.executemany(statement, batch)


def _adapt(value):
    """A value as the database backend stores it (SQLite keeps datetimes as UTC text)."""
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return connection.ops.adapt_datefield_value(value)
    if isinstance(value, Decimal):
        return str(value)
    return value


def _reset_sequence(model):
    if connection.vendor != "postgresql":
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
            f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
        )


def _fast_foreign_keys():
    """On PostgreSQL as a superuser, skip the per-row foreign-key triggers for this transaction
    (``session_replication_role = replica``): every id written here was just read or generated
    in the same transaction, and checking ~8 million references one by one at commit is most of
    the run. Otherwise the (deferred) checks run as usual, only slower."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
        if row and row[0]:
            cursor.execute("SET LOCAL session_replication_role = replica")


def build_org(units):
    """Branch → ``units // 15`` sub-branches (≈20 for 300) → the rest as outlets."""
    root = OrgUnit.add_root(code=PREFIX, name="基准分行", kind=OrgUnit.BRANCH)
    subs = [
        OrgUnit.objects.get(pk=root.pk).add_child(
            code=f"{PREFIX}-S{i:02d}", name=f"基准支行{i:02d}", kind=OrgUnit.SUB_BRANCH
        )
        for i in range(max(units // 15, 1))
    ]
    outlets = []
    for index in range(max(units - len(subs) - 1, 1)):
        parent = OrgUnit.objects.get(pk=subs[index % len(subs)].pk)
        outlets.append(parent.add_child(code=f"{PREFIX}-O{index:04d}", name=f"基准网点{index:04d}"))
    return root, subs, outlets


def build_staff(count, outlets, rng):
    positions = [Position.objects.get_or_create(name=name)[0] for name in POSITIONS]
    user_model = get_user_model()
    users = user_model.objects.bulk_create(
        [
            user_model(username=f"b{n:06d}", password=UNUSABLE_PASSWORD, first_name=f"员工{n}")
            for n in range(count)
        ],
        batch_size=5000,
    )
    staff = StaffProfile.objects.bulk_create(
        [
            StaffProfile(
                user=user,
                employee_no=user.username,
                name=f"员工{n:05d}",
                org_unit=outlets[n % len(outlets)],
                position=positions[4] if n < len(outlets) else rng.choice(positions),
                hire_date=datetime.date(rng.choice([2012, 2016, 2019, 2022, 2024]), 3, 1),
            )
            for n, user in enumerate(users)
        ],
        batch_size=5000,
    )
    # The first person of each outlet is its head (网点负责人) and manages it.
    through = StaffProfile.managed_units.through
    through.objects.bulk_create(
        [
            through(staffprofile_id=staff[n].pk, orgunit_id=outlets[n].pk)
            for n in range(min(len(outlets), len(staff)))
        ]
    )
    officer = user_model.objects.create(username=OFFICER_USERNAME, password=UNUSABLE_PASSWORD)
    officers, _created = Group.objects.get_or_create(name=OFFICERS)
    officers.permissions.add(
        Permission.objects.get(codename="view_all_progress"),
        Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin"),
    )
    officer.groups.add(officers)
    return staff


def build_plan(items, year):
    plan = TrainingPlan.objects.create(
        year=year,
        title=f"{year}年度消保与服务培训计划（基准）",
        status=TrainingPlan.PUBLISHED,
        published_at=timezone.now(),
        required_hours=6,
    )
    created = []
    for number in range(items):
        due = datetime.date(year, 1, 31) + datetime.timedelta(days=number * 330 // max(items, 1))
        created.append(
            PlanItem.objects.create(
                plan=plan,
                title=f"消保培训项目{number + 1:02d}",
                kind=PlanItem.OFFLINE,
                everyone=True,
                open_date=datetime.date(year, 1, 1),
                due_date=due,
                credit_hours=1,
                quarterly_targets=[25, 50, 75, 100],
                sort_order=number,
            )
        )
    return plan, created


def _moment(rng, day):
    tz = timezone.get_current_timezone()
    return datetime.datetime.combine(day, datetime.time(rng.randint(8, 19), rng.randint(0, 59)), tz)


class Chain:
    """Appends records to the hash chain in memory, ids given in chain order."""

    def __init__(self):
        head = ChainHead.objects.filter(pk=1).first()
        self.prev = head.last_hash if head else GENESIS
        self.count = head.count if head else 0
        last = CompletionRecord.objects.order_by("-pk").values_list("pk", flat=True).first()
        self.next_id = (last or 0) + 1
        self.rows = []
        self.created_at = timezone.now()

    def add(self, **fields):
        record = CompletionRecord(id=self.next_id, created_at=self.created_at, **fields)
        record.prev_hash = self.prev
        record.hash = record_hash(record, self.prev)
        self.prev = record.hash
        self.next_id += 1
        self.count += 1
        self.rows.append(record)
        return record

    COLUMNS = [
        "id",
        "user_id",
        "staff_id",
        "kind",
        "title",
        "completed_at",
        "method",
        "score",
        "credit_hours",
        "evidence",
        "credited_unit_id",
        "recorded_by_id",
        "supersedes_id",
        "reason",
        "created_at",
        "prev_hash",
        "hash",
    ]

    def flush(self):
        import json

        def rows():
            for r in self.rows:
                yield (
                    r.id,
                    r.user_id,
                    r.staff_id,
                    r.kind,
                    r.title,
                    r.completed_at,
                    r.method,
                    r.score,
                    r.credit_hours,
                    json.dumps(r.evidence),
                    r.credited_unit_id,
                    r.recorded_by_id,
                    r.supersedes_id,
                    r.reason,
                    r.created_at,
                    r.prev_hash,
                    r.hash,
                )

        _copy(CompletionRecord._meta.db_table, self.COLUMNS, rows())
        self.rows = []
        ChainHead.objects.update_or_create(
            pk=1, defaults={"last_hash": self.prev, "count": self.count}
        )


def build_assignments(staff, items, outlets, records_total, rng, today, officer_id):
    """Assignments for everyone × every item, their records, and older records up to
    ``records_total``. Returns a ``Built``."""
    built = Built()
    pace = {unit.pk: rng.uniform(0.35, 0.98) for unit in outlets}
    chain = Chain()
    assigned_at = timezone.now()
    rows = []
    for item in items:
        span = max((item.due_date - item.open_date).days, 1)
        elapsed = min(max((today - item.open_date).days / span, 0.0), 1.0)
        for person in staff:
            unit_id = person.org_unit_id
            roll = rng.random()
            record_id, completed_at, started_at = None, None, None
            if roll < WITHDRAWN_SHARE:
                status = Assignment.WITHDRAWN
                built.withdrawn += 1
            elif roll < WITHDRAWN_SHARE + pace[unit_id] * elapsed:
                status = Assignment.COMPLETED
                last = min(today, item.due_date + datetime.timedelta(days=30))
                days = max((last - item.open_date).days, 0)
                day = item.open_date + datetime.timedelta(days=rng.randint(0, days))
                completed_at = started_at = _moment(rng, day)
                record = chain.add(
                    user_id=person.user_id,
                    staff_id=person.pk,
                    kind=CompletionRecord.OFFLINE,
                    title=item.title,
                    completed_at=completed_at,
                    method=CompletionRecord.CHECK_IN,
                    credit_hours=item.credit_hours,
                    evidence={"bench": True},
                    credited_unit_id=unit_id,
                    reason="",
                )
                if rng.random() < CORRECTION_SHARE:
                    record = chain.add(
                        user_id=person.user_id,
                        staff_id=person.pk,
                        kind=record.kind,
                        title=record.title,
                        completed_at=completed_at,
                        method=CompletionRecord.CORRECTION,
                        credit_hours=item.credit_hours,
                        evidence={"bench": True},
                        credited_unit_id=unit_id,
                        recorded_by_id=officer_id,
                        supersedes_id=record.id,
                        reason="签到日期更正",
                    )
                record_id = record.id
                built.completed += 1
            else:
                status = Assignment.OPEN
                if item.due_date < today:
                    built.overdue += 1
                if rng.random() < 0.3:
                    started_at = _moment(rng, item.open_date)
            rows.append(
                (
                    person.pk,
                    item.pk,
                    unit_id,
                    status,
                    item.due_date,
                    assigned_at,
                    started_at,
                    completed_at,
                    record_id,
                )
            )
        chain.flush()
    # Older records (earlier years' training) up to the requested total.
    last_year = today.year - 1
    while chain.count < records_total:
        person = staff[rng.randrange(len(staff))]
        day = datetime.date(last_year, 1, 1) + datetime.timedelta(days=rng.randint(0, 364))
        chain.add(
            user_id=person.user_id,
            staff_id=person.pk,
            kind=CompletionRecord.OFFLINE,
            title=f"{last_year}年消保培训",
            completed_at=_moment(rng, day),
            method=CompletionRecord.OFFICER_IMPORT,
            credit_hours=1,
            evidence={"bench": True},
            credited_unit_id=person.org_unit_id,
            recorded_by_id=officer_id,
            reason="",
        )
        if len(chain.rows) >= 50000:
            chain.flush()
    chain.flush()
    _copy(
        Assignment._meta.db_table,
        [
            "staff_id",
            "plan_item_id",
            "org_unit_id",
            "status",
            "due_date",
            "assigned_at",
            "started_at",
            "completed_at",
            "record_id",
        ],
        rows,
    )
    _reset_sequence(CompletionRecord)
    built.assignments = len(rows)
    built.records = chain.count
    return built


def build(staff=20000, units=300, items=30, records=1_000_000, seed=2026, log=None):
    """Build the whole data set in one transaction; returns a ``Built`` with the counts."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    today = timezone.localdate()
    say = log or (lambda message: None)
    with transaction.atomic():
        _fast_foreign_keys()
        _root, subs, outlets = build_org(units)
        say(f"units: {1 + len(subs) + len(outlets)}")
        people = build_staff(staff, outlets, rng)
        say(f"staff: {len(people)}")
        _plan, plan_items = build_plan(items, today.year)
        officer_id = get_user_model().objects.get(username=OFFICER_USERNAME).pk
        built = build_assignments(people, plan_items, outlets, records, rng, today, officer_id)
        # Replica mode also skipped the dashboards' tally triggers: count what was written.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = origin")
        tallies.rebuild()
    if connection.vendor == "postgresql":  # fresh statistics for the planner
        with connection.cursor() as cursor:
            for model in (Assignment, AssignmentTally, CompletionRecord, StaffProfile, OrgUnit):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
    built.units = 1 + len(subs) + len(outlets)
    built.staff = len(people)
    return built
