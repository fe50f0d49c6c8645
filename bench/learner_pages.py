"""The learner's hot path under gunicorn: requests/s, queries and bytes of the learner pages.

    python bench/learner_pages.py [--seconds 10] [--clients 2] [--queries]

Builds the demo (``manage.py migrate`` + ``lms_demo``, development settings) in a fresh SQLite
file in a temp folder (or the database of ``DATABASE_URL``, which must be empty), collects the
static files, and starts gunicorn with ONE sync worker and the production settings
(``bench.server_settings``: production plus a bare view at ``/bench/bare/``). It logs in over
HTTP as the demo's ``teller`` and, for the lesson page, the course page, the catalog, 我的学习
(``/learn/``) and the bare view in turn, keeps ``--clients`` client threads requesting the page
for ``--seconds`` (a new connection each time, as the sync worker closes them;
``Accept-Encoding: gzip`` like a browser). Columns: requests per second, median and p95
latency, the bytes on the wire of the HTML, and the first load (HTML + the CSS and JS the page
links, as whitenoise sends them compressed; images are lazy-loaded and left out).

Queries per page are counted in this process (Django's test client on the same database, the
same user), ``--queries`` prints their SQL. The machine's load average is printed before and
after: on a shared machine, compare runs made under similar load only.
"""

import argparse
import http.client
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
USERNAME = "teller"
PASSWORD = "demo1234"  # noqa: S105 - the demo's published password


def environment(workdir):
    env = os.environ.copy()
    env.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
    env.update(
        MEDIA_ROOT=str(workdir / "media"),
        PRIVATE_MEDIA_ROOT=str(workdir / "private"),
        BENCH_STATIC_ROOT=str(workdir / "static"),
        TASKS_BACKEND="immediate",
        SECRET_KEY=secrets.token_urlsafe(50),
        LMS_RECORD_CHAIN_KEY=secrets.token_urlsafe(32),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        DEBUG="false",
        LOG_LEVEL="WARNING",
    )
    return env


def manage(env, settings, *args):
    subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": settings},
        check=True,
        stdout=subprocess.DEVNULL,
    )


def start_server(env, port, workdir):
    log = (workdir / "server.log").open("w")
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [
            str(BIN / "gunicorn"),
            "config.wsgi",
            f"--bind=127.0.0.1:{port}",
            "--workers=1",
            "--worker-class=sync",
            "--backlog=64",
        ],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "bench.server_settings"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    for _ in range(200):
        try:
            if get(port, "/bench/bare/")[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    server.kill()
    raise SystemExit(f"gunicorn did not answer; see {workdir / 'server.log'}")


def get(port, path, headers=None, method="GET", body=None):
    """``(status, headers, body)`` of one request on a new connection."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(
            method, path, body=body, headers={"Host": "127.0.0.1", **(headers or {})}
        )
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def cookies_of(headers):
    found = {}
    for value in headers.get_all("Set-Cookie") or []:
        name, _sep, rest = value.partition("=")
        found[name.strip()] = rest.split(";", 1)[0]
    return found


def log_in(port):
    status, headers, body = get(port, "/accounts/login/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    csrf = cookies_of(headers)["csrftoken"]
    form = f"username={USERNAME}&password={PASSWORD}&csrfmiddlewaretoken={token}"
    status, headers, _body = get(
        port,
        "/accounts/login/",
        method="POST",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf}",
        },
    )
    session = cookies_of(headers).get("sessionid")
    if status != 302 or not session:
        raise SystemExit(f"could not log in as {USERNAME} ({status})")
    return f"sessionid={session}; csrftoken={csrf}"


def hammer(port, path, cookie, seconds, clients):
    """Requests/s and latencies of ``clients`` threads requesting ``path`` for ``seconds``."""
    headers = {"Cookie": cookie, "Accept-Encoding": "gzip"}
    for _ in range(3):  # warm: renditions, caches, the first-visit writes
        get(port, path, headers)
    timings, statuses = [], set()
    stop = time.monotonic() + seconds

    def client():
        while time.monotonic() < stop:
            start = time.perf_counter()
            status, _headers, _body = get(port, path, headers)
            timings.append(time.perf_counter() - start)
            statuses.add(status)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    if statuses != {200}:
        raise SystemExit(f"{path} answered {sorted(statuses)}")
    timings.sort()
    return {
        "rps": len(timings) / elapsed,
        "median_ms": statistics.median(timings) * 1000,
        "p95_ms": timings[max(int(len(timings) * 0.95) - 1, 0)] * 1000,
    }


def weight(port, path, cookie):
    """Bytes on the wire (as sent to a browser accepting gzip) of the page, and of the page plus
    the stylesheets and scripts it links."""
    headers = {"Cookie": cookie, "Accept-Encoding": "gzip"}
    _status, response_headers, body = get(port, path, headers)
    html = len(body)
    text = body
    if response_headers.get("Content-Encoding") == "gzip":
        text = __import__("gzip").decompress(body)
    assets = re.findall(rb'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', text)
    assets += re.findall(rb'<script[^>]+src="([^"]+)"', text)
    total = html
    for asset in assets:
        _s, _h, asset_body = get(port, asset.decode(), {"Accept-Encoding": "gzip"})
        total += len(asset_body)
    return {
        "html_kb": html / 1024,
        "first_load_kb": total / 1024,
        "gzip": response_headers.get("Content-Encoding") == "gzip",
    }


def count_queries(env, paths, show):
    """Queries per page, in this process with Django's test client, as the same user."""
    os.environ.update({**env, "DJANGO_SETTINGS_MODULE": "config.settings.dev"})
    sys.path.insert(0, str(ROOT))
    import django  # noqa: PLC0415 - set up only once the environment is known

    django.setup()
    from django.contrib.auth import get_user_model  # noqa: PLC0415
    from django.db import connection  # noqa: PLC0415
    from django.test import Client, override_settings  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415

    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.get(username=USERNAME))
    counts = {}
    with override_settings(ROOT_URLCONF="bench.urls"):
        for name, path in paths.items():
            client.get(path)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            counts[name] = len(captured)
            if show:
                print(f"--- {name} {path}: {len(captured)} queries")
                for query in captured:
                    print("   ", query["sql"][:300])
    return counts


def page_paths(env):
    """The catalog, a course and its last lesson, 我的学习 and the bare view of the demo."""
    script = (
        "from courses.models import CourseIndexPage, CoursePage, LessonPage\n"
        "course = CoursePage.objects.live().first()\n"
        "print(CourseIndexPage.objects.live().first().url)\n"
        "print(course.url)\n"
        "print(LessonPage.objects.live().child_of(course).last().url)\n"
    )
    output = subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings.dev"},
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    catalog, course, lesson = output[-3:]
    return {
        "lesson": lesson,
        "course": course,
        "catalog": catalog,
        "learn": "/learn/",
        "bare view": "/bench/bare/",
    }


def build_demo(prefix):
    """The demo in a fresh SQLite file of a new temp folder, with its static files collected:
    ``(workdir, env, paths)`` (``page_paths``)."""
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    env = environment(workdir)
    started = time.monotonic()
    manage(env, "config.settings.dev", "migrate", "--noinput")
    manage(env, "config.settings.dev", "lms_demo")
    manage(env, "bench.server_settings", "collectstatic", "--noinput", "-v", "0")
    print(f"demo built in {time.monotonic() - started:.0f} s ({workdir})")
    return workdir, env, page_paths(env)


def free_port():
    """A port nothing listens on now (the kernel's pick: a random one could be in use by an
    outgoing connection of the ephemeral range)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--queries", action="store_true", help="print the SQL of each page")
    options = parser.parse_args()
    workdir, env, paths = build_demo("cplms-bench-")
    port = free_port()
    server = start_server(env, port, workdir)
    try:
        cookie = log_in(port)
        before = os.getloadavg()
        rows = {}
        for name, path in paths.items():
            rows[name] = hammer(port, path, cookie, options.seconds, options.clients)
            rows[name].update(weight(port, path, cookie))
        after = os.getloadavg()
    finally:
        server.terminate()
        server.wait(timeout=30)
    queries = count_queries(env, paths, options.queries)
    print(
        f"gunicorn 1 sync worker, production settings, {env['DATABASE_URL'].split(':')[0]}; "
        f"{options.clients} clients × {options.seconds:g} s per page; "
        f"load average {before[0]:.2f} before, {after[0]:.2f} after ({os.cpu_count()} CPUs)"
    )
    header = ("page", "req/s", "median ms", "p95 ms", "queries", "HTML KB", "1st load KB")
    print(f"{header[0]:<10} " + " ".join(f"{h:>11}" for h in header[1:]))
    for name, row in rows.items():
        print(
            f"{name:<10} {row['rps']:>11.1f} {row['median_ms']:>11.1f} {row['p95_ms']:>11.1f} "
            f"{queries[name]:>11} {row['html_kb']:>10.1f}{'z' if row['gzip'] else ' '} "
            f"{row['first_load_kb']:>11.1f}"
        )
    print("z: the HTML went out gzip-compressed")


if __name__ == "__main__":
    main()
