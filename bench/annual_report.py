"""The annual training summary (``lms_annual_report``) for the whole bank.

Run on demand on the bank-scale data set (``python manage.py lms_bench_data``: 20,000 staff,
300 units, 30 items, 600k assignments, 1M records), PostgreSQL in practice:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cplms_bench python bench/annual_report.py

Times, for every unit as of a past day of the plan year and as of its default day: gathering the
report (``build_report``) with its parts (the one pass over the assignments, the as-of
dashboard, the record chain from the newest signed anchor), rendering the PDF and the XLSX, and
the whole command; then, for comparison, verifying the whole chain (what ``--verify-chain``
adds). An anchor is written first (untimed) into a temporary directory if none is there.
Target: the whole bank's report ≤ 30 s.
"""

import datetime
import os
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import override_settings  # noqa: E402

from lms.models import Assignment, CompletionRecord, TrainingPlan  # noqa: E402
from lms.services.annual import people  # noqa: E402
from lms.services.annual.chain import chain_table  # noqa: E402
from lms.services.annual.pdf import render_pdf  # noqa: E402
from lms.services.annual.report import build_report, system_reader  # noqa: E402
from lms.services.annual.xlsx import render_xlsx  # noqa: E402
from lms.services.dashboard.units import rollup  # noqa: E402
from lms.services.records.anchoring import anchor_chain  # noqa: E402
from lms.services.records.verification import verify_chain  # noqa: E402

DAY = datetime.date(2026, 6, 30)
ANCHORS = Path(tempfile.gettempdir()) / "cplms-bench-anchors"


def timed(label, work):
    started, cpu = time.perf_counter(), time.process_time()
    result = work()
    print(
        f"  {label}: {time.perf_counter() - started:.2f} s "
        f"(CPU here {time.process_time() - cpu:.2f} s)",
        flush=True,
    )
    return result


def main():
    if connection.vendor != "postgresql":
        print("Run this on PostgreSQL (DATABASE_URL=postgres://…) with the bank-scale data set.")
    plan = TrainingPlan.objects.exclude(status=TrainingPlan.DRAFT).order_by("-year").first()
    print(
        f"{connection.vendor}: {Assignment.objects.count()} assignments, "
        f"{CompletionRecord.objects.count()} records; plan “{plan}” ({plan.year})"
    )
    ANCHORS.mkdir(exist_ok=True)
    with override_settings(LMS_ANCHOR_DIR=str(ANCHORS)):
        if not list(ANCHORS.glob("chain-anchor-*.json")):
            print("writing an anchor first (untimed: it verifies the whole chain) …", flush=True)
            anchor_chain()
        reader = system_reader()
        for day in (DAY, None):
            print(f"as of {day or 'the default day'}:")
            report = timed("build_report (all of it)", partial(build_report, plan, day=day))
            on = report.day
            assignments = Assignment.objects.filter(plan_item__plan=plan)
            timed("  of which the people's pass", partial(people.collect, assignments, plan, on))
            timed("  of which the as-of dashboard", partial(rollup, reader, plan, as_of=on))
            timed("  of which the chain from the anchor", partial(chain_table, verify=False))
            pdf = timed("render_pdf", partial(render_pdf, report))
            xlsx = timed("render_xlsx", partial(render_xlsx, report))
            print(f"  PDF {len(pdf):,} bytes, XLSX {len(xlsx):,} bytes")
        with tempfile.TemporaryDirectory() as output:
            args = ["--year", str(plan.year), "--output", output]
            timed(
                "lms_annual_report (whole command)",
                lambda: call_command("lms_annual_report", *args),
            )
        timed("for comparison: verify_chain (what --verify-chain adds)", verify_chain)


if __name__ == "__main__":
    main()
