"""The local cluster (deploy/cluster): its environment file, nginx's config, and the supervisor
restarting a child that dies and leaving nothing behind when stopped."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "deploy"))
sys.path.insert(0, str(ROOT / "bench" / "load"))

from clusterkit import layout  # noqa: E402


def test_the_env_file_is_read_like_a_shell_would(tmp_path):
    env_file = tmp_path / "cluster.env"
    env_file.write_text("# a comment\n\nexport A=1\nB='two words'\nC=\"x=y\"\n")
    assert layout.read_env_file(env_file) == {"A": "1", "B": "two words", "C": "x=y"}


def test_init_writes_fresh_keys_once(tmp_path):
    env_file = tmp_path / "var" / "cluster.env"
    layout.write_env_file(env_file, "postgres://db/x", "redis://r/3")
    values = layout.read_env_file(env_file)
    assert len(values["LMS_RECORD_CHAIN_KEY"]) >= 43
    assert values["SECRET_KEY"] != values["LMS_RECORD_CHAIN_KEY"]
    assert values["DATABASE_URL"] == "postgres://db/x"
    assert env_file.stat().st_mode & 0o777 == 0o600
    with pytest.raises(FileExistsError):  # the chain key must never be replaced
        layout.write_env_file(env_file, "postgres://db/y", "redis://r/3")
    assert layout.read_env_file(env_file) == values


def test_nginx_spreads_over_every_web_process():
    config = layout.nginx_config(8080, [8101, 8102, 8103])
    assert "least_conn;" in config and "keepalive 32;" in config
    assert "listen 127.0.0.1:8080;" in config
    for port in (8101, 8102, 8103):
        assert f"server 127.0.0.1:{port} " in config
    assert "X-Forwarded-For $proxy_add_x_forwarded_for" in config


def test_long_downloads_go_to_the_exports_processes_as_in_production():
    config = layout.nginx_config(8080, [8101, 8102], [8201])
    exports = config.split("upstream cplms_exports")[1].split("}")[0]
    assert "server 127.0.0.1:8201 " in exports and "8101" not in exports
    routes = layout.export_routes()
    assert '"~^/admin/training/evidence/" cplms_exports;' in config
    assert all(f'"~{route}" cplms_exports;' in config for route in routes)
    assert "proxy_pass http://$cplms_upstream;" in config
    # Without export processes everything stays on the web processes.
    plain = layout.nginx_config(8080, [8101])
    assert "cplms_exports" not in plain and "default cplms_web;" in plain


def _events(folder):
    path = folder / "events.log"
    return path.read_text() if path.exists() else ""


def _wait(condition, seconds=10):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_the_supervisor_restarts_a_killed_child_and_stops_everything(tmp_path):
    child = {"name": "sleeper", "role": "task", "command": ["sleep", "300"], "port": None,
             "log": str(tmp_path / "sleeper.log")}  # fmt: skip
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"web": 0, "tasks": 1, "port": 0, "env": dict(os.environ),
                                "children": [child]}))  # fmt: skip
    supervisor = subprocess.Popen(  # noqa: S603 - our own script
        [sys.executable, str(ROOT / "deploy" / "cluster"), "_supervise", str(plan)],
        env={**os.environ, "CLUSTER_DIR": str(tmp_path)},
    )
    try:
        assert _wait(lambda: (tmp_path / "state.json").exists())
        first = json.loads((tmp_path / "state.json").read_text())["children"][0]["pid"]
        os.kill(first, signal.SIGKILL)
        assert _wait(lambda: "restart child=sleeper restarts=1" in _events(tmp_path))

        def replaced():
            state = json.loads((tmp_path / "state.json").read_text())
            return state["children"][0]["pid"] not in (None, first)

        assert _wait(replaced)
        second = json.loads((tmp_path / "state.json").read_text())["children"][0]["pid"]
    finally:
        supervisor.send_signal(signal.SIGTERM)
        supervisor.wait(timeout=20)
    assert "exit child=sleeper" in _events(tmp_path)
    assert not Path(f"/proc/{second}").exists() or b"Z" in Path(f"/proc/{second}/stat").read_bytes()
    assert not (tmp_path / "supervisor.pid").exists()


def test_reconcile_ignores_a_journal_line_cut_short(tmp_path):
    from reconcile import read_journal  # noqa: PLC0415 - bench/load is not a package

    (tmp_path / "1.jsonl").write_text(
        '{"kind": "answer", "attempt_id": 1, "question_id": 2, "choices": [3]}\n{"kind": "ans'
    )
    (tmp_path / "1.failures.jsonl").write_text('{"t": 1.0, "kind": "submit"}\n')
    writes, failures = read_journal(tmp_path)
    assert [row["attempt_id"] for row in writes["answer"]] == [1]
    assert failures == [{"t": 1.0, "kind": "submit"}]
