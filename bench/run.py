"""Learner page benchmark: weight (gzip), queries and time per request, next to a bare view.

Run on demand: `make bench` (SQLite in a temp file) or `DATABASE_URL=postgres://… make bench`.
It builds the demo site in a fresh database, logs in as `teller` and requests each page type
N times through Django's test client (no network, so the numbers are server time).
"""

import gzip
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

from django.contrib.staticfiles import finders  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import path  # noqa: E402

from courses.models import CourseIndexPage, CoursePage, LessonPage  # noqa: E402

N = int(os.environ.get("BENCH_N", "200"))


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("bare/", bare)]


def measure(client, url, assets=True):
    client.get(url)  # warm: renditions, caches
    timings = []
    with override_settings(DEBUG=True):
        reset_queries()
        client.get(url)
        queries = len(connection.queries)
    for _ in range(N):
        start = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - start)
    assert response.status_code == 200, (url, response.status_code)
    body = response.content
    asset_bytes = 0
    for name in ("courses/learner.css", "courses/learner.js") if assets else ():
        with open(finders.find(name), "rb") as handle:
            asset_bytes += len(gzip.compress(handle.read()))
    return {
        "median_ms": statistics.median(timings) * 1000,
        "p95_ms": sorted(timings)[int(len(timings) * 0.95) - 1] * 1000,
        "queries": queries,
        "html_gzip_kb": len(gzip.compress(body)) / 1024,
        "first_load_kb": (len(gzip.compress(body)) + asset_bytes) / 1024,
    }


def main():
    call_command("migrate", verbosity=0)
    call_command("lms_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    client = Client(HTTP_HOST="localhost")
    client.post("/accounts/login/", {"username": "teller", "password": "demo1234"})
    catalog = CourseIndexPage.objects.live().first()
    course = CoursePage.objects.live().first()
    lesson = LessonPage.objects.live().child_of(course).last()
    rows = {
        "catalog": measure(client, catalog.url),
        "course": measure(client, course.url),
        "lesson": measure(client, lesson.url),
    }
    with override_settings(ROOT_URLCONF=__name__):
        rows["bare view"] = measure(Client(HTTP_HOST="localhost"), "/bare/", assets=False)
    print(f"{connection.vendor}, {N} requests each, Django test client, in process")
    header = ("page", "median ms", "p95 ms", "queries", "HTML gz KB", "1st load KB")
    print(f"{header[0]:<10} " + " ".join(f"{h:>11}" for h in header[1:]))
    for name, row in rows.items():
        print(
            f"{name:<10} {row['median_ms']:>11.2f} {row['p95_ms']:>11.2f} {row['queries']:>11} "
            f"{row['html_gzip_kb']:>11.1f} {row['first_load_kb']:>11.1f}"
        )


if __name__ == "__main__":
    main()
