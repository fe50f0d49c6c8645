"""Learner hot path, side by side with the peer plugin wagtail-lms (issue 13): requests/s.

Run on demand: `python bench/peer.py [--rounds 5] [--seconds 10] [--connections 8]`.
It builds our demo site (``lms_demo``) and, in a separate venv in a temp folder, the peer's site
(``wagtail start`` + wagtail-lms from PyPI, same Django, Wagtail and gunicorn versions as ours),
each in its own SQLite file, serves each with gunicorn (1 sync worker, production settings,
DEBUG off) and loads the lesson page, the course page and a bare logged-in view of each site
(wrk, 1 thread × N connections, with the learner's session cookie), in shuffled rounds. Prints
requests/s per run, medians, our/peer ratios, our lesson as % of our bare view, queries per
page (a warm request, counted in-process), the lesson HTML's gzip size and the load average.
``--ours-only`` builds and loads only our side (no download). Exits 1 if any response was not
a 200. See bench/README.md.
"""

import argparse
import contextlib
import http.client
import importlib.metadata
import json
import os
import random
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "bench" / "peer_site"  # the bench's settings, URLconf and helpers, on PYTHONPATH
BIN = Path(sys.executable).parent
PEER_PACKAGE = "wagtail-lms==0.11.1"
PAGES = ("lesson", "course", "bare")
HOST = "127.0.0.1"
WRK_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
function response(status, headers, body) if status ~= 200 then bad = bad + 1 end end
function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + thread:get("bad") end
  local e = summary.errors
  io.write(string.format('WRKJSON {"requests": %d, "duration_us": %d, "bad": %d, "errors": %d}\\n',
    summary.requests, summary.duration, bad, e.connect + e.read + e.write + e.timeout))
end
"""


# --- load generators: {"requests", "seconds", "bad" (not 200), "errors" (socket)} -------------


def run_wrk(url, cookie, seconds, connections, script):
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s"]
    command += ["-s", str(script), "-H", f"Cookie: {cookie}", url]
    done = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    found = re.search(r"^WRKJSON (.*)$", done.stdout, re.MULTILINE)
    if not found:
        raise RuntimeError(f"wrk printed no summary:\n{done.stdout}\n{done.stderr}")
    result = json.loads(found.group(1))
    return {
        "requests": result["requests"],
        "seconds": result["duration_us"] / 1e6,
        "bad": result["bad"],
        "errors": result["errors"],
    }


def run_python(url, cookie, seconds, connections, script=None):
    """The same measure without wrk: one thread per connection, a new connection per request
    (gunicorn's sync worker closes each one). Heavier on the client than wrk."""
    target = http.client.urlsplit(url)
    counts = {"requests": 0, "bad": 0, "errors": 0}
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker():
        while True:
            connection = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
            try:
                connection.request("GET", target.path or "/", headers={"Cookie": cookie})
                response = connection.getresponse()
                response.read()
                outcome = "bad" if response.status != 200 else None
            except OSError:
                outcome = "errors"
            finally:
                connection.close()
            if time.perf_counter() > deadline:
                return
            with lock:
                counts["requests"] += 1
                if outcome:
                    counts[outcome] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {**counts, "seconds": min(time.perf_counter(), deadline) - started}


# --- the two sites ----------------------------------------------------------------------------


def run_json(command, env, cwd, stdin=None):
    done = subprocess.run(  # noqa: S603 - our interpreters and scripts
        command, env=env, cwd=cwd, input=stdin, capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise SystemExit(f"{' '.join(map(str, command))} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout)


def site_env(work, pythonpath, settings, **extra):
    env = {**os.environ, **extra}
    env["PYTHONPATH"] = os.pathsep.join(map(str, [*pythonpath, SITE]))
    env["DJANGO_SETTINGS_MODULE"] = settings
    env["BENCH_WORK"] = str(work)
    env["ALLOWED_HOSTS"] = f"{HOST},localhost"
    return env


def ours(work):
    env = site_env(
        work, [ROOT], "ours_settings",
        SECRET_KEY=secrets.token_urlsafe(60),
        LMS_RECORD_CHAIN_KEY=secrets.token_urlsafe(40),
        DATABASE_URL=f"sqlite:///{work / 'ours.sqlite3'}",
        SECURE_SSL_REDIRECT="0",
        MEDIA_ROOT=str(work / "ours-media"),
        PRIVATE_MEDIA_ROOT=str(work / "ours-private"),
    )  # fmt: skip
    build = {**env, "BENCH_BUILD": "1", "TASKS_BACKEND": "immediate"}
    spec = run_json([sys.executable, SITE / "build_ours.py"], build, ROOT)
    return {"name": "ours", "env": env, "bin": BIN, "wsgi": "config.wsgi", "cwd": ROOT,
            "user": spec["user"], "pages": spec["pages"], "spec": spec}  # fmt: skip


def peer(work, package):
    venv = work / "peer-venv"
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)  # noqa: S603
    pins = [f"{name}=={importlib.metadata.version(name)}" for name in ("Django", "wagtail")]
    pins.append(f"gunicorn=={importlib.metadata.version('gunicorn')}")
    subprocess.run(  # noqa: S603 - PyPI, pinned
        [venv / "bin" / "pip", "install", "-q", "--disable-pip-version-check", package, *pins],
        check=True,
    )
    site = work / "peer-site"
    site.mkdir()
    subprocess.run(  # noqa: S603 - the peer venv's own command
        [venv / "bin" / "wagtail", "start", "peersite", site], check=True, stdout=subprocess.DEVNULL
    )
    env = site_env(work, [site], "peer_settings", SECRET_KEY=secrets.token_urlsafe(60))
    return {"name": "peer", "env": env, "bin": venv / "bin", "wsgi": "peersite.wsgi", "cwd": site}


def build_peer(side, spec):
    built = run_json(
        [side["bin"] / "python", SITE / "build_peer.py"], side["env"], side["cwd"], json.dumps(spec)
    )
    side.update(built)


def probe(side):
    spec = json.dumps({"user": side["user"], "pages": side["pages"]})
    command = [side["bin"] / "python", SITE / "probe.py"]
    side.update(run_json(command, side["env"], side["cwd"], spec))


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def get(port, path, cookie):
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("GET", path, headers={"Cookie": cookie})
        return connection.getresponse().status
    finally:
        connection.close()


def serve(side, work):
    """gunicorn, the same settings for both sides: 1 sync worker, no access log."""
    side["port"] = port = free_port()
    log = work / f"{side['name']}-gunicorn.log"
    side["server"] = subprocess.Popen(  # noqa: S603 - our gunicorn, fixed arguments
        [side["bin"] / "gunicorn", side["wsgi"], f"--bind={HOST}:{port}", "--workers=1",
         "--worker-class=sync", "--log-level=warning", f"--error-logfile={log}"],
        cwd=side["cwd"], env=side["env"],
    )  # fmt: skip
    for _ in range(200):
        with contextlib.suppress(OSError):
            if get(port, side["pages"]["bare"], side["cookie"]) == 200:
                break
        time.sleep(0.3)
    else:
        raise SystemExit(f"{side['name']}: gunicorn did not answer 200 on /bench-bare/; see {log}")
    for name, path in side["pages"].items():  # not a redirect to the login page
        status = get(port, path, side["cookie"])
        if status != 200:
            raise SystemExit(f"{side['name']} {name} {path}: {status}, not 200; see {log}")


# --- rounds and report ------------------------------------------------------------------------


def load_average():
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def measure(sides, args, load, script):
    targets = [(side, page) for side in sides for page in PAGES]
    for side, page in targets:  # warm up: imports, templates, caches, renditions
        load(f"http://{HOST}:{side['port']}{side['pages'][page]}", side["cookie"],
             min(2, args.seconds), args.connections, script)  # fmt: skip
    runs = {(side["name"], page): [] for side, page in targets}
    shuffler = random.Random(args.seed)
    for number in range(1, args.rounds + 1):
        shuffler.shuffle(targets)
        cells = []
        for side, page in targets:
            url = f"http://{HOST}:{side['port']}{side['pages'][page]}"
            result = load(url, side["cookie"], args.seconds, args.connections, script)
            result["rate"] = result["requests"] / result["seconds"] if result["seconds"] else 0.0
            runs[(side["name"], page)].append(result)
            flag = f" ({result['bad']} not 200, {result['errors']} errors)" * failed(result)
            cells.append(f"{side['name']} {page} {result['rate']:.1f}{flag}")
        print(f"round {number} (load {load_average()}): " + " | ".join(cells), flush=True)
    return runs


def failed(result):
    return bool(result["bad"] or result["errors"])


def summarize(runs):
    """Medians of requests/s and the ratios, from ``{(side, page): [run, …]}``."""
    medians = {key: statistics.median(run["rate"] for run in found) for key, found in runs.items()}
    ratios = {}
    for page in PAGES:
        if medians.get(("peer", page)):
            ratios[f"{page} ours/peer"] = medians[("ours", page)] / medians[("peer", page)]
    for name in ("ours", "peer"):
        if medians.get((name, "bare")):
            ratios[f"{name} lesson/bare"] = medians[(name, "lesson")] / medians[(name, "bare")]
    return medians, ratios


def report(sides, runs):
    medians, ratios = summarize(runs)
    print(f"\n{'req/s':<14} {'median':>8} {'min':>8} {'max':>8} {'queries':>8} {'HTML KB':>8} "
          f"{'gzip KB':>8}")  # fmt: skip
    for side in sides:
        for page in PAGES:
            rates = [run["rate"] for run in runs[(side["name"], page)]]
            seen = side["seen"][page]
            print(f"{side['name'] + ' ' + page:<14} {medians[(side['name'], page)]:>8.1f} "
                  f"{min(rates):>8.1f} {max(rates):>8.1f} {seen['queries']:>8} "
                  f"{seen['bytes'] / 1024:>8.1f} {seen['gzip_bytes'] / 1024:>8.1f}")  # fmt: skip
    print()
    for name, value in ratios.items():
        text = f"{value:.2f}×" if "ours/peer" in name else f"{value * 100:.1f}%"
        print(f"{name:<18} {text}")
    return medians, ratios


def versions(side):
    code = "import django, wagtail, gunicorn, sys; print(sys.version.split()[0], " \
           "django.get_version(), wagtail.__version__, gunicorn.__version__)"  # fmt: skip
    done = subprocess.run(  # noqa: S603
        [side["bin"] / "python", "-c", code], capture_output=True, text=True, check=True
    )
    python, django, wagtail, gunicorn = done.stdout.split()
    return f"Python {python}, Django {django}, Wagtail {wagtail}, gunicorn {gunicorn}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=10, help="per run (10)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument(
        "--load",
        choices=("auto", "wrk", "python"),
        default="auto",
        help="load generator: wrk if installed (auto), or Python threads",
    )
    parser.add_argument("--ours-only", action="store_true", help="no peer site (no download)")
    parser.add_argument("--peer", default=PEER_PACKAGE, help=f"pip requirement ({PEER_PACKAGE})")
    parser.add_argument("--seed", type=int, default=None, help="of the rounds' shuffles")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args(argv)
    use_wrk = args.load == "wrk" or (args.load == "auto" and shutil.which("wrk"))
    load = run_wrk if use_wrk else run_python
    work = Path(tempfile.mkdtemp(prefix="cplms-peer-"))
    print(f"load average at start: {load_average()} ({os.cpu_count()} CPUs); work folder {work}")
    started = time.perf_counter()
    sides = []
    try:
        side = ours(work)
        sides.append(side)
        if not args.ours_only:
            other = peer(work, args.peer)
            build_peer(other, side["spec"])
            sides.append(other)
        for side in sides:
            probe(side)
        print(f"built in {time.perf_counter() - started:.0f} s")
        for side in sides:
            bad = {page: seen["status"] for page, seen in side["seen"].items()}
            if set(bad.values()) != {200}:
                raise SystemExit(f"{side['name']}: pages not 200 in the probe: {bad}")
            serve(side, work)
            label = "CP-LMS (this repository)" if side["name"] == "ours" else args.peer
            print(f"{side['name']}: {label}; {versions(side)}; " + ", ".join(
                f"{page} {path}" for page, path in side["pages"].items()))  # fmt: skip
        script = work / "status.lua"
        script.write_text(WRK_SCRIPT)
        generator = "wrk, 1 thread ×" if use_wrk else "Python threads,"
        print(f"gunicorn 1 sync worker per site, SQLite; load: {generator} {args.connections} "
              f"connections, {args.seconds} s per run, {args.rounds} shuffled rounds")  # fmt: skip
        runs = measure(sides, args, load, script)
        report(sides, runs)
        print(f"load average at end: {load_average()}; total {time.perf_counter() - started:.0f} s")
        return 1 if any(failed(run) for found in runs.values() for run in found) else 0
    finally:
        for side in sides:
            if side.get("server"):
                side["server"].terminate()
                side["server"].wait(timeout=30)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
