"""Fault drills under the Monday-morning load (issue 16), on the local cluster.

    .venv/bin/python bench/faults.py pg|web|tasks|redis|all [--web 2] [--tasks 2] [--users 60]
        [--minutes 4] [--fault-at 60]

Each drill starts the cluster (``deploy/cluster``: nginx, N gunicorn processes, M task workers,
production settings, the bank-scale data set), runs the load (``bench/load/locustfile.py``,
headless, loopback) and, ``--fault-at`` seconds in, does one thing operations meet:

- ``pg``: PostgreSQL restarted (``pg_ctlcluster … restart -m fast``: every connection cut);
- ``web``: a gunicorn worker killed with SIGKILL (its requests in flight are lost);
- ``tasks``: a plan's publication queued, and the task worker running it killed with SIGKILL
  mid-task (the other worker must take it over once the dead one's lease has passed);
- ``redis``: Redis stopped for 60 s (``redis-cli shutdown nosave``), then started again.

Afterwards it checks, and prints as a table and JSON (``var/cluster/results/drill-<name>.json``):
every acknowledged write the load tool saw (2xx lesson completions, answers, submits, check-ins)
is in the database (``bench/load/reconcile.py``: lost must be 0); when the failures happened
against the fault's window (errors after the window + a grace period must be 0); 5xx during a
Redis outage (must be 0: the cache degrades); no task or run left RUNNING and no task run more
often than its worker died; the drill plan's publication created each assignment once (the
tallies agree: ``lms_check_tallies``); the record chain whole (``lms_verify_records``).

Not part of ``make test``: it restarts the machine's PostgreSQL and Redis. Run it alone.
"""

import argparse
import datetime
import json
import os
import signal
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
from reconcile import stuck_runs  # noqa: E402

PYTHON = sys.executable
CLUSTER = [PYTHON, str(ROOT / "deploy" / "cluster")]
PG_VERSION = sorted(os.listdir("/etc/postgresql"))[0] if Path("/etc/postgresql").exists() else ""
REDIS_START = [
    "redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", "6379",
    "--save", "", "--appendonly", "no", "--dir", "/var/lib/redis",
    "--logfile", "/var/log/redis/ci.log",
]  # fmt: skip
#: Seconds after a fault's end within which errors still count as the fault's.
GRACE = 15


def say(message):
    print(message, flush=True)


def run(command, **kwargs):
    return subprocess.run(command, check=True, **kwargs)  # noqa: S603 - our own commands


def children(role):
    return [child for child in cluster_status().get("children", []) if child["role"] == role]


def manage(*args):
    """``manage.py`` with the cluster's environment; (exit code, output)."""
    from clusterkit import layout  # noqa: PLC0415 - on the path once common is imported

    env = {**os.environ, **layout.environment(Path(DEFAULT_ENV_FILE))}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    done = subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    return done.returncode, (done.stdout + done.stderr).strip()


# --- faults ---------------------------------------------------------------------------------


def fault_pg():
    began = time.time()
    run(["pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, "main", "restart", "-m", "fast"])
    return began, time.time(), {}


def fault_web():
    web = children("web")[0]
    victim = web["workers"][0]
    began = time.time()
    os.kill(victim, signal.SIGKILL)
    while True:  # gunicorn's master forks a new worker
        workers = next(c for c in children("web") if c["name"] == web["name"])["workers"]
        if workers and victim not in workers:
            break
        time.sleep(0.05)
    return began, time.time(), {"killed_pid": victim, "web": web["name"]}


def fault_tasks():
    """Queue a publication of a one-item plan for everyone (a fan-out of ~20,000 assignments),
    SIGKILL the worker that runs it, wait until another has finished it."""
    from django.utils import timezone  # noqa: PLC0415
    from django_tasks_db.models import DBTaskResult  # noqa: PLC0415

    from lms.models import PlanItem, PlanPublication, TrainingPlan  # noqa: PLC0415
    from lms.services.publishing import start_publication  # noqa: PLC0415
    from lms.tasks import publish_plan_task  # noqa: PLC0415

    today = timezone.localdate()
    plan = TrainingPlan.objects.create(
        year=today.year, title=f"故障演练计划 {timezone.now():%H:%M:%S}", required_hours=1
    )
    PlanItem.objects.create(
        plan=plan, title="演练项目", kind=PlanItem.OFFLINE, everyone=True,
        open_date=today, due_date=today.replace(day=28), credit_hours=1,
    )  # fmt: skip
    run_row = start_publication(plan, None)
    result = publish_plan_task.enqueue(plan.pk)
    PlanPublication.objects.filter(pk=run_row.pk).update(task_id=result.id)
    while True:
        row = DBTaskResult.objects.get(pk=result.id)
        if row.status == "RUNNING" and row.worker_ids:
            break
        time.sleep(0.02)
    victim = int(row.worker_ids[-1].split(":")[1])
    began = time.time()
    os.kill(victim, signal.SIGKILL)
    while DBTaskResult.objects.get(pk=result.id).status not in ("SUCCESSFUL", "FAILED"):
        time.sleep(0.5)
    row = DBTaskResult.objects.get(pk=result.id)
    run_row.refresh_from_db()
    created = plan.items.get().assignments.count()
    return (
        began,
        time.time(),
        {
            "killed_pid": victim,
            "task": str(result.id),
            "task_status": row.status,
            "task_workers": row.worker_ids,
            "publication": run_row.status,
            "assignments_created": run_row.created,
            "assignments_in_db": created,
            "plan_id": plan.pk,
        },
    )


def fault_redis():
    began = time.time()
    subprocess.run(["redis-cli", "-p", "6379", "shutdown", "nosave"], check=False)  # noqa: S607
    time.sleep(60)
    run(REDIS_START)
    return began, time.time(), {"down_seconds": 60}


FAULTS = {"pg": fault_pg, "web": fault_web, "tasks": fault_tasks, "redis": fault_redis}


# --- checks ---------------------------------------------------------------------------------


def failures():
    rows = []
    for path in Path(JOURNAL_DIR).glob("*.failures.jsonl"):
        rows += [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return sorted(rows, key=lambda row: row["t"])


def settle(seconds=180):
    """Wait until no task is queued or running (the load's roster imports, the drill's plan)."""
    from django_tasks_db.models import DBTaskResult  # noqa: PLC0415

    deadline = time.time() + seconds
    while time.time() < deadline:
        if not DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists():
            return True
        time.sleep(1)
    return False


def task_runs(since):
    """Tasks enqueued during the drill: how many, and how many were run by more than one
    worker (each must be one whose earlier worker was killed)."""
    from django_tasks_db.models import DBTaskResult  # noqa: PLC0415

    rows = DBTaskResult.objects.filter(
        enqueued_at__gte=datetime.datetime.fromtimestamp(since, tz=datetime.UTC)
    )
    statuses = {}
    for row in rows:
        statuses[row.status] = statuses.get(row.status, 0) + 1
    taken_over = [str(row.pk) for row in rows if len(row.worker_ids) > 1]
    return {"tasks": rows.count(), "by_status": statuses, "run_by_two_workers": taken_over}


def drill(name, options):
    say(f"== drill {name}: cluster up ({options.web} web, {options.tasks} task workers)")
    fresh_cluster(options.web, options.tasks)
    journal, results = Path(JOURNAL_DIR), Path(RESULTS_DIR)
    started = time.time()
    load = start_locust(f"drill-{name}", options.users, options.minutes * 60, options.port)
    time.sleep(options.fault_at)
    say(f"   fault: {name} at +{time.time() - started:.0f} s")
    began, ended, details = FAULTS[name]()
    connection.close()  # this process's own connection may not have survived the fault
    say(f"   fault over after {ended - began:.1f} s; load continues")
    load.wait()
    say("   load done; waiting for the task queue to settle")
    settled = settle()
    rows = failures()
    window = (began - 1, ended + GRACE)
    before = [r for r in rows if r["t"] < window[0]]
    during = [r for r in rows if window[0] <= r["t"] <= window[1]]
    after = [r for r in rows if r["t"] > window[1]]
    server_errors = [r for r in during if (r.get("status") or 0) >= 500]
    reconcile_file = results / f"drill-{name}.reconcile.json"
    reconcile_out = subprocess.run(  # noqa: S603
        [PYTHON, str(ROOT / "bench/load/reconcile.py"), "--no-chain"]
        + ["--journal", str(journal), "--json", str(reconcile_file)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    try:
        reconcile = json.loads(reconcile_file.read_text())
    except (OSError, ValueError):
        reconcile = {"output": reconcile_out.stdout[-2000:] + reconcile_out.stderr[-2000:]}
    code = reconcile_out.returncode
    verify_code, verify_out = manage("lms_verify_records")
    tallies_code, tallies_out = manage("lms_check_tallies")
    summary = {
        "drill": name,
        "shape": {"web": options.web, "tasks": options.tasks, "users": options.users},
        "fault": {"at": round(began - started, 1), "seconds": round(ended - began, 1), **details},
        "errors": {
            "before": len(before),
            "during_window": len(during),
            "after_window": len(after),
            "server_errors_during": len(server_errors),
            "first": round(during[0]["t"] - began, 1) if during else None,
            "last": round(during[-1]["t"] - began, 1) if during else None,
            "kinds": sorted({r["kind"] for r in during}),
            "after_kinds": sorted({r["kind"] for r in after}),
        },
        "reconcile_exit": code,
        "reconcile": reconcile,
        "queue_settled": settled,
        "stuck": stuck_runs(),
        "task_runs": task_runs(started),
        "chain": {"exit": verify_code, "output": verify_out[-400:]},
        "tallies": {"exit": tallies_code, "output": tallies_out[-400:]},
        "restarts": [(c["name"], c["restarts"]) for c in cluster_status().get("children", [])],
    }
    (results / f"drill-{name}.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    run([*CLUSTER, "down"], stdout=subprocess.DEVNULL)
    return summary


def verdict(summary):
    """The drill's pass conditions, each with its result."""
    stuck_now = summary["stuck"]
    checks = {
        "0 acknowledged writes lost": summary["reconcile_exit"] == 0,
        "no errors after the window": summary["errors"]["after_window"] == 0,
        "no task or run left running": not any(stuck_now.values()),
        "chain whole": summary["chain"]["exit"] == 0,
        "tallies agree": summary["tallies"]["exit"] == 0,
    }
    if summary["drill"] == "redis":
        checks["no 5xx while Redis is away"] = summary["errors"]["server_errors_during"] == 0
    if summary["drill"] == "tasks":
        fault = summary["fault"]
        checks["killed task finished by another worker, once"] = (
            fault["task_status"] == "SUCCESSFUL"
            and len(fault["task_workers"]) == 2
            and fault["publication"] == "finished"
            and fault["assignments_created"] == fault["assignments_in_db"]
        )
    return checks


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("drill", choices=[*FAULTS, "all"])
    parser.add_argument("--web", type=int, default=2)
    parser.add_argument("--tasks", type=int, default=2)
    parser.add_argument("--users", type=int, default=60)
    parser.add_argument("--minutes", type=float, default=4)
    parser.add_argument("--fault-at", type=float, default=60)
    parser.add_argument("--port", type=int, default=8080)
    options = parser.parse_args()
    setup_django(DEFAULT_ENV_FILE)

    names = list(FAULTS) if options.drill == "all" else [options.drill]
    failed = False
    for name in names:
        summary = drill(name, options)
        say(json.dumps(summary["errors"], ensure_ascii=False))
        for check, ok in verdict(summary).items():
            say(f"   {'PASS' if ok else 'FAIL'}  {check}")
            failed |= not ok
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
