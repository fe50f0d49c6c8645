"""Evidence export benchmark: the regulator CSV of a plan with 20,000 staff × 30 items (600k
rows), as the officer, next to a bare Django view in the same run.

Run on demand on PostgreSQL (create the database first):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cplms_bench python bench/export.py
On a database built by ``manage.py lms_bench_data`` (the realistic set: ~400k completed
assignments, 1M records) it exports that data set's plan as its officer. Otherwise it builds its
own once, quickly (bulk inserts, the assignments by INSERT … SELECT, a few thousand completions
through ``record_completion``; ``BENCH_STAFF`` / ``BENCH_ITEMS`` / ``BENCH_UNITS`` change the
size), and reuses it in later runs; without DATABASE_URL in a temporary SQLite file.

Reported: time to the first chunk (the headings) and to the first rows, total time, rows, MB,
and how much the peak RSS of the process grew while streaming (VmHWM, reset before via
/proc/self/clear_refs), for the evidence export (whole branch) and for the "training
completion" report's CSV export (Wagtail's ReportView, one sub-branch: it builds model instances
per row), plus the bare view's median.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

import datetime  # noqa: E402
from decimal import Decimal  # noqa: E402

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import path, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.dataset.org import OFFICER_USERNAME, PREFIX  # noqa: E402
from lms.models import (  # noqa: E402
    Assignment,
    CompletionRecord,
    OrgUnit,
    PlanItem,
    Position,
    StaffProfile,
    TrainingPlan,
)
from lms.services import record_completion  # noqa: E402

STAFF = int(os.environ.get("BENCH_STAFF", "20000"))
UNITS = int(os.environ.get("BENCH_UNITS", "300"))
ITEMS = int(os.environ.get("BENCH_ITEMS", "30"))
COMPLETED = 3000
TITLE = "BENCH export plan"


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("bare/", bare)]


def status_kb(field):
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def reset_peak():
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
    except OSError:
        return False
    return True


@transaction.atomic
def build():
    """Units (30 sub-branches × 10 outlets), staff, one plan of ITEMS items and every
    assignment; COMPLETED of them completed with a real record, a tenth started."""
    started = time.perf_counter()
    root = OrgUnit.add_root(code="BX", name="基准分行", kind=OrgUnit.BRANCH)
    outlets = []
    subs = max(1, UNITS // 10)
    for s in range(subs):
        sub = OrgUnit.objects.get(pk=root.pk).add_child(
            code=f"BX{s:02d}", name=f"基准支行{s}", kind=OrgUnit.SUB_BRANCH
        )
        for o in range(UNITS // subs):
            outlets.append(
                OrgUnit.objects.get(pk=sub.pk).add_child(
                    code=f"BX{s:02d}{o:02d}", name=f"基准网点{s}-{o}", kind=OrgUnit.OUTLET
                )
            )
    position = Position.objects.get_or_create(name="柜员")[0]
    user_model = get_user_model()
    users = user_model.objects.bulk_create(
        [
            user_model(username=f"BX{n:06d}", first_name=f"员工{n}", password="!")  # noqa: S106 - unusable
            for n in range(STAFF)
        ],
        batch_size=2000,
    )
    StaffProfile.objects.bulk_create(
        [
            StaffProfile(
                user=user,
                employee_no=user.username,
                name=user.first_name,
                org_unit=outlets[n % len(outlets)],
                position=position,
            )
            for n, user in enumerate(users)
        ],
        batch_size=2000,
    )
    year = timezone.localdate().year
    plan = TrainingPlan.objects.create(year=year, title=TITLE, status=TrainingPlan.PUBLISHED)
    PlanItem.objects.bulk_create(
        [
            PlanItem(
                plan=plan,
                title=f"基准课程{i}",
                open_date=datetime.date(year, 1, 1),
                due_date=datetime.date(year, 1 + i % 12, 28),
                sort_order=i,
            )
            for i in range(ITEMS)
        ]
    )
    tables = {
        "a": Assignment._meta.db_table,
        "s": StaffProfile._meta.db_table,
        "i": PlanItem._meta.db_table,
    }
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {tables['a']} (staff_id, plan_item_id, org_unit_id, status, due_date, "  # noqa: S608
            f"assigned_at) SELECT s.id, i.id, s.org_unit_id, 'open', i.due_date, "
            f"CURRENT_TIMESTAMP FROM {tables['s']} s CROSS JOIN {tables['i']} i "
            f"WHERE i.plan_id = %s AND s.employee_no LIKE 'BX%%'",
            [plan.pk],
        )
    open_ = Assignment.objects.filter(plan_item__plan=plan)
    open_.filter(staff_id__in=StaffProfile.objects.filter(employee_no__endswith="7")).update(
        started_at=timezone.now()
    )
    done = []
    for assignment in open_.select_related("staff__user", "plan_item").order_by("pk")[:COMPLETED]:
        at = timezone.now()
        assignment.record = record_completion(
            assignment.staff.user,
            staff=assignment.staff,
            kind=CompletionRecord.COURSE,
            title=assignment.plan_item.title,
            completed_at=at,
            method=CompletionRecord.ONLINE,
            score=Decimal("92"),
            credit_hours=Decimal("1.0"),
            credited_unit_id=assignment.org_unit_id,
        )
        assignment.status, assignment.completed_at = Assignment.COMPLETED, at
        done.append(assignment)
    Assignment.objects.bulk_update(done, ["record", "status", "completed_at"], batch_size=1000)
    if connection.vendor == "postgresql":
        # Fresh statistics, as autovacuum would have by the time anyone exports: without them
        # the planner guesses a few thousand rows and picks a plan that sorts everything.
        connection.cursor().execute("ANALYZE")
    print(f"built {open_.count()} assignments in {time.perf_counter() - started:.1f} s")
    return plan


def measure_stream(client, url):
    """Time to the headings, to the first rows and to the end; rows; bytes; peak RSS growth."""
    reset_ok = reset_peak()
    base = status_kb("VmRSS")
    started = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    chunks = iter(response.streaming_content)
    first = next(chunks)
    first_s = time.perf_counter() - started
    size, lines = len(first), first.count(b"\n")
    rows_s = None
    for chunk in chunks:
        if rows_s is None:
            rows_s = time.perf_counter() - started
        size += len(chunk)
        lines += chunk.count(b"\n")
    total_s = time.perf_counter() - started
    response.close()
    peak = status_kb("VmHWM") if reset_ok else status_kb("VmRSS")
    return {
        "first_chunk_ms": first_s * 1000,
        "first_rows_ms": (rows_s or total_s) * 1000,
        "total_s": total_s,
        "rows": lines - 1,
        "mb": size / 1e6,
        "rss_growth_mb": (peak - base) / 1024,
    }


def main():
    call_command("migrate", verbosity=0)
    user_model = get_user_model()
    if OrgUnit.objects.filter(code=PREFIX).exists():  # lms_bench_data's data set
        plan = TrainingPlan.objects.filter(items__assignments__org_unit__code=PREFIX).first()
        plan = plan or TrainingPlan.objects.exclude(title=TITLE).order_by("-pk").first()
        officer = user_model.objects.get(username=OFFICER_USERNAME)
        sub_branch = OrgUnit.objects.get(code=f"{PREFIX}-S00")
    else:
        plan = TrainingPlan.objects.filter(title=TITLE).first() or build()
        officer = user_model.objects.filter(username="bench_export_admin").first()
        officer = officer or user_model.objects.create_superuser("bench_export_admin")
        sub_branch = OrgUnit.objects.get(code="BX00")
    client = Client(HTTP_HOST="localhost")
    client.force_login(officer)
    client.get(reverse("lms_reports:evidence"))  # warm: session, URL conf, templates
    rows = {
        "evidence CSV": measure_stream(client, reverse("lms_reports:evidence_csv", args=[plan.pk])),
        # The report builds model instances per row: measured for one sub-branch.
        "report CSV": measure_stream(
            client,
            reverse("lms_reports:assignments") + f"?export=csv&plan={plan.pk}&unit={sub_branch.pk}",
        ),
    }
    with override_settings(ROOT_URLCONF=__name__):
        bare_client = Client(HTTP_HOST="localhost")
        bare_client.get("/bare/")
        timings = []
        for _ in range(200):
            started = time.perf_counter()
            bare_client.get("/bare/")
            timings.append(time.perf_counter() - started)
    print(f"{connection.vendor}, officer (whole branch), Django test client, in process")
    header = ("export", "1st chunk ms", "1st rows ms", "total s", "rows", "MB", "RSS +MB")
    print(f"{header[0]:<13} " + " ".join(f"{h:>12}" for h in header[1:]))
    for name, row in rows.items():
        print(
            f"{name:<13} {row['first_chunk_ms']:>12.1f} {row['first_rows_ms']:>12.1f} "
            f"{row['total_s']:>12.1f} {row['rows']:>12} {row['mb']:>12.1f} "
            f"{row['rss_growth_mb']:>12.1f}"
        )
    print(f"bare view median {statistics.median(timings) * 1000:.2f} ms (200 requests)")


if __name__ == "__main__":
    main()
