"""The cluster's supervisor: starts every child, restarts any that dies, stops them all.

Like systemd's ``Restart=always``: a child that exits (a SIGKILLed gunicorn master, a crashed
task worker, nginx) is started again after a short delay — 0.5 s the first time, doubling while
it keeps dying within ``STABLE_SECONDS`` of its start, at most ``MAX_DELAY`` — and every start,
exit and restart is one timestamped line in ``var/cluster/events.log``. Each child runs in its own
session, so stopping or reaping it signals its whole process group (a gunicorn master and its
worker). The state (children, pids, restarts) is rewritten to ``state.json`` for ``status``.
"""

import contextlib
import datetime
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from clusterkit import layout

FIRST_DELAY = 0.5
MAX_DELAY = 30.0
STABLE_SECONDS = 10.0
GRACE_SECONDS = 15.0


def now_iso():
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="milliseconds")


def event(message, **fields):
    """One line in events.log: time, message, fields as ``key=value``."""
    details = " ".join(f"{key}={value}" for key, value in fields.items())
    with layout.path("events.log").open("a", encoding="utf-8") as log:
        log.write(f"{now_iso()} {message} {details}\n")


class Supervised:
    """A child process and its restart bookkeeping."""

    def __init__(self, spec, env):
        self.spec, self.env = spec, env
        self.process = None
        self.started = 0.0
        self.restarts = 0
        self.delay = FIRST_DELAY
        self.due = 0.0  # when a dead child is started again
        self.last_exit = None
        self.workers = []

    def start(self):
        with Path(self.spec["log"]).open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - commands built by layout
                self.spec["command"],
                cwd=layout.ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.started = time.monotonic()
        event("start", child=self.spec["name"], pid=self.process.pid, restarts=self.restarts)

    def reap(self):
        """After an exit: kill what is left of its group, schedule the restart."""
        code = self.process.returncode
        pid = self.process.pid
        signal_group(pid, signal.SIGKILL)
        lived = time.monotonic() - self.started
        if lived >= STABLE_SECONDS:  # it had been running fine: restart at once
            self.delay = FIRST_DELAY
        wait, self.delay = self.delay, min(self.delay * 2, MAX_DELAY)
        self.due = time.monotonic() + wait
        self.last_exit = {"at": now_iso(), "pid": pid, "code": code}
        event(
            "exit",
            child=self.spec["name"],
            pid=pid,
            code=code,
            lived=f"{lived:.1f}s",
            restart_in=f"{wait:.1f}s",
        )
        self.process = None

    def tick(self, stopping):
        if self.process is not None and self.process.poll() is not None:
            self.reap()
        if self.process is None and not stopping and time.monotonic() >= self.due:
            self.restarts += 1
            self.workers = []
            event("restart", child=self.spec["name"], restarts=self.restarts)
            self.start()

    def watch_workers(self):
        """Log when a gunicorn master replaced its worker (a SIGKILLed worker comes back)."""
        if self.spec["role"] not in ("web", "exports") or self.process is None:
            return
        workers = worker_pids(self.process.pid)
        if workers and self.workers and workers != self.workers:
            event("worker replaced", child=self.spec["name"], old=self.workers, new=workers)
        self.workers = workers or self.workers

    def state(self):
        return {
            "name": self.spec["name"],
            "role": self.spec["role"],
            "port": self.spec["port"],
            "pid": self.process.pid if self.process else None,
            "restarts": self.restarts,
            "workers": self.workers,
            "last_exit": self.last_exit,
            "log": self.spec["log"],
        }


def worker_pids(pid):
    try:
        return sorted(int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split())
    except OSError:
        return []


def signal_group(pid, signum):
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signum)


def write_state(children, plan):
    state = {
        "supervisor_pid": os.getpid(),
        "updated_at": now_iso(),
        "web": plan["web"],
        "tasks": plan["tasks"],
        "port": plan["port"],
        "exports": plan.get("exports", 0),
        "children": [child.state() for child in children],
    }
    temporary = layout.path("state.json.tmp")
    temporary.write_text(json.dumps(state, indent=2), encoding="utf-8")
    temporary.replace(layout.path("state.json"))


def stop_all(children):
    """SIGTERM every child's group, wait up to GRACE_SECONDS, then SIGKILL what is left."""
    running = [child for child in children if child.process is not None]
    for child in running:
        signal_group(child.process.pid, signal.SIGTERM)
    deadline = time.monotonic() + GRACE_SECONDS
    while time.monotonic() < deadline and any(c.process.poll() is None for c in running):
        time.sleep(0.1)
    for child in running:
        if child.process.poll() is None:
            event("kill", child=child.spec["name"], pid=child.process.pid)
        signal_group(child.process.pid, signal.SIGKILL)
        child.process.wait()
        event("stopped", child=child.spec["name"], pid=child.process.pid)


def run(plan_file):
    """The supervisor's main loop (``deploy/cluster _supervise PLAN``)."""
    plan = json.loads(Path(plan_file).read_text(encoding="utf-8"))
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_args: stopping.append(True))
    signal.signal(signal.SIGINT, lambda *_args: stopping.append(True))
    layout.path("supervisor.pid").write_text(str(os.getpid()), encoding="utf-8")
    event("supervisor up", pid=os.getpid(), web=plan["web"], tasks=plan["tasks"])
    children = [Supervised(spec, plan["env"]) for spec in plan["children"]]
    try:
        for child in children:
            child.start()
        last_write = 0.0
        while not stopping:
            for child in children:
                child.tick(stopping=False)
            if time.monotonic() - last_write > 0.5:
                for child in children:
                    child.watch_workers()
                write_state(children, plan)
                last_write = time.monotonic()
            time.sleep(0.1)
    finally:
        event("supervisor stopping", pid=os.getpid())
        stop_all(children)
        layout.path("state.json").unlink(missing_ok=True)
        layout.path("supervisor.pid").unlink(missing_ok=True)
        event("supervisor down", pid=os.getpid())


if __name__ == "__main__":
    run(sys.argv[1])
