"""Task workers that die are noticed, and their work resumes without anyone: the rules of
``manage.py lms_task_worker``.

django-tasks-db's worker marks a task it takes RUNNING and nothing ever looks at it again: a
worker killed mid-task (SIGKILL, out of memory, its machine lost) leaves the task RUNNING for
ever, and with it the ``TaskRun`` the task had claimed (a plan "being published", a roster
"importing") — which the admin would show as stale after 15 minutes, for a person to restart.

Here every worker reports (``beat``) every ``beat_seconds()`` (5 s) into a ``TaskWorker`` row,
from a thread of its own, also while a task runs. ``reap`` (run by every worker at start and with
every beat) finds the workers not heard from for a lease (six beats, ``lease_period``) and puts
their RUNNING tasks back to READY, and the runs those tasks had claimed back to QUEUED, so the
next free worker takes them.
A task runs again only when its worker is gone: the lease is six beats, so a worker that is slow
(a long task, a database restart of a few seconds) is not taken for dead. Each task's service
claims its run in one conditional UPDATE (``lms.services.runs``) and the work a killed task did
was in a transaction that died with it, or is idempotent (a plan's fan-out, the daily runs), so
the task run again does the work once. The worker ids a task has had stay on it as evidence.

A worker that is alive but lost the database in the middle of a task (a restart) cannot record
the task's end; when the database is back it puts its own unfinished tasks back the same way
(``requeue_own``).
"""

import logging
import os
import socket
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from lms.models import PlanPublication, RosterImport, TaskWorker
from lms.models.runs import TaskRun

logger = logging.getLogger("lms.workers")

#: A worker not heard from for this many of its reports is dead.
LEASE_BEATS = 6


def beat_seconds():
    """How often a worker reports (``LMS_TASK_WORKER_BEAT_SECONDS``, default 5)."""
    return settings.LMS_TASK_WORKER_BEAT_SECONDS


def lease_period():
    """How long a worker may go unheard before it is taken for dead."""
    return timedelta(seconds=beat_seconds() * LEASE_BEATS)


def new_worker_id(name=""):
    """A worker id unique to this process (≤ 64 characters): ``name`` (default the host name),
    the process id and a random part, so a worker started again under the same name is another
    worker and the dead one's tasks are still known to be orphans."""
    base = (name or socket.gethostname())[:40]
    return f"{base}:{os.getpid()}:{os.urandom(3).hex()}"


def beat(worker_id, started_at, now=None):
    """Report worker ``worker_id`` (this process) alive."""
    now = now or timezone.now()
    TaskWorker.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": started_at,
            "seen_at": now,
        },
    )


def leave(worker_id):
    """Worker ``worker_id`` stops of its own accord (it finished its task first)."""
    TaskWorker.objects.filter(worker_id=worker_id).delete()


def _runs_of(result):
    """The ``TaskRun`` rows the task ``result`` claims when it runs, by what it was given."""
    args = (result.args_kwargs or {}).get("args") or []
    if not args:
        return []
    if result.task_path == "lms.tasks.import_roster_task":
        return [RosterImport.objects.filter(pk=args[0])]
    if result.task_path == "lms.tasks.publish_plan_task":
        return [PlanPublication.objects.filter(plan_id=args[0])]
    return []


def _requeue(results):
    """Put ``results`` (RUNNING tasks whose worker is gone) back to READY and the runs they had
    claimed back to QUEUED; how many tasks."""
    count = 0
    for result in results:
        for runs in _runs_of(result):
            runs.filter(status=TaskRun.RUNNING).update(status=TaskRun.QUEUED)
        count += DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.READY, started_at=None
        )
        logger.warning(
            "task %s (%s) of worker %s queued again: its worker is gone",
            result.pk,
            result.task_path,
            result.worker_ids[-1] if result.worker_ids else "?",
        )
    return count


def reap(now=None, lease=None):
    """Queue again the tasks of every worker not heard from for ``lease`` (and of workers that
    never reported, once their task has run that long); forget the dead workers. Returns how
    many tasks were queued again."""
    now = now or timezone.now()
    lease = lease or lease_period()
    with transaction.atomic():
        live = set(
            TaskWorker.objects.filter(seen_at__gte=now - lease).values_list("worker_id", flat=True)
        )
        dead = set(
            TaskWorker.objects.select_for_update(skip_locked=True)
            .filter(seen_at__lt=now - lease)
            .values_list("worker_id", flat=True)
        )
        orphans = [
            result
            for result in DBTaskResult.objects.select_for_update(skip_locked=True).filter(
                status=TaskResultStatus.RUNNING
            )
            if _orphaned(result, live, dead, now - lease)
        ]
        count = _requeue(orphans)
        TaskWorker.objects.filter(worker_id__in=dead).delete()
    return count


def _orphaned(result, live, dead, before):
    worker = result.worker_ids[-1] if result.worker_ids else None
    if worker in live:
        return False
    if worker in dead:
        return True
    # A worker that never reported (a plain db_worker, or one that died before its first beat):
    # orphaned once the task has run longer than a lease.
    return result.started_at is None or result.started_at < before


def requeue_own(worker_id):
    """Put back this worker's own RUNNING tasks (called when it runs none: after losing the
    database mid-task). Returns how many."""
    with transaction.atomic():
        mine = [
            result
            for result in DBTaskResult.objects.select_for_update().filter(
                status=TaskResultStatus.RUNNING
            )
            if result.worker_ids and result.worker_ids[-1] == worker_id
        ]
        return _requeue(mine)
