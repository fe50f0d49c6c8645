"""``manage.py lms_task_worker`` for real: worker processes on PostgreSQL, one killed with
SIGKILL mid-task. Its task is run again by another worker once its lease has passed, and only
then; a worker that is merely slow keeps its task."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.lms.commands.worker_tasks import noted_sleep

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[3]
BEAT = 0.5  # seconds: the lease is six beats, 3 s
DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def _postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("worker processes sharing a queue: PostgreSQL (real row locks)")


def start_worker(name):
    db = connection.settings_dict
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}},
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "TASKS_BACKEND": "database",
        "LMS_TASK_WORKER_BEAT_SECONDS": str(BEAT),
    }
    return subprocess.Popen(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", "lms_task_worker", "--worker-id", name]
        + ["--interval", "0.2", "--no-startup-delay", "-v", "0"],
        cwd=ROOT,
        env=env,
    )


def wait_for(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def notes(path):
    return path.read_text().split() if path.exists() else []


def stop(*processes):
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def test_the_task_of_a_killed_worker_is_run_again_by_another_once(tmp_path):
    path = tmp_path / "notes.txt"
    with override_settings(TASKS=DATABASE_BACKEND):
        result_id = noted_sleep.enqueue(str(path), 2).id
    first = start_worker("first")
    second = None
    try:
        assert wait_for(lambda: "start" in notes(path)), "the first worker never took the task"
        killed_at = time.monotonic()
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
        second = start_worker("second")
        assert wait_for(lambda: "done" in notes(path)), "the task never ran to its end"
        waited = time.monotonic() - killed_at
    finally:
        stop(first, *([second] if second else []))
    result = DBTaskResult.objects.get(pk=result_id)
    assert result.status == TaskResultStatus.SUCCESSFUL
    words = notes(path)
    assert words == ["start", str(first.pid), "start", str(second.pid), "done", str(second.pid)]
    assert [worker.split(":")[0] for worker in result.worker_ids] == ["first", "second"]
    assert waited >= 6 * BEAT  # not before the dead worker's lease had passed


def test_a_slow_live_worker_keeps_its_task(tmp_path):
    path = tmp_path / "notes.txt"
    with override_settings(TASKS=DATABASE_BACKEND):
        result_id = noted_sleep.enqueue(str(path), 6 * BEAT + 3).id
    first = start_worker("first")
    second = None
    try:
        assert wait_for(lambda: "start" in notes(path))
        second = start_worker("second")  # idle, reaping with every beat
        assert wait_for(lambda: "done" in notes(path))
    finally:
        stop(first, *([second] if second else []))
    result = DBTaskResult.objects.get(pk=result_id)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert notes(path) == ["start", str(first.pid), "done", str(first.pid)]
    assert len(result.worker_ids) == 1
