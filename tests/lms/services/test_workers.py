"""Dead task workers are noticed and their tasks resume (lms.services.workers)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from lms.models import PlanPublication, RosterImport, TaskWorker
from lms.services import workers
from tests.factories import make_plan

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def heard(worker_id, seconds_ago):
    return TaskWorker.objects.create(
        worker_id=worker_id,
        host="h",
        pid=1,
        started_at=NOW - timedelta(hours=1),
        seen_at=NOW - timedelta(seconds=seconds_ago),
    )


def running(task_path, args, worker_ids, started_seconds_ago=60):
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        task_path=task_path,
        args_kwargs={"args": args, "kwargs": {}},
        worker_ids=worker_ids,
        backend_name="default",
        run_after=NOW - timedelta(hours=1),
        started_at=NOW - timedelta(seconds=started_seconds_ago),
    )


def status(result):
    result.refresh_from_db()
    return result.status


def test_the_tasks_of_a_worker_gone_silent_are_queued_again_with_their_runs():
    heard("alive", 3)
    heard("dead", 31)  # six beats of 5 s and a little
    roster = RosterImport.objects.create(file="r.csv", filename="r.csv", status="running")
    plan = make_plan()
    publication = PlanPublication.objects.create(plan=plan, status="running", done=3, total=9)
    other_publication = PlanPublication.objects.create(plan=make_plan(), status="running")
    dead_roster = running("lms.tasks.import_roster_task", [roster.pk], ["old", "dead"])
    dead_publish = running("lms.tasks.publish_plan_task", [plan.pk], ["dead"])
    busy = running("lms.tasks.publish_plan_task", [other_publication.plan_id], ["alive"], 3600)
    finished = running("lms.tasks.send_reminders_task", [], ["dead"])
    DBTaskResult.objects.filter(pk=finished.pk).update(status=TaskResultStatus.SUCCESSFUL)

    assert workers.reap(now=NOW) == 2

    assert status(dead_roster) == TaskResultStatus.READY
    assert status(dead_publish) == TaskResultStatus.READY
    dead_roster.refresh_from_db()
    assert dead_roster.worker_ids == ["old", "dead"]  # who had it stays as evidence
    assert dead_roster.started_at is None
    roster.refresh_from_db()
    publication.refresh_from_db()
    assert roster.status == RosterImport.QUEUED
    assert (publication.status, publication.done) == (PlanPublication.QUEUED, 3)
    # A long task of a live worker is its own, however long it runs; a finished task stays.
    assert status(busy) == TaskResultStatus.RUNNING
    assert PlanPublication.objects.get(pk=other_publication.pk).status == "running"
    assert status(finished) == TaskResultStatus.SUCCESSFUL
    assert set(TaskWorker.objects.values_list("worker_id", flat=True)) == {"alive"}
    assert workers.reap(now=NOW) == 0  # nothing twice


def test_a_worker_that_never_reported_is_given_a_lease_from_its_task_start():
    young = running("lms.tasks.send_reminders_task", [], ["db-worker-1"], started_seconds_ago=10)
    old = running("lms.tasks.send_reminders_task", [], ["db-worker-2"], started_seconds_ago=40)
    assert workers.reap(now=NOW) == 1
    assert status(young) == TaskResultStatus.RUNNING
    assert status(old) == TaskResultStatus.READY


def test_a_queued_again_task_runs_once_more_and_claims_its_run(settings):
    roster = RosterImport.objects.create(file="r.csv", filename="r.csv", status="running")
    heard("dead", 600)
    result = running("lms.tasks.import_roster_task", [roster.pk], ["dead"])
    workers.reap(now=NOW)
    roster.refresh_from_db()
    assert roster.status == RosterImport.QUEUED
    assert status(result) == TaskResultStatus.READY
    assert DBTaskResult.objects.ready().filter(pk=result.pk).exists()  # a worker will take it


def test_a_worker_puts_back_only_its_own_unfinished_tasks():
    mine = running("lms.tasks.send_reminders_task", [], ["me"])
    theirs = running("lms.tasks.send_reminders_task", [], ["me", "them"])
    assert workers.requeue_own("me") == 1
    assert status(mine) == TaskResultStatus.READY
    assert status(theirs) == TaskResultStatus.RUNNING


def test_beat_and_leave(settings):
    settings.LMS_TASK_WORKER_BEAT_SECONDS = 2
    assert workers.lease_period() == timedelta(seconds=12)
    worker_id = workers.new_worker_id("web-1")
    assert worker_id.startswith("web-1:") and len(worker_id) <= 64
    assert workers.new_worker_id("web-1") != worker_id  # unique per start
    workers.beat(worker_id, NOW)
    workers.beat(worker_id, NOW)
    row = TaskWorker.objects.get()
    assert row.worker_id == worker_id and row.seen_at >= NOW
    workers.leave(worker_id)
    assert not TaskWorker.objects.exists()
