"""Reconcile the load tool's journal with the database: no acknowledged write may be lost.

    python bench/load/reconcile.py [--journal var/cluster/journal] [--env FILE] [--no-chain]
                                   [--json OUT]

Reads every ``*.jsonl`` journal under ``--journal`` (recursively: a run's own folder or all
runs) and checks each acknowledged write in the database: a lesson completion has its
``LessonProgress``; an answer is stored on its attempt with the same choices; a submitted attempt
is final; a check-in has its ``CheckIn`` and its completion record. Prints found / LOST per kind,
the failures the load tool logged (with their first and last time, to compare with an outage
window), the record chain's verification (``manage.py lms_verify_records``: exit code and
problem lines) and the runs left "running" (plan publications, roster imports, django-tasks-db
results) — all as numbers. Exit status 1 when anything is lost or the chain is broken.
"""

import argparse
import datetime
import json
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import DEFAULT_ENV_FILE, JOURNAL_DIR, ROOT, setup_django  # noqa: E402

KINDS = ("lesson_complete", "answer", "submit", "checkin")


def read_journal(folder):
    writes, failures = defaultdict(list), []
    for path in sorted(Path(folder).rglob("*.jsonl")):
        target = failures if path.name.endswith(".failures.jsonl") else None
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError:  # a line cut short by a killed load tool: not acknowledged
                continue
            if target is not None:
                target.append(row)
            else:
                writes[row["kind"]].append(row)
    return writes, failures


def check(writes):
    """``{kind: (found, [lost rows])}``, one query per kind and batch."""
    from courses.models import LessonProgress  # noqa: PLC0415
    from lms.models import CheckIn, CompletionRecord  # noqa: PLC0415
    from quizzes.models import Answer, Attempt  # noqa: PLC0415

    result = {}
    rows = writes.get("lesson_complete", [])
    done = set(
        LessonProgress.objects.filter(user_id__in={r["user_id"] for r in rows}).values_list(
            "user_id", "lesson_id"
        )
    )
    lost = [r for r in rows if (r["user_id"], r["lesson_id"]) not in done]
    result["lesson_complete"] = (len(rows) - len(lost), lost)

    rows = writes.get("answer", [])
    stored = {
        (a, q): sorted(c or [])
        for a, q, c in Answer.objects.filter(
            attempt_id__in={r["attempt_id"] for r in rows}
        ).values_list("attempt_id", "question_id", "choice_ids")
    }
    lost = [r for r in rows if stored.get((r["attempt_id"], r["question_id"])) != r["choices"]]
    result["answer"] = (len(rows) - len(lost), lost)

    rows = writes.get("submit", [])
    final = set(
        Attempt.objects.filter(
            pk__in={r["attempt_id"] for r in rows},
            status__in=[Attempt.FINAL, Attempt.AWAITING_MARKING],
        ).values_list("pk", flat=True)
    )
    lost = [r for r in rows if r["attempt_id"] not in final]
    result["submit"] = (len(rows) - len(lost), lost)

    rows = writes.get("checkin", [])
    checked_in = set(
        CheckIn.objects.filter(session_id__in={r["session_id"] for r in rows}).values_list(
            "session_id", "staff__user_id"
        )
    )
    records = set(
        CompletionRecord.objects.filter(
            pk__in={r["record_id"] for r in rows if r.get("record_id")}
        ).values_list("pk", flat=True)
    )
    lost = [
        r
        for r in rows
        if (r["session_id"], r["user_id"]) not in checked_in or r.get("record_id") not in records
    ]
    result["checkin"] = (len(rows) - len(lost), lost)
    return result


def chain(env_file):
    """``manage.py lms_verify_records`` with the cluster's environment: (ok, problem lines,
    its last line)."""
    from clusterkit import layout  # noqa: PLC0415

    done = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, str(ROOT / "manage.py"), "lms_verify_records"],
        cwd=ROOT,
        env=layout.environment(env_file),
        capture_output=True,
        text=True,
        check=False,
    )
    problems = sum(1 for line in done.stderr.splitlines() if line.startswith("["))
    last = (done.stdout.strip() or done.stderr.strip()).splitlines()[-1:] or [""]
    return done.returncode == 0, problems, last[0]


def stuck_runs():
    from django_tasks_db.models import DBTaskResult  # noqa: PLC0415

    from lms.models import PlanPublication, RosterImport  # noqa: PLC0415

    return {
        "plan_publications_running": PlanPublication.objects.filter(status="running").count(),
        "roster_imports_running": RosterImport.objects.filter(status="running").count(),
        "tasks_running": DBTaskResult.objects.filter(status="RUNNING").count(),
        "tasks_ready": DBTaskResult.objects.filter(status="READY").count(),
    }


def moment(seconds):
    return datetime.datetime.fromtimestamp(seconds, datetime.UTC).strftime("%H:%M:%S")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--journal", default=str(JOURNAL_DIR))
    parser.add_argument("--env", default=str(DEFAULT_ENV_FILE))
    parser.add_argument("--no-chain", action="store_true", help="skip lms_verify_records")
    parser.add_argument("--json", help="also write the summary as JSON to this file")
    options = parser.parse_args()
    setup_django(options.env)
    writes, failures = read_journal(options.journal)
    result = check(writes)
    summary = {"kinds": {}, "lost": 0}
    print(f"{'kind':<16} {'acknowledged':>12} {'found':>8} {'LOST':>6}")
    for kind in KINDS:
        found, lost = result[kind]
        summary["kinds"][kind] = {"acknowledged": found + len(lost), "found": found,
                                  "lost": len(lost)}  # fmt: skip
        summary["lost"] += len(lost)
        print(f"{kind:<16} {found + len(lost):>12} {found:>8} {len(lost):>6}")
        for row in lost[:5]:
            print(f"    lost: {row}")
    print(f"LOST {summary['lost']}")
    by_kind = Counter(f["kind"] for f in failures)
    summary["failures"] = dict(by_kind)
    if failures:
        first, last = min(f["t"] for f in failures), max(f["t"] for f in failures)
        summary["failure_window"] = [moment(first), moment(last)]
        print(f"failures logged by the load tool: {len(failures)} {dict(by_kind)}, "
              f"from {moment(first)} to {moment(last)} UTC")  # fmt: skip
    else:
        print("failures logged by the load tool: 0")
    if not options.no_chain:
        ok, problems, last_line = chain(options.env)
        summary["chain"] = {"ok": ok, "problems": problems}
        print(f"record chain (lms_verify_records): ok={ok}, problems={problems}: {last_line}")
    summary["stuck"] = stuck_runs()
    print("running now: " + ", ".join(f"{k} {v}" for k, v in summary["stuck"].items()))
    if options.json:
        Path(options.json).write_text(json.dumps(summary, indent=2), encoding="utf-8")
    broken = summary["lost"] or not summary.get("chain", {"ok": True})["ok"]
    sys.exit(1 if broken else 0)


if __name__ == "__main__":
    main()
