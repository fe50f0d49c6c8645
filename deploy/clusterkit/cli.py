"""``deploy/cluster``: the local cluster's commands (up, down, status, init).

``up`` checks PostgreSQL and Redis (starting them with the machine's own commands if they are
down), migrates, collects the static files, writes nginx's config and starts the supervisor as a
daemon, then waits until nginx and every web process answer ``/bench/bare/``. ``down`` stops the
supervisor (which stops its children) and makes sure nothing is left. ``status`` prints JSON.
"""

import argparse
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from clusterkit import layout

START_POSTGRES = (
    "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql | tail -1) main start"
)
START_REDIS = "redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no"


def say(message):
    sys.stdout.write(f"{message}\n")
    sys.stdout.flush()


def listening(host, port, timeout=1.0):
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def ensure_service(name, host, port, start):
    """Start PostgreSQL or Redis with the machine's command when nothing listens on its port."""
    if listening(host, port):
        return
    say(f"{name} is not answering on {host}:{port}: starting it ({start})")
    subprocess.run(start, shell=True, check=False)  # noqa: S602 - fixed commands
    for _ in range(60):
        if listening(host, port):
            return
        time.sleep(0.5)
    raise SystemExit(f"{name} did not come up on {host}:{port}")


def supervisor_pid():
    """The running supervisor's pid, or None (a stale pid file is ignored)."""
    try:
        pid = int(layout.path("supervisor.pid").read_text())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (OSError, ValueError):
        return None
    return pid if b"_supervise" in cmdline else None


def alive(pid):
    """Whether ``pid`` runs (a zombie — exited, not yet reaped by ``up`` — does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def answers(port, timeout=2.0):
    try:
        with urllib.request.urlopen(  # noqa: S310 - loopback http only
            f"http://127.0.0.1:{port}/bench/bare/", timeout=timeout
        ) as response:
            return response.status == 200
    except (OSError, urllib.error.URLError):
        return False


def child_pids(pid):
    """Direct children of ``pid`` (a gunicorn master's workers)."""
    try:
        found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    return [int(child) for child in found]


def status_data():
    pid = supervisor_pid()
    if pid is None:
        return {"up": False}
    try:
        state = json.loads(layout.path("state.json").read_text())
    except (OSError, ValueError):
        return {"up": True, "supervisor_pid": pid, "children": [], "note": "starting"}
    for child in state["children"]:
        child["alive"] = child["pid"] is not None and Path(f"/proc/{child['pid']}").exists()
        if child["role"] in ("web", "exports", "proxy") and child["pid"]:
            child["workers"] = child_pids(child["pid"])
    return {"up": True, **state}


def cmd_status(_options):
    say(json.dumps(status_data(), indent=2))


def cmd_init(options):
    env_file = Path(options.env)
    if env_file.exists():
        say(f"{env_file} exists: kept as it is (its chain key hashed the records).")
        return
    layout.write_env_file(env_file, options.database_url, options.redis_url)
    say(f"wrote {env_file} with a new SECRET_KEY and LMS_RECORD_CHAIN_KEY")


def check_ports(options):
    wanted = [options.port] + [options.web_base_port + n for n in range(options.web)]
    wanted += [options.export_base_port + n for n in range(options.exports)]
    busy = [port for port in wanted if listening("127.0.0.1", port, timeout=0.3)]
    if busy:
        raise SystemExit(f"ports in use by something else: {busy} (choose --port/--web-base-port)")


def cmd_up(options):
    running = supervisor_pid()
    if running is not None:
        state = status_data()
        shape = (state.get("web"), state.get("tasks"), state.get("port"), state.get("exports", 0))
        say(f"the cluster is already up (supervisor pid {running}, web/tasks/port {shape})")
        if shape != (options.web, options.tasks, options.port, options.exports):
            raise SystemExit("it runs with another shape: `deploy/cluster down` first")
        return
    env_file = Path(options.env)
    if not env_file.exists():
        raise SystemExit(
            f"no environment file {env_file}: create it with `deploy/cluster init` (new keys; "
            "or copy the one the data set was built with: its chain key must match)"
        )
    env = layout.environment(env_file)
    database = urllib.parse.urlsplit(env.get("DATABASE_URL", ""))
    if database.scheme.startswith("postgres"):
        ensure_service(
            "PostgreSQL", database.hostname or "127.0.0.1", database.port or 5432, START_POSTGRES
        )
    redis = urllib.parse.urlsplit(env.get("REDIS_URL", ""))
    if redis.scheme.startswith("redis"):
        ensure_service("Redis", redis.hostname or "127.0.0.1", redis.port or 6379, START_REDIS)
    check_ports(options)
    plan = layout.make_plan(
        options.web,
        options.tasks,
        options.port,
        options.web_base_port,
        env,
        exports=options.exports,
        export_base_port=options.export_base_port,
    )
    if not (options.skip_setup and layout.path("static", "staticfiles.json").exists()):
        say("migrate, collectstatic …")
        layout.manage(env, "migrate", "--noinput", "-v", "0")
        layout.manage(env, "collectstatic", "--noinput", "-v", "0")
    plan_file = layout.path("plan.json")
    plan_file.write_text(json.dumps(plan.as_json(), indent=2), encoding="utf-8")
    plan_file.chmod(0o600)  # it holds the environment
    log = layout.path("logs", "supervisor.log").open("ab")
    subprocess.Popen(  # noqa: S603 - this same script
        [sys.executable, str(layout.ROOT / "deploy" / "cluster"), "_supervise", str(plan_file)],
        cwd=layout.ROOT,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    ports = [options.port] + [options.web_base_port + n for n in range(options.web)]
    ports += [options.export_base_port + n for n in range(options.exports)]
    deadline = time.monotonic() + options.timeout
    while time.monotonic() < deadline:
        if all(answers(port) for port in ports):
            say(
                f"cluster up: http://127.0.0.1:{options.port}/ ({options.web} web, "
                f"{options.tasks} task workers)"
            )
            cmd_status(options)
            return
        time.sleep(0.3)
    logs = layout.path("logs")
    say(f"the cluster did not answer in {options.timeout} s: stopping it (see {logs})")
    options.grace = 30.0
    cmd_down(options)
    raise SystemExit(1)


def cmd_down(options):
    pid = supervisor_pid()
    state = status_data() if pid else {}
    if pid is None:
        say("the cluster is not running")
    else:
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + options.grace
        while time.monotonic() < deadline and alive(pid):
            time.sleep(0.2)
        if alive(pid):
            say(f"supervisor {pid} did not stop in {options.grace} s: SIGKILL")
            os.kill(pid, signal.SIGKILL)
    # Whatever a killed supervisor left behind: each child's whole process group.
    for child in state.get("children", []):
        if child.get("pid"):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(child["pid"], signal.SIGKILL)
    layout.path("supervisor.pid").unlink(missing_ok=True)
    if pid is not None:
        say("cluster down")


def parser():
    main = argparse.ArgumentParser(prog="deploy/cluster", description=__doc__.splitlines()[0])
    commands = main.add_subparsers(dest="command", required=True)
    up = commands.add_parser("up", help="start the cluster (idempotent)")
    up.add_argument("--web", type=int, default=2, help="gunicorn processes (1 worker each)")
    up.add_argument("--tasks", type=int, default=1, help="task workers")
    up.add_argument("--port", type=int, default=8080, help="nginx's loopback port")
    up.add_argument("--web-base-port", type=int, default=8101)
    up.add_argument(
        "--exports",
        type=int,
        default=1,
        help="gunicorn processes for the long downloads (nginx routes them as in production)",
    )
    up.add_argument("--export-base-port", type=int, default=8201)
    up.add_argument("--env", default=str(layout.DEFAULT_ENV_FILE))
    up.add_argument("--timeout", type=float, default=90.0)
    up.add_argument(
        "--skip-setup",
        action="store_true",
        help="skip migrate and collectstatic when the static files were collected before",
    )
    down = commands.add_parser("down", help="stop everything")
    down.add_argument("--grace", type=float, default=30.0)
    commands.add_parser("status", help="JSON: supervisor, children, workers, restarts")
    init = commands.add_parser("init", help="write a new environment file (never replaces one)")
    init.add_argument("--env", default=str(layout.DEFAULT_ENV_FILE))
    init.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/cplms_cluster")
    init.add_argument("--redis-url", default="redis://127.0.0.1:6379/3")
    supervise = commands.add_parser("_supervise", help=argparse.SUPPRESS)
    supervise.add_argument("plan")
    return main


def main(argv=None):
    options = parser().parse_args(argv)
    if options.command == "_supervise":
        from clusterkit import supervisor  # noqa: PLC0415 - only the daemon needs it

        supervisor.run(options.plan)
        return
    {"up": cmd_up, "down": cmd_down, "status": cmd_status, "init": cmd_init}[options.command](
        options
    )
