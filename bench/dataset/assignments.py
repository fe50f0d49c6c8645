"""Assignments for everyone × every item of the benchmark plan, with their records."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from bench.dataset.writing import Chain, copy_rows, moment, reset_sequence
from lms.models import Assignment, CompletionRecord, OfflineSession

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


def _sessions(items, unit):
    """One session per (offline) item for the whole bank: the check-in records point at it, as
    real ones do, so each completed assignment has a record of its item."""
    sessions = {}
    for item in items:
        at = datetime.datetime.combine(
            item.open_date, datetime.time(14, 30), timezone.get_current_timezone()
        )
        session = OfflineSession.objects.create(
            plan_item=item,
            title=item.title,
            org_unit=unit,
            starts_at=at,
            ends_at=at + datetime.timedelta(hours=2),
            place="基准培训室",
            trainer="基准讲师",
        )
        sessions[item.pk] = session.pk
    return sessions


def build_assignments(staff, items, outlets, records_total, rng, today, officer_id):
    """Assignments for everyone × every item, their records, and older records up to
    ``records_total``. Returns a ``Built``."""
    built = Built()
    pace = {unit.pk: rng.uniform(0.35, 0.98) for unit in outlets}
    chain = Chain()
    # Published on 2 January (09:00 local), as a bank publishes its annual plan: the dashboards
    # "as of" a day of the year then count everyone (assignments made at build time would
    # count nobody before today).
    assigned_at = min(
        timezone.now(),
        timezone.make_aware(datetime.datetime(today.year, 1, 2, 9)),
    )
    rows = []
    sessions = _sessions(items, outlets[0].get_root())
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
                completed_at = started_at = moment(rng, day)
                record = chain.add(
                    user_id=person.user_id,
                    staff_id=person.pk,
                    kind=CompletionRecord.OFFLINE,
                    title=item.title,
                    session_id=sessions[item.pk],
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
                        session_id=record.session_id,
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
                    started_at = moment(rng, item.open_date)
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
            completed_at=moment(rng, day),
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
    copy_rows(
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
    reset_sequence(CompletionRecord)
    built.assignments = len(rows)
    built.records = chain.count
    return built
