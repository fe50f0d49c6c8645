"""The daily renewal run (``lms_recertify``) at bank scale: 20,000 staff × 30 items.

Run on demand on the bank-scale data set (``python manage.py lms_bench_data``, 600k
assignments, ~400k completed), PostgreSQL in practice:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cplms_bench python bench/recertify.py

The worst day: every item counts 12 months and every completed assignment's completion lapses
within the lead time, so all of them are assigned again in one run (a third of them already
lapsed); then the same day's second run (which must change nothing), then the run of the day after
they lapsed (every open renewal expires). Everything happens in one transaction rolled back at
the end: the data set is left as it was. Prints seconds, this process's CPU seconds and the
counts of each run, and checks the tallies against a live count afterwards.
"""

import datetime
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.db.models import F  # noqa: E402

from lms.models import Assignment, PlanItem  # noqa: E402
from lms.services.compliance.recertify import recertify  # noqa: E402
from lms.services.dashboard import tallies  # noqa: E402

DAY = datetime.date(2027, 3, 1)


class Rollback(Exception):
    pass


def timed(label, work):
    started, cpu = time.perf_counter(), time.process_time()
    result = work()
    print(
        f"{label}: {time.perf_counter() - started:.1f} s "
        f"(CPU here {time.process_time() - cpu:.1f} s) {result}"
    )
    return result


def main():
    if connection.vendor != "postgresql":
        print("Run this on PostgreSQL (DATABASE_URL=postgres://…) with the bank-scale data set.")
    items = PlanItem.objects.count()
    completed = Assignment.objects.filter(status=Assignment.COMPLETED)
    print(f"{connection.vendor}: {items} items, {completed.count()} completed assignments")
    try:
        with transaction.atomic():
            PlanItem.objects.update(validity_kind=PlanItem.MONTHS, validity_months=12)
            # Each completion lapses between 10 days before and 20 days after the run's day.
            spread = [DAY + datetime.timedelta(days=offset) for offset in range(-10, 21)]
            for index, day in enumerate(spread):
                completed.filter(
                    pk__in=completed.annotate(m=F("pk") % len(spread)).filter(m=index).values("pk")
                ).update(valid_until=day)
            timed("first run", lambda: recertify(DAY))
            timed("second run, same day", lambda: recertify(DAY))
            timed("the day after they lapsed", lambda: recertify(DAY + datetime.timedelta(31)))
            drift = tallies.drift()
            print(f"tallies against a live count: {len(drift)} differences")
            raise Rollback
    except Rollback:
        print("rolled back: the data set is as it was")


if __name__ == "__main__":
    main()
