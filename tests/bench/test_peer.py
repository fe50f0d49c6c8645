"""bench/peer.py (issue 13's side-by-side with wagtail-lms): its load generators count only
200s as good (a redirect to the login page must not pass for a fast page), its summary's ratios,
and a tiny run of our side end to end (``--ours-only``: nothing is downloaded at test time)."""

import http.server
import os
import re
import runpy
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bench" / "peer.py"


@pytest.fixture(scope="module")
def peer():
    return runpy.run_path(str(SCRIPT), run_name="loaded")


class Handler(http.server.BaseHTTPRequestHandler):
    """200 with the session cookie, else 302 to the login page; /redirect always 302."""

    def do_GET(self):
        if self.path == "/redirect" or "sessionid=abc" not in (self.headers["Cookie"] or ""):
            self.send_response(302)
            self.send_header("Location", "/accounts/login/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def generators(peer, tmp_path):
    script = tmp_path / "status.lua"
    script.write_text(peer["WRK_SCRIPT"])
    found = [("python", peer["run_python"], None)]
    if shutil.which("wrk"):
        found.append(("wrk", peer["run_wrk"], script))
    return found


def test_the_load_generators_count_200s_and_flag_the_rest(peer, server, tmp_path):
    for name, load, script in generators(peer, tmp_path):
        good = load(f"{server}/page", "sessionid=abc", 1, 2, script)
        assert good["requests"] > 5 and good["bad"] == 0 and good["errors"] == 0, name
        assert 0.5 < good["seconds"] < 3, name
        redirected = load(f"{server}/redirect", "sessionid=abc", 1, 2, script)
        assert redirected["requests"] > 5 and redirected["bad"] == redirected["requests"], name
        assert peer["failed"](redirected) and not peer["failed"](good)
        logged_out = load(f"{server}/page", "sessionid=other", 1, 1, script)
        assert logged_out["bad"] == logged_out["requests"] > 0, name


def test_the_summary_takes_medians_and_our_share_of_the_peer(peer):
    def runs(*rates):
        return [{"rate": rate} for rate in rates]

    medians, ratios = peer["summarize"](
        {
            ("ours", "lesson"): runs(40, 45, 100),
            ("ours", "course"): runs(50, 50, 50),
            ("ours", "bare"): runs(400, 450, 500),
            ("peer", "lesson"): runs(60, 75, 70),
            ("peer", "course"): runs(100),
            ("peer", "bare"): runs(900, 1000),
        }
    )
    assert medians[("ours", "lesson")] == 45  # a median: one fast run does not move it
    assert ratios["lesson ours/peer"] == pytest.approx(45 / 70)
    assert ratios["course ours/peer"] == pytest.approx(0.5)
    assert ratios["bare ours/peer"] == pytest.approx(450 / 950)
    assert ratios["ours lesson/bare"] == pytest.approx(0.1)
    ours_only, ratios = peer["summarize"]({key: runs(10) for key in [("ours", p) for p in "ab"]})
    assert ratios == {} and ours_only[("ours", "a")] == 10


@pytest.mark.slow
@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="bench/peer.py builds its own SQLite site: the SQLite run of the suite covers it",
)
def test_a_short_run_of_our_side_serves_and_measures_every_page():
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, str(SCRIPT), "--ours-only", "--rounds=1", "--seconds=1",
         "--connections=2", "--load=python", "--seed=1"],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=900,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    out = result.stdout
    assert "load average at start:" in out and "load average at end:" in out
    assert re.search(r"^round 1 \(load [\d. ]+\): ", out, re.MULTILINE)
    for page in ("lesson", "course", "bare"):
        row = re.search(rf"^ours {page}\s+([\d.]+)\s+[\d.]+\s+[\d.]+\s+(\d+)\s", out, re.MULTILINE)
        assert row, out
        assert float(row.group(1)) > 0  # requests/s
        assert int(row.group(2)) >= 1  # queries: at least the session's
    assert re.search(r"^ours lesson/bare\s+[\d.]+%$", out, re.MULTILINE)
    assert "peer" not in out.split("load: ")[1]  # nothing of the peer was built or loaded
