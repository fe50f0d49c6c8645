"""Verifying the record chain: ``verify_chain`` (what ``lms_verify_records`` runs) on a data set
of BENCH_RECORDS (default 100,000) keyed records, with their assignments.

Run on demand: `python bench/verify_records.py` (SQLite temp file) or with
DATABASE_URL=postgres://… (an empty database). BENCH_STAFF / BENCH_ITEMS / BENCH_RECORDS resize
it. Prints the build time, then per run: seconds (and this process's CPU seconds: the machine
may be busy), records per second, queries and the problems found (0 expected); then the peak
Python memory of one more run (tracemalloc).
"""

import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from lms.models import Assignment, CompletionRecord  # noqa: E402
from lms.services import verify_chain  # noqa: E402

STAFF = int(os.environ.get("BENCH_STAFF", "2000"))
ITEMS = int(os.environ.get("BENCH_ITEMS", "10"))
RECORDS = int(os.environ.get("BENCH_RECORDS", "100000"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))


def main():
    call_command("migrate", verbosity=0)
    if not CompletionRecord.objects.exists():
        started = time.perf_counter()
        call_command(
            "lms_bench_data",
            staff=STAFF,
            units=max(STAFF // 60, 3),
            items=ITEMS,
            records=RECORDS,
            stdout=open(os.devnull, "w"),  # noqa: SIM115, PTH123 - discarded progress
        )
        print(f"built in {time.perf_counter() - started:.1f} s")
    records = CompletionRecord.objects.count()
    completed = Assignment.objects.filter(status=Assignment.COMPLETED).count()
    print(f"{connection.vendor}: {records} records, {completed} completed assignments")
    for run in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            started, cpu = time.perf_counter(), time.process_time()
            report = verify_chain()
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(
            f"run {run + 1}: {seconds:.2f} s ({cpu:.2f} s CPU in this process), "
            f"{report.checked / seconds:,.0f} records/s, "
            f"{len(queries.captured_queries)} queries, {report.total} problems"
        )
    # Memory on its own run: tracemalloc slows Python down.
    tracemalloc.start()
    verify_chain()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"peak Python memory while verifying: {peak / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
