"""Managers' dashboard benchmark: the 团队进度 pages and the team API on the bank-scale data set
(`manage.py lms_bench_data`: 20,000 staff, 300 units, 30 items, ~600k assignments, ~1M records),
each next to a bare Django view timed in the same run.

Run on demand, on PostgreSQL:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cplms_bench python bench/dashboard.py
It migrates and builds the data set first if the database has none (a few minutes).
BENCH_N sets the number of timed requests per URL (default 30). Server time: Django test client,
in process, no network. Targets: branch ≤ 300 ms, outlet ≤ 100 ms.

Before timing, it folds the tallies and then simulates a working day: BENCH_WRITES (default
330, three change rows each: just under the fold threshold of 1000) open assignments completed
one transaction each, as learners do, so the pages are timed with those changes pending (the
reader's worst case before a fold). It times those writes (the triggers' cost) and checks that
one more completion shows on the very next request.
"""

import datetime
import os
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
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries, transaction  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import include, path  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.dataset.org import OFFICER_USERNAME, PREFIX  # noqa: E402
from config.startup import freeze_startup_objects  # noqa: E402
from lms.models import Assignment, CompletionRecord, OrgUnit, StaffProfile  # noqa: E402
from lms.services.dashboard import tallies  # noqa: E402

N = int(os.environ.get("BENCH_N", "30"))
WRITES = int(os.environ.get("BENCH_WRITES", "330"))


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("bare/", bare), path("", include("config.urls"))]


def measure(client, url):
    response = client.get(url)  # warm
    assert response.status_code == 200, (url, response.status_code)
    with override_settings(DEBUG=True):
        reset_queries()
        client.get(url)
        queries = len(connection.queries)
    timings = []
    for _ in range(N):
        start = time.perf_counter()
        client.get(url)
        timings.append(time.perf_counter() - start)
    timings.sort()
    return {
        "median_ms": statistics.median(timings) * 1000,
        "p95_ms": timings[max(int(len(timings) * 0.95) - 1, 0)] * 1000,
        "queries": queries,
        "kb": len(response.content) / 1024,
    }


def complete_one(assignment_id):
    """What a completion does to the assignment table, in its own transaction."""
    with transaction.atomic():
        Assignment.objects.filter(pk=assignment_id).update(
            status=Assignment.COMPLETED, completed_at=timezone.now()
        )


def working_day(outlet):
    """Complete WRITES open assignments (outside ``outlet``), one transaction each; returns the
    median and p95 ms of one write."""
    tallies.fold()
    ids = list(
        Assignment.objects.filter(status=Assignment.OPEN)
        .exclude(org_unit=outlet)
        .order_by("?")
        .values_list("pk", flat=True)[:WRITES]
    )
    timings = []
    for assignment_id in ids:
        start = time.perf_counter()
        complete_one(assignment_id)
        timings.append(time.perf_counter() - start)
    timings.sort()
    return statistics.median(timings) * 1000, timings[int(len(timings) * 0.95) - 1] * 1000


def shows_at_once(client, outlet):
    """Complete one open assignment of ``outlet``; the next API request must count it."""
    url = f"/api/v1/team/units/{outlet.pk}"
    before = client.get(url).json()["unit"]["rates"]["completed"]
    assignment_id = (
        Assignment.objects.filter(org_unit=outlet, status=Assignment.OPEN)
        .values_list("pk", flat=True)
        .first()
    )
    complete_one(assignment_id)
    after = client.get(url).json()["unit"]["rates"]["completed"]
    assert after == before + 1, (before, after)
    return before, after


#: A past day of the data set's plan year for the "as of" rows.
AS_OF = datetime.date(2026, 6, 30)


def main():
    # As the production WSGI entry point does (config/wsgi.py); BENCH_GC_FREEZE=0 skips it.
    if os.environ.get("BENCH_GC_FREEZE", "1") != "0":
        freeze_startup_objects()
    if connection.vendor != "postgresql":
        print("Run this on PostgreSQL (DATABASE_URL=postgres://…).")
    call_command("migrate", verbosity=0)
    if not OrgUnit.objects.filter(code=PREFIX).exists():
        call_command("lms_bench_data", staff=20000, units=300, items=30)
    branch = OrgUnit.objects.get(code=PREFIX)
    outlet = OrgUnit.objects.filter(code__startswith=f"{PREFIX}-O").order_by("code").first()
    head = StaffProfile.objects.filter(managed_units=outlet).select_related("user").first().user
    officer = get_user_model().objects.get(username=OFFICER_USERNAME)
    as_officer, as_head = Client(HTTP_HOST="localhost"), Client(HTTP_HOST="localhost")
    as_officer.force_login(officer)
    as_head.force_login(head)
    write_median, write_p95 = working_day(outlet)
    waiting = tallies.pending(at_most=10**9)
    print(
        f"{connection.vendor}: {StaffProfile.objects.count()} staff, {OrgUnit.objects.count()} "
        f"units, {Assignment.objects.count()} assignments, "
        f"{CompletionRecord.objects.count()} records; {N} requests each, test client, in process"
    )
    rows = {
        "branch: /learn/team/ (officer)": (as_officer, "/learn/team/"),
        "branch: unit page (officer)": (as_officer, f"/learn/team/units/{branch.pk}/"),
        "branch: overdue people (officer)": (
            as_officer,
            f"/learn/team/units/{branch.pk}/?status=overdue",
        ),
        "branch: API units/ (officer)": (as_officer, "/api/v1/team/units/"),
        "branch: API units/{id} (officer)": (as_officer, f"/api/v1/team/units/{branch.pk}"),
        "branch: admin 团队进度 (officer)": (as_officer, "/admin/team-progress/"),
        "branch: admin home panel (officer)": (as_officer, "/admin/"),
        "outlet: /learn/team/ (head)": (as_head, "/learn/team/"),
        "outlet: unit page (head)": (as_head, f"/learn/team/units/{outlet.pk}/"),
        "outlet: API units/ (head)": (as_head, "/api/v1/team/units/"),
        "outlet: API units/{id} (head)": (as_head, f"/api/v1/team/units/{outlet.pk}"),
    }
    # The same pages as of a past day (issue 14): from the credited completions, not the tallies.
    day = AS_OF.isoformat()
    for name, (client, url) in list(rows.items()):
        if "team" in url and "admin" not in url:
            joiner = "&" if "?" in url else "?"
            rows[f"{name} as of {day}"] = (client, f"{url}{joiner}as_of={day}")
    results = {}
    with override_settings(ROOT_URLCONF=__name__):
        for name, (client, url) in rows.items():
            results[name] = measure(client, url)
        results["bare view"] = measure(Client(HTTP_HOST="localhost"), "/bare/")
        still = tallies.pending(at_most=10**9)
        before, after = shows_at_once(as_head, outlet)
    header = ("request", "median ms", "p95 ms", "queries", "KB")
    print(f"{header[0]:<36} " + " ".join(f"{h:>10}" for h in header[1:]))
    for name, row in results.items():
        print(
            f"{name:<36} {row['median_ms']:>10.1f} {row['p95_ms']:>10.1f} {row['queries']:>10} "
            f"{row['kb']:>10.1f}"
        )
    print(
        f"tally changes pending while timed: {waiting} rows before, {still} after; {WRITES} "
        f"completion writes beforehand: median {write_median:.2f} ms, p95 {write_p95:.2f} ms "
        f"per transaction; one more completion in the outlet: {before} → {after} completed on "
        f"the next request"
    )


if __name__ == "__main__":
    main()
