"""bench/roster_upload.py end to end on a small roster: with the database queue the admin upload
only stores the file and queues the run, and ``db_worker --batch`` imports it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_a_queued_roster_upload_is_imported_by_the_worker(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path}/bench.sqlite3",
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "BENCH_ROWS": "300",
    }
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "bench/roster_upload.py", "database"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "import, the worker (db_worker --batch)" in result.stdout
    request = next(line for line in result.stdout.splitlines() if "import, the request" in line)
    assert float(request.split()[-2]) < 2
