"""The admin roster upload at the documented maximum (50,000 people), as the uploader waits for it.

    python bench/roster_upload.py immediate   # TASKS_BACKEND=immediate: the task runs inline
    python bench/roster_upload.py database    # the request queues it, a db_worker runs it

Each run builds a fresh SQLite database (or uses DATABASE_URL: an empty PostgreSQL database),
the 300-unit tree of ``bench/roster.py`` and a roster of BENCH_ROWS (default 50,000) new staff as
.xlsx, then POSTs it to /admin/roster-import/ as a superuser (Django's test client, in process:
server time without the network), first as a dry run, then as the import. With ``database`` it
then runs ``manage.py db_worker --batch`` in this process and times it. A production web worker
(gunicorn) is killed after 30 s: anything the request does past that is lost.
"""

import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
MODE = sys.argv[1] if len(sys.argv) > 1 else "database"
if MODE not in ("immediate", "database"):
    sys.exit("usage: python bench/roster_upload.py immediate|database")
os.environ["TASKS_BACKEND"] = MODE
if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from bench.roster import POSITIONS, build_units, person, xlsx_bytes  # noqa: E402
from lms.models import Position, RosterImport, StaffProfile  # noqa: E402

ROWS = int(os.environ.get("BENCH_ROWS", "50000"))


def post(client, data, dry_run):
    form = {"file": SimpleUploadedFile("roster.xlsx", data)}
    if dry_run:
        form["dry_run"] = "on"
    start = time.perf_counter()
    response = client.post("/admin/roster-import/", form)
    seconds = time.perf_counter() - start
    assert response.status_code == 302, response.status_code
    return seconds


def work(client, label):
    """The worker's part, when queued: ``db_worker --batch`` runs what waits, then exits."""
    if MODE != "database":
        return
    start = time.perf_counter()
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    print(
        f"  {label + ', the worker (db_worker --batch)':<52} {time.perf_counter() - start:7.3f} s"
    )


def main():
    call_command("migrate", verbosity=0)
    if StaffProfile.objects.exists():
        sys.exit("This database already has staff: give the benchmark a fresh one.")
    _subs, outlets = build_units()
    Position.objects.bulk_create([Position(name=name) for name, _w in POSITIONS])
    rng = random.Random(20260301)
    data = xlsx_bytes([person(number, outlets, rng) for number in range(1, ROWS + 1)])
    print(f"Roster upload: {ROWS} rows, .xlsx {len(data) / 1e6:.1f} MB, {connection.vendor}, "
          f"TASKS_BACKEND={MODE}")  # fmt: skip
    admin = get_user_model().objects.create_superuser("bench-admin", password=None)
    client = Client(HTTP_HOST="localhost")
    client.force_login(admin)
    client.get("/admin/roster-import/")  # warm up the admin
    for label, dry_run in (("dry run", True), ("import", False)):
        seconds = post(client, data, dry_run)
        print(f"  {label + ', the request':<52} {seconds:7.3f} s")
        work(client, label)
        run = RosterImport.objects.latest("pk")
        assert run.status == RosterImport.FINISHED, (run.status, run.error)
        assert run.outcome["created"] == ROWS, run.outcome
    assert StaffProfile.objects.count() == ROWS


if __name__ == "__main__":
    main()
