"""The on-demand benchmarks still import (they are not run by the suite: each needs minutes and
a large database). Loading a script without running its ``main`` catches a moved or renamed
name it uses."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The scripts (they end in ``if __name__ == "__main__":``); the modules beside them (the app,
# bench/server_settings.py and bench/urls.py for the benches' servers) are imported by those.
SCRIPTS = sorted(
    path.name
    for path in (ROOT / "bench").glob("*.py")
    if 'if __name__ == "__main__":' in path.read_text(encoding="utf-8")
)


@pytest.mark.slow
@pytest.mark.parametrize("script", SCRIPTS)
def test_the_benchmark_loads(script, tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path}/bench.sqlite3",
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }
    code = f"import runpy; runpy.run_path({str(ROOT / 'bench' / script)!r}, run_name='loaded')"
    result = subprocess.run(  # noqa: S603 - our own interpreter and files
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
