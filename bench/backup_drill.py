"""The backup drill: back up a running site under a write load, restore into a fresh database,
check it, and reconcile every acknowledged write with the restore.

    python bench/backup_drill.py [--env-file var/cluster/cluster.env] [--rate 20]

Against the database of the env file (default: the local cluster's, ``cplms_cluster``, the
bank-scale data set) or ``--database-url``. That database is never written: it is first copied
into ``backup_drill_<n>_src`` (``CREATE DATABASE … TEMPLATE``, or a backup and restore when
someone is connected to it), and the load runs against the copy. Then:

1. the built-in writer (bench/backup_writer.py: completions through the lms services at
   ``--rate`` per second, each acknowledged commit logged with its time) starts, and/or
   ``--load-cmd "<cmd>"`` (any external load, run by the shell in the site's environment);
2. ``deploy/backup`` runs while they write; the load goes on ``--after`` seconds, then stops;
3. ``deploy/restore`` restores into ``backup_drill_<n>`` (its checks included);
4. the writer's log is reconciled with the restore: writes acknowledged before the dump's
   snapshot began that are missing (must be 0), writes after it (the RPO window: in no backup
   until the next one);
5. ``lms_check_restore`` runs again under a random chain key: it must fail loudly;
6. the drill's databases are dropped (``--keep-databases`` keeps them).

Prints backup duration and size, restore duration (the RTO for the data), the reconciliation
and the load average. Run on demand, not in the test suite.
"""

import argparse
import json
import os
import re
import secrets
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from psycopg import sql  # noqa: E402

from bench.backup_writer import TITLE  # noqa: E402
from config.backup.database import target_of  # noqa: E402
from config.backup.files import load_env_file  # noqa: E402


def parse(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--env-file", default=str(ROOT / "var" / "cluster" / "cluster.env"))
    parser.add_argument("--database-url", help="default: the env file's DATABASE_URL")
    parser.add_argument("--rate", type=float, default=20.0, help="writer completions/s (0: none)")
    parser.add_argument("--load-cmd", help="an external load to run during the backup")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of load before")
    parser.add_argument("--after", type=float, default=3.0, help="seconds of load after")
    parser.add_argument("--keep-databases", action="store_true")
    parser.add_argument("--work-dir", help="kept after (default: a temporary one, removed)")
    return parser.parse_args(argv)


def log(text):
    print(f"{datetime.now():%H:%M:%S} {text}", flush=True)


def admin(settings_dict):
    return psycopg.connect(
        dbname="postgres",
        host=settings_dict.get("HOST") or None,
        port=settings_dict.get("PORT") or None,
        user=settings_dict.get("USER") or None,
        password=settings_dict.get("PASSWORD") or None,
        autocommit=True,
    )


def with_name(url, name):
    return url.rsplit("/", 1)[0] + "/" + name


def script(name, *args, env):
    started = time.monotonic()
    result = subprocess.run(  # noqa: S603 - our own scripts
        [str(ROOT / "deploy" / name), *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return result, time.monotonic() - started


def clone(source_url, name, env, work):
    """Copy the source into ``name`` without writing to it: as a template (seconds), or by a
    backup and restore if the source is in use."""
    settings_dict, _kind = target_of(source_url)
    with admin(settings_dict) as db:
        try:
            db.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(name), sql.Identifier(settings_dict["NAME"])
                )
            )
            return "template copy"
        except psycopg.errors.ObjectInUse:
            pass
    result, seconds = script("backup", "--backup-dir", work / "clone", "--no-media", env=env)
    if result.returncode:
        sys.exit(f"cloning the source failed: {result.stderr}")
    (made,) = (work / "clone").iterdir()
    target = with_name(source_url, name)
    restored, more = script("restore", made, "--database-url", target, "--no-media", env=env)
    if restored.returncode:
        sys.exit(f"cloning the source failed: {restored.stdout}{restored.stderr}")
    shutil.rmtree(work / "clone")
    return f"idle backup {seconds:.1f} s + restore {more:.1f} s"


def drop(url, names):
    settings_dict, _kind = target_of(url)
    with admin(settings_dict) as db:
        for name in names:
            db.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def start_load(options, env, work, tag):
    processes = []
    if options.rate > 0:
        writer = subprocess.Popen(  # noqa: S603
            [sys.executable, str(ROOT / "bench" / "backup_writer.py"), "--log", work / "writes"]
            + ["--tag", tag, "--rate", str(options.rate)],
            env=env,
        )
        processes.append(writer)
        deadline = time.monotonic() + 120
        while not (work / "writes").exists() or "ready" not in (work / "writes").read_text():
            if writer.poll() is not None or time.monotonic() > deadline:
                sys.exit("the writer did not start")
            time.sleep(0.2)
    if options.load_cmd:
        # The operator's own command line, run as given (like make's recipes).
        processes.append(subprocess.Popen(shlex.split(options.load_cmd), env=env))  # noqa: S603
    return processes


def stop_load(processes):
    for process in processes:
        process.terminate()
    for process in processes:
        process.wait(timeout=60)


def acknowledged(path):
    """``{n: unix time}`` of the writer's acknowledged writes."""
    found = {}
    for line in path.read_text().splitlines():
        if line and not line.startswith("#"):
            n, at = line.split()
            found[int(n)] = float(at)
    return found


def restored_writes(url, tag):
    settings_dict, _kind = target_of(url)
    pattern = TITLE.format(tag=tag, n="%")
    with psycopg.connect(
        dbname=settings_dict["NAME"],
        host=settings_dict.get("HOST") or None,
        port=settings_dict.get("PORT") or None,
        user=settings_dict.get("USER") or None,
        password=settings_dict.get("PASSWORD") or None,
    ) as db:
        rows = db.execute(
            "SELECT title FROM lms_core_completionrecord WHERE title LIKE %s", [pattern]
        ).fetchall()
    return {int(title.rsplit("#", 1)[1]) for (title,) in rows}


def reconcile(writes, restored, snapshot_at):
    before = {n for n, at in writes.items() if at < snapshot_at}
    after = set(writes) - before
    return {
        "acknowledged": len(writes),
        "before_snapshot": len(before),
        "missing_before_snapshot": sorted(before - restored),
        "after_snapshot": len(after),
        "after_snapshot_in_restore": len(after & restored),
        "first_missing_after": min(after - restored, default=None),
        "window_seconds": round(max(writes.values(), default=snapshot_at) - snapshot_at, 2),
    }


def wrong_key_check(env, manifest, url):
    wrong = {**env, "DATABASE_URL": url, "LMS_RECORD_CHAIN_KEY": secrets.token_urlsafe(32)}
    result = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), "lms_check_restore", "--manifest", manifest],
        env=wrong,
        capture_output=True,
        text=True,
        check=False,
    )
    expected = json.loads(Path(manifest).read_text())["database"]["chain_key_fingerprint"]
    loud = result.returncode != 0 and expected[:16] in result.stderr
    return loud, result.stderr.strip().splitlines()[-1] if result.stderr.strip() else ""


def main(argv=None):
    options = parse(sys.argv[1:] if argv is None else argv)
    env = {**os.environ, "CPLMS_PYTHON": sys.executable}
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    if options.env_file and Path(options.env_file).exists():
        load_env_file(options.env_file, env)
    source = options.database_url or env.get("DATABASE_URL", "")
    if not source.startswith("postgres"):
        sys.exit("the drill needs a PostgreSQL DATABASE_URL (--database-url or the env file)")
    n = time.strftime("%Y%m%d%H%M%S")
    copy_name, target_name = f"backup_drill_{n}_src", f"backup_drill_{n}"
    work = Path(options.work_dir or tempfile.mkdtemp(prefix="backup-drill-"))
    work.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()
    log(f"load average {load_before[0]:.2f}; work in {work}")
    how = clone(source, copy_name, env, work)
    log(f"source copied into {copy_name} ({how})")
    env["DATABASE_URL"] = with_name(source, copy_name)
    target = with_name(source, target_name)
    try:
        report = drill(options, env, work, n, target)
    finally:
        if not options.keep_databases:
            drop(source, [copy_name, target_name])
            log(f"dropped {copy_name}, {target_name}")
        if not options.work_dir:
            shutil.rmtree(work, ignore_errors=True)  # the backups: tens of MB at bank scale
    report["source_copy"] = how
    report["load_average"] = [round(x, 2) for x in (*load_before, *os.getloadavg())]
    print(json.dumps(report, indent=2))
    return 0 if report["ok"] else 1


def drill(options, env, work, tag, target):
    processes = start_load(options, env, work, tag)
    extra = f", {options.load_cmd}" if options.load_cmd else ""
    log(f"load running ({options.rate}/s writer{extra})")
    time.sleep(options.warmup)
    backup, backup_seconds = script("backup", "--backup-dir", work / "backups", env=env)
    log(f"backup: exit {backup.returncode}, {backup_seconds:.1f} s: {backup.stdout.strip()}")
    time.sleep(options.after)
    stop_load(processes)
    if backup.returncode:
        sys.exit(f"backup failed: {backup.stderr}")
    (made,) = (work / "backups").iterdir()
    manifest = json.loads((made / "manifest.json").read_text())
    size = sum(path.stat().st_size for path in made.iterdir())
    media = ["--media-root", work / "media", "--private-media-root", work / "private"]
    restore, restore_seconds = script("restore", made, "--database-url", target, *media, env=env)
    log(f"restore: exit {restore.returncode}, {restore_seconds:.1f} s")
    print(restore.stdout + restore.stderr, flush=True)
    restored_in = re.search(r"restored in ([\d.]+) s", restore.stdout)
    snapshot_at = datetime.fromisoformat(manifest["snapshot_started_at"]).timestamp()
    writes = acknowledged(work / "writes") if options.rate > 0 else {}
    result = reconcile(writes, restored_writes(target, tag), snapshot_at) if writes else {}
    loud, said = wrong_key_check(env, made / "manifest.json", target)
    log(f"wrong key: {'fails loudly' if loud else 'DID NOT FAIL'}: {said[:160]}")
    return {
        "ok": restore.returncode == 0 and loud and not result.get("missing_before_snapshot"),
        "records": manifest["database"]["counts"].get("lms_core.CompletionRecord"),
        "backup_seconds": round(backup_seconds, 1),
        "backup_database_seconds": manifest["database_seconds"],
        "backup_bytes": size,
        "restore_exit": restore.returncode,
        "restore_seconds_data": float(restored_in.group(1)) if restored_in else None,
        "restore_seconds_with_checks": round(restore_seconds, 1),
        "writes": result,
        "wrong_key_fails_loudly": loud,
    }


if __name__ == "__main__":
    sys.exit(main())
