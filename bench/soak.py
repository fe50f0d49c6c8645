"""The soak (issue 16): the Monday-morning load for a long time at half the measured capacity.

    .venv/bin/python bench/soak.py [--minutes 30] [--users 40] [--web 2] [--tasks 2]
        [--every 30] [--warmup 5]

Starts the cluster (``deploy/cluster``) with gunicorn's worker recycling off
(``GUNICORN_MAX_REQUESTS=0``: a leak must show, not be hidden by restarts), runs the load
(``bench/load/locustfile.py``) for ``--minutes`` and every ``--every`` seconds samples: the RSS of
every web worker and task worker (``/proc/<pid>/status``), the database connections of the
cluster's database by state (``pg_stat_activity``), Redis's connected clients, the dashboards'
pending tally change rows, and the failures so far. At the end it compares the samples after the
warm-up (``--warmup`` minutes: caches and pools filling) with the last ones.

Pass: 0 failed requests, the RSS of each process alive throughout grown ≤ 10 % from its level
after the warm-up, no growth in open connections, no growth in pending change rows. Prints the
samples as a table and writes them with the verdict to ``var/cluster/results/soak.json``.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench" / "load"))

from common import (  # noqa: E402
    DEFAULT_ENV_FILE,
    JOURNAL_DIR,
    RESULTS_DIR,
    cluster_status,
    fresh_cluster,
    setup_django,
    start_locust,
)
from django.db import connection  # noqa: E402 - a proxy, usable once Django is set up

PYTHON = sys.executable
CLUSTER = [PYTHON, str(ROOT / "deploy" / "cluster")]


def say(message):
    print(message, flush=True)


def rss_kib(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def processes():
    """{"web-1/1234": pid, "task-1": pid, …}: the processes that do the work."""
    found = {}
    for child in cluster_status().get("children", []):
        if child["role"] in ("web", "exports"):
            for pid in child.get("workers") or []:
                found[f"{child['name']}/{pid}"] = pid
        elif child["role"] != "proxy" and child.get("pid"):
            found[child["name"]] = child["pid"]
    return found


def database_connections():
    name = connection.settings_dict["NAME"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE(state, 'none'), COUNT(*) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid() GROUP BY 1",
            [name],
        )
        return dict(cursor.fetchall())


def pending_changes():
    from lms.services.dashboard import tallies  # noqa: PLC0415

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM {tallies.TALLY_CHANGES}) "  # noqa: S608 - constants
            f"+ (SELECT COUNT(*) FROM {tallies.WEEK_CHANGES})"
        )
        return cursor.fetchone()[0]


def redis_clients():
    done = subprocess.run(  # noqa: S603
        ["redis-cli", "-p", "6379", "info", "clients"],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    for line in done.stdout.splitlines():
        if line.startswith("connected_clients:"):
            return int(line.split(":")[1])
    return None


def failure_count():
    return sum(
        sum(1 for line in path.read_text().splitlines() if line.strip())
        for path in Path(JOURNAL_DIR).glob("*.failures.jsonl")
    )


def sample(started):
    procs = processes()
    return {
        "minute": round((time.time() - started) / 60, 2),
        "rss_kib": {name: rss_kib(pid) for name, pid in procs.items()},
        "db_connections": database_connections(),
        "redis_clients": redis_clients(),
        "pending_changes": pending_changes(),
        "failures": failure_count(),
        "load": os.getloadavg()[0],
    }


def window(samples, low, high):
    return [s for s in samples if low <= s["minute"] <= high]


def verdict(samples, options):
    warm = window(samples, options.warmup, options.warmup + 3)
    last = window(samples, options.minutes - 3, options.minutes + 1)
    growth = {}
    for name in samples[-1]["rss_kib"]:
        before = [s["rss_kib"].get(name) for s in warm]
        after = [s["rss_kib"].get(name) for s in last]
        if None in before or None in after or not before or not after:
            continue  # not alive throughout (a restart would be a finding of its own)
        growth[name] = round(100 * (statistics.median(after) / statistics.median(before) - 1), 1)

    def total(s):
        return sum(s["db_connections"].values())

    return {
        "failures": samples[-1]["failures"],
        "rss_growth_percent": growth,
        "connections_after_warmup": max(total(s) for s in warm),
        "connections_at_end": max(total(s) for s in last),
        "redis_clients_after_warmup": max(s["redis_clients"] or 0 for s in warm),
        "redis_clients_at_end": max(s["redis_clients"] or 0 for s in last),
        "pending_after_warmup": max(s["pending_changes"] for s in warm),
        "pending_at_end": max(s["pending_changes"] for s in last),
    }


def passes(result):
    return {
        "0 failed requests": result["failures"] == 0,
        "RSS growth ≤ 10 % for every process": all(
            g <= 10 for g in result["rss_growth_percent"].values()
        ),
        "no growth in database connections": result["connections_at_end"]
        <= result["connections_after_warmup"],
        "no growth in Redis clients": result["redis_clients_at_end"]
        <= result["redis_clients_after_warmup"],
        "no growth in pending tally changes": result["pending_at_end"]
        <= max(result["pending_after_warmup"], 1000),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--web", type=int, default=2)
    parser.add_argument("--tasks", type=int, default=2)
    parser.add_argument("--every", type=float, default=30)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--port", type=int, default=8080)
    options = parser.parse_args()
    setup_django(DEFAULT_ENV_FILE)
    os.environ["GUNICORN_MAX_REQUESTS"] = "0"
    fresh_cluster(options.web, options.tasks)
    results = Path(RESULTS_DIR)
    started = time.time()
    load = start_locust("soak", options.users, options.minutes * 60, options.port)
    samples = []
    say("minute  failures  db-conn  redis  pending  load  rss MiB (per process)")
    while load.poll() is None:
        time.sleep(options.every)
        if load.poll() is not None:
            break
        row = sample(started)
        samples.append(row)
        rss = " ".join(f"{v // 1024 if v else '-'}" for v in row["rss_kib"].values())
        say(
            f"{row['minute']:6.1f}  {row['failures']:8d}  {sum(row['db_connections'].values()):7d}"
            f"  {row['redis_clients'] or 0:5d}  {row['pending_changes']:7d}  {row['load']:4.1f}"
            f"  {rss}"
        )
    result = verdict(samples, options)
    checks = passes(result)
    (results / "soak.json").write_text(
        json.dumps({"samples": samples, "result": result, "checks": checks}, indent=2),
        encoding="utf-8",
    )
    subprocess.run([*CLUSTER, "down"], check=True, stdout=subprocess.DEVNULL)  # noqa: S603
    say(json.dumps(result, indent=2, ensure_ascii=False))
    for check, ok in checks.items():
        say(f"   {'PASS' if ok else 'FAIL'}  {check}")
    sys.exit(0 if all(checks.values()) else 1)


if __name__ == "__main__":
    main()
