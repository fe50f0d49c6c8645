"""What the load tools share: the cluster's folder and environment, and Django set up on the
cluster's database (for prepare and reconcile, which run in their own process)."""

import os
import sys
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
