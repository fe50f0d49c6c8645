"""The complaint loop pages (投诉溯源整改) on the bank-scale data set.

Run on demand on PostgreSQL, after ``manage.py lms_bench_data``:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cplms_bench python bench/complaints_dashboard.py

Adds, once (kept, marked ``BENCH-``): 50,000 complaints of this year over the data set's
outlets, one or two staff named in most, two targeted items with a rule each, and the targeted
assignments and links the rules would make for a fifth of them (bulk-written: what
``apply_rules`` writes, without its minutes). Then times, as the officer (every unit) and as an
outlet head, the list of loops (overdue first), a unit's page (complaints by month, before and
after its training) and the ledger's first rows, next to a bare view, in process (Django's test
client). Target: ≤ 300 ms server time for the complaint dashboard.
"""

import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.dataset.org import OFFICER_USERNAME, PREFIX  # noqa: E402
from lms.models import (  # noqa: E402
    Assignment,
    Complaint,
    ComplaintRule,
    ComplaintTraining,
    OrgUnit,
    PlanItem,
    StaffProfile,
    TrainingPlan,
)
from quizzes.models import ClassificationCode  # noqa: E402

N = int(os.environ.get("BENCH_N", "20"))
COMPLAINTS = 50_000
MARK = "BENCH-"


def build():
    rng = random.Random(2026)  # noqa: S311 - reproducible test data
    today = timezone.localdate()
    plan = TrainingPlan.objects.exclude(status=TrainingPlan.DRAFT).order_by("-year").first()
    codes = {dim: list(ClassificationCode.objects.filter(dimension=dim)) for dim in "ABC"}
    outlets = list(OrgUnit.objects.filter(code__startswith=f"{PREFIX}-O"))
    staff = {}
    for pk, unit_id in StaffProfile.objects.filter(is_active=True).values_list("pk", "org_unit_id"):
        staff.setdefault(unit_id, []).append(pk)
    start = datetime.date(today.year, 1, 1)
    span = max((today - start).days, 1)
    with transaction.atomic():
        rows = [
            Complaint(
                number=f"{MARK}{n:06d}",
                received_on=start + datetime.timedelta(days=rng.randrange(span)),
                channel=rng.choice(codes["A"]),
                business=rng.choice(codes["B"]),
                reason=rng.choice(codes["C"]),
                org_unit=rng.choice(outlets),
                summary="（基准数据）",
                source=Complaint.IMPORT,
            )
            for n in range(COMPLAINTS)
        ]
        Complaint.objects.bulk_create(rows, batch_size=5000)
        rows = list(
            Complaint.objects.filter(number__startswith=MARK).values_list("pk", "org_unit_id")
        )
        through = Complaint.staff.through
        named = []
        for pk, unit_id in rows:
            people = staff.get(unit_id) or []
            for person in rng.sample(people, k=min(len(people), rng.choice([0, 1, 1, 2]))):
                named.append(through(complaint_id=pk, staffprofile_id=person))
        through.objects.bulk_create(named, batch_size=10000)
        course_item = PlanItem.objects.filter(plan=plan, kind=PlanItem.COURSE).first()
        items = []
        for order, (title, reason) in enumerate(
            (("基准针对性培训：告知", "C.5"), ("基准针对性培训：服务", "C.1"))
        ):
            item = PlanItem.objects.create(
                plan=plan,
                title=title,
                kind=PlanItem.COURSE,
                course_id=course_item.course_id if course_item else None,
                targeted=True,
                open_date=start,
                due_date=datetime.date(today.year, 12, 31),
                sort_order=900 + order,
            )
            rule = ComplaintRule.objects.create(
                name=title, reason=ClassificationCode.objects.get(code=reason)
            )
            rule.items.set([item])
            items.append((item, rule))
        links, made = [], {}
        assignments = []
        for pk, person in (
            (link.complaint_id, link.staffprofile_id) for link in named[: len(named) // 5]
        ):
            item, rule = items[pk % 2]
            if (person, item.pk) in made:
                continue
            made[person, item.pk] = pk
            done = rng.random() < 0.7
            assignments.append(
                Assignment(
                    staff_id=person,
                    plan_item=item,
                    org_unit_id=None,
                    due_date=today - datetime.timedelta(days=rng.randint(-20, 60)),
                    status=Assignment.COMPLETED if done else Assignment.OPEN,
                    completed_at=timezone.now() if done else None,
                )
            )
        units = dict(StaffProfile.objects.values_list("pk", "org_unit_id"))
        for assignment in assignments:
            assignment.org_unit_id = units[assignment.staff_id]
        Assignment.objects.bulk_create(assignments, batch_size=5000)
        ids = {
            (staff_id, item_id): pk
            for pk, staff_id, item_id in Assignment.objects.filter(
                plan_item__in=[item for item, _rule in items]
            ).values_list("pk", "staff_id", "plan_item_id")
        }
        for (person, item_id), complaint_id in made.items():
            rule = next(rule for item, rule in items if item.pk == item_id)
            links.append(
                ComplaintTraining(
                    complaint_id=complaint_id, assignment_id=ids[person, item_id], rule=rule
                )
            )
        ComplaintTraining.objects.bulk_create(links, batch_size=10000)
    with connection.cursor() as cursor:
        for model in (Complaint, ComplaintTraining, Complaint.staff.through):
            cursor.execute(f"ANALYZE {model._meta.db_table}")
    print(f"built {COMPLAINTS} complaints, {len(named)} named staff, {len(links)} training links")


def timed(client, url):
    client.get(url)  # warm
    times = []
    for _n in range(N):
        started = time.perf_counter()
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            next(iter(response.streaming_content))
            next(iter(response.streaming_content), None)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main():
    if connection.vendor != "postgresql":
        print("Run this on PostgreSQL (DATABASE_URL=postgres://…) with the bank-scale data set.")
    if not Complaint.objects.filter(number__startswith=MARK).exists():
        build()
    officer = get_user_model().objects.get(username=OFFICER_USERNAME)
    outlet = OrgUnit.objects.filter(code__startswith=f"{PREFIX}-O").order_by("code").first()
    head = StaffProfile.objects.filter(managed_units=outlet).select_related("user").first().user
    branch = OrgUnit.objects.get(code=PREFIX)
    as_officer, as_head = Client(HTTP_HOST="localhost"), Client(HTTP_HOST="localhost")
    as_officer.force_login(officer)
    as_head.force_login(head)
    print(
        f"{Complaint.objects.count()} complaints, {ComplaintTraining.objects.count()} links; "
        f"{N} requests each"
    )
    rows = {
        "officer: loops, whole bank": (as_officer, "/learn/team/complaints/"),
        "officer: overdue loops": (as_officer, "/learn/team/complaints/?state=overdue"),
        "officer: branch unit page": (as_officer, f"/learn/team/complaints/units/{branch.pk}/"),
        "officer: ledger CSV first rows": (as_officer, "/learn/team/complaints/ledger.csv"),
        "outlet head: loops": (as_head, "/learn/team/complaints/"),
        "outlet head: unit page": (as_head, f"/learn/team/complaints/units/{outlet.pk}/"),
        "bare: login page": (Client(HTTP_HOST="localhost"), "/accounts/login/"),
    }
    print(f"{'request':40} {'median ms':>10} {'p95 ms':>10}")
    for label, (client, url) in rows.items():
        median, p95 = timed(client, url)
        print(f"{label:40} {median:10.1f} {p95:10.1f}", flush=True)


if __name__ == "__main__":
    main()
