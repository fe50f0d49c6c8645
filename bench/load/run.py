"""Scale-out at bank scale: the Monday-morning load on the cluster with 1, 2, 4 web processes.

    python bench/load/run.py --web 1 2 4 --users 100 --minutes 3 [--tasks 1] [--reconcile]

For each N: ``deploy/cluster up --web N`` (after a ``down``), Locust headless on loopback
(``--users`` users spawned at ``--spawn-rate``, for ``--minutes``, ``--csv``), ``down``. Then one
table per N and request kind — requests/s, p50/p95/p99 ms, error % — with the totals and the bare
view of the same run, and the machine's load average (mean and max of samples every 5 s during
the run). The results go to ``var/cluster/results/<stamp>.json`` (and Locust's CSVs next to it);
each run's journal to ``var/cluster/journal/<stamp>-web<N>/``. ``--reconcile`` checks each
run's journal (``reconcile.py --no-chain``) and adds the LOST count to the table.
``--no-cluster`` loads the cluster that is up now instead (no up/down; one ``--web``, the
number it runs with): for the fault drills and the soak, with the web workers' RSS sampled every
5 s (``rss_mb`` in the JSON). Run ``prepare.py`` once before (it writes var/cluster/pool.json).
"""

import argparse
import csv
import datetime
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    DEFAULT_ENV_FILE,
    JOURNAL_DIR,
    POOL_FILE,
    RESULTS_DIR,
    ROOT,
    STATE,
)

BIN = Path(sys.executable).parent
CLUSTER = [sys.executable, str(ROOT / "deploy" / "cluster")]
HERE = Path(__file__).resolve().parent


def web_worker_rss_mb():
    """The resident memory of the cluster's gunicorn workers (MB, summed), from its state."""
    try:
        state = json.loads((STATE / "state.json").read_text())
    except (OSError, ValueError):
        return None
    total = 0
    webs = [child for child in state["children"] if child["role"] == "web"]
    for pid in [pid for child in webs for pid in child.get("workers") or []]:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        total += int(status.split("VmRSS:")[1].split()[0])
    return total / 1024


class LoadSampler(threading.Thread):
    """Every 5 s: the load average and the web workers' RSS (a soak's memory growth)."""

    def __init__(self):
        super().__init__(daemon=True)
        self.samples, self.rss, self.stop = [], [], threading.Event()

    def run(self):
        while not self.stop.wait(5):
            self.samples.append(os.getloadavg()[0])
            rss = web_worker_rss_mb()
            if rss:
                self.rss.append(round(rss, 1))


def cluster(*args, env_file):
    extra = ["--env", str(env_file)] if args[0] == "up" else []
    subprocess.run([*CLUSTER, *args, *extra], check=True, stdout=subprocess.DEVNULL)  # noqa: S603


def locust(options, prefix, journal):
    env = {
        **os.environ,
        "LOAD_JOURNAL_DIR": str(journal),
        "LOAD_ENV_FILE": str(options.env),
        "LOAD_EXPORT_EVERY": str(options.export_every),
    }
    command = [
        str(BIN / "locust"), "-f", str(HERE / "locustfile.py"), "--headless",
        "-u", str(options.users), "-r", str(options.spawn_rate),
        "-t", f"{int(options.minutes * 60)}s", "--stop-timeout", "10",
        "--host", f"http://127.0.0.1:{options.port}", "--csv", str(prefix), "--only-summary",
    ]  # fmt: skip
    with (RESULTS_DIR / f"{prefix.name}.locust.log").open("w") as log:
        subprocess.run(command, env=env, stdout=log, stderr=subprocess.STDOUT, check=False)  # noqa: S603


def read_stats(prefix):
    rows = {}
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            count = int(row["Request Count"])
            rows[row["Name"]] = {
                "count": count,
                "rps": float(row["Requests/s"]),
                "p50": float(row["50%"] or 0),
                "p95": float(row["95%"] or 0),
                "p99": float(row["99%"] or 0),
                "errors_pct": 100.0 * int(row["Failure Count"]) / count if count else 0.0,
            }
    return rows


def reconcile(journal, env_file):
    out = journal / "reconcile.json"
    subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(HERE / "reconcile.py"), "--journal", str(journal), "--env",
         str(env_file), "--no-chain", "--json", str(out)],
        check=False, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return json.loads(out.read_text())["lost"] if out.exists() else None


def one_run(options, web, stamp, first):
    name = f"{stamp}-web{web}"
    journal = JOURNAL_DIR / name
    journal.mkdir(parents=True, exist_ok=True)
    if not options.no_cluster:
        subprocess.run([*CLUSTER, "down"], check=False, stdout=subprocess.DEVNULL)  # noqa: S603
        up = ["up", "--web", str(web), "--tasks", str(options.tasks), "--port", str(options.port)]
        up += ["--exports", str(options.exports)]
        cluster(*up, *([] if first else ["--skip-setup"]), env_file=options.env)
    sampler = LoadSampler()
    before = os.getloadavg()[0]
    sampler.start()
    try:
        locust(options, RESULTS_DIR / name, journal)
    finally:
        sampler.stop.set()
        if not options.no_cluster:
            cluster("down", env_file=options.env)
    stats = read_stats(RESULTS_DIR / name)
    samples = sampler.samples or [before]
    result = {
        "web": web,
        "stats": stats,
        "load_before": before,
        "load_mean": sum(samples) / len(samples),
        "load_max": max(samples),
        "rss_mb": sampler.rss,  # every 5 s: first vs last is a soak's growth
        "journal": str(journal),
    }
    if options.reconcile:
        result["lost"] = reconcile(journal, options.env)
    return result


def print_table(results, options):
    print(f"\nMonday morning: {options.users} users, {options.minutes:g} min per run, "
          f"{options.tasks} task worker(s), {os.cpu_count()} CPUs (the load tool runs on them "
          "too)")  # fmt: skip
    head = (
        f"{'web':>3} {'kind':<16} {'n':>7} {'req/s':>7} "
        + " ".join(f"{column:>7}" for column in ("p50", "p95", "p99"))
        + f" {'err%':>6}"
    )
    for result in results:
        print("\n" + head)
        stats = result["stats"]
        names = sorted(n for n in stats if n not in ("Aggregated", "bare"))
        for name in [*names, "bare", "Aggregated"]:
            if name in stats:
                row = stats[name]
                label = "TOTAL" if name == "Aggregated" else name
                print(f"{result['web']:>3} {label:<16} {row['count']:>7} {row['rps']:>7.1f} "
                      f"{row['p50']:>7.0f} {row['p95']:>7.0f} {row['p99']:>7.0f} "
                      f"{row['errors_pct']:>6.2f}")  # fmt: skip
    print(f"\n{'web':>3} {'total req/s':>11} {'p50':>6} {'p95':>6} {'p99':>6} {'err%':>6} "
          f"{'bare p50':>8} {'bare p95':>8} {'load avg':>14} {'lost':>5} "
          f"{'RSS MB':>13}")  # fmt: skip
    for result in results:
        total, bare = result["stats"].get("Aggregated", {}), result["stats"].get("bare", {})
        rss = f"{result['rss_mb'][0]:g}→{result['rss_mb'][-1]:g}" if result["rss_mb"] else "-"
        print(f"{result['web']:>3} {total.get('rps', 0):>11.1f} {total.get('p50', 0):>6.0f} "
              f"{total.get('p95', 0):>6.0f} {total.get('p99', 0):>6.0f} "
              f"{total.get('errors_pct', 0):>6.2f} {bare.get('p50', 0):>8.0f} "
              f"{bare.get('p95', 0):>8.0f} "
              f"{result['load_mean']:>6.2f}/{result['load_max']:<6.2f} "
              f"{result.get('lost', '-')!s:>5} {rss:>13}")  # fmt: skip
    print("ms; load avg: mean/max of the 1-minute load average sampled every 5 s in the run; "
          "RSS: the web workers' resident memory, first → last sample")  # fmt: skip


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--web", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--tasks", type=int, default=1)
    parser.add_argument(
        "--exports", type=int, default=1, help="processes for the long downloads (0: on the web)"
    )
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--spawn-rate", type=float, default=2)
    parser.add_argument("--minutes", type=float, default=3)
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--export-every", type=float, default=90, help="seconds")
    parser.add_argument("--env", default=str(DEFAULT_ENV_FILE))
    parser.add_argument("--reconcile", action="store_true")
    parser.add_argument(
        "--no-cluster",
        action="store_true",
        help="load the cluster that is up now (no up/down: drills and the soak); one --web",
    )
    options = parser.parse_args()
    if not POOL_FILE.exists():
        sys.exit(f"no {POOL_FILE}: run bench/load/prepare.py first")
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%S")
    results = []
    for index, web in enumerate(options.web):
        results.append(one_run(options, web, stamp, first=index == 0))
        print(f"web={web} done", file=sys.stderr)
    out = RESULTS_DIR / f"{stamp}.json"
    out.write_text(json.dumps({"options": vars(options), "results": results}, indent=1))
    print_table(results, options)
    print(f"\nresults: {out}")


if __name__ == "__main__":
    main()
