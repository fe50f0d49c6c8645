"""What the load tools share: the cluster's folder and environment, and Django set up on the
cluster's database (for prepare and reconcile, which run in their own process)."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "deploy"))
sys.path.insert(0, str(ROOT))

from clusterkit import layout  # noqa: E402

STATE = layout.STATE_DIR
POOL_FILE = STATE / "pool.json"
JOURNAL_DIR = STATE / "journal"
RESULTS_DIR = STATE / "results"
DEFAULT_ENV_FILE = layout.DEFAULT_ENV_FILE
#: The load pool's password: bench accounts only, on a loopback cluster.
PASSWORD = "Zhouyi-chenxun-2026"  # noqa: S105 - the load pool's published bench password


def setup_django(env_file):
    """Django on the cluster's database, with the cluster's settings and keys."""
    env_file = Path(env_file)
    if not env_file.exists():
        raise SystemExit(f"no environment file {env_file}: see `deploy/cluster init`")
    os.environ.update(layout.environment(env_file))
    import django  # noqa: PLC0415 - only once the environment is known

    django.setup()


def fresh_cluster(web, tasks):
    """Start the cluster afresh with ``web`` web processes and ``tasks`` task workers, with an
    empty journal (the previous one kept beside it as ``journal-<time>``): for the drills and
    the soak."""
    cluster = [sys.executable, str(ROOT / "deploy" / "cluster")]
    subprocess.run([*cluster, "down"], check=True, stdout=subprocess.DEVNULL)  # noqa: S603
    subprocess.run([*cluster, "up", "--web", str(web), "--tasks", str(tasks)], check=True)  # noqa: S603
    if JOURNAL_DIR.exists():
        JOURNAL_DIR.rename(JOURNAL_DIR.with_name(f"journal-{int(time.time())}"))
    JOURNAL_DIR.mkdir(parents=True)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)


def start_locust(name, users, seconds, port=8080):
    """The Monday morning (locustfile.py) headless in the background for ``seconds`` with
    ``users`` users (a tenth of them more each second); its CSVs and log under
    ``results/<name>``. Returns the process."""
    command = [
        str(Path(sys.executable).parent / "locust"),
        "-f",
        str(Path(__file__).parent / "locustfile.py"),
    ]
    command += ["--headless", "-u", str(users), "-r", str(max(1, users // 10))]
    command += ["-t", f"{int(seconds)}s", "--host", f"http://127.0.0.1:{port}"]
    command += ["--csv", str(RESULTS_DIR / name), "--only-summary", "--stop-timeout", "30"]
    with open(RESULTS_DIR / f"{name}.locust.log", "w") as log:  # the child keeps its own handle
        return subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log
        )


def cluster_status():
    """``deploy/cluster status`` as data (``{"up": False}`` when it is down)."""
    done = subprocess.run(  # noqa: S603 - this checkout's own script
        [sys.executable, str(ROOT / "deploy" / "cluster"), "status"],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)
