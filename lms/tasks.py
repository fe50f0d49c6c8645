"""Background tasks (django-tasks) of the lms app: publishing a plan, importing an uploaded roster
and the daily reminder run. ``python manage.py db_worker`` runs them when ``TASKS_BACKEND`` is
"database"; the default ``ImmediateBackend`` runs them inline.

Publishing a plan fans out to one assignment per person per item, so it runs as a task. Its
progress is kept in Django's cache under one key per plan (``lms:plan-publish:<plan id>``), as a
small dict: ``state`` (queued / running / finished / failed), ``done`` and ``total`` items,
``created`` assignments, ``started_at``, ``finished_at``, ``updated_at`` and ``error``.

Why the cache: no model may hold it, django-tasks only keeps a task's *return value* (and only
with a backend that stores results), and the admin wants live progress while a worker runs. The
cache is shared by every web and worker process once ``REDIS_URL`` is set (the production setup);
with the local-memory cache a separate ``db_worker`` process would write progress that the web
process cannot see. For that case the task also *returns* the final counts, and the admin's
progress endpoint falls back to the task result (``?task=<result id>``) when the backend can
fetch results (django-tasks-db can; the default ``ImmediateBackend`` runs the task inline, so
the cache is always filled by the time the page loads).
"""

import datetime
import re

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django_tasks import TaskResultStatus, task
from django_tasks.exceptions import TaskResultDoesNotExist, TaskResultMismatch

from lms.models import TrainingPlan
from lms.services.plans import publish_plan
from lms.services.reminders.daily import send_due_reminders
from lms.services.roster.runs import run_import

PROGRESS_TIMEOUT = 24 * 60 * 60  # seconds: long enough to look at tomorrow, then gone
# A run that has said nothing for this long is taken to have died: publishing may start again.
STALE_RUN_SECONDS = 15 * 60
TASK_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")

QUEUED = "queued"
RUNNING = "running"
FINISHED = "finished"
FAILED = "failed"


def progress_key(plan_id):
    return f"lms:plan-publish:{plan_id}"


def get_progress(plan_id):
    """The stored progress of the latest publish run of a plan, or ``None``."""
    return cache.get(progress_key(plan_id))


def set_progress(plan_id, **values):
    """Replace the stored progress of ``plan_id`` with ``values`` (plus ``updated_at``).

    Each write sets the whole dict (no read-modify-write), so a web process and a worker never
    interleave half-updates."""
    values["updated_at"] = timezone.now().isoformat()
    cache.set(progress_key(plan_id), values, PROGRESS_TIMEOUT)
    return values


def mark_queued(plan_id):
    """Called by the admin just before enqueueing, so the progress page has something to show
    while the task waits for a worker."""
    return set_progress(
        plan_id,
        state=QUEUED,
        done=0,
        total=None,
        created=None,
        started_at=None,
        finished_at=None,
        error="",
    )


@task()
def publish_plan_task(plan_id):
    """Publish (or re-sync) the plan ``plan_id`` through ``lms.services.publish_plan``, keeping
    its progress in the cache. Returns ``{"plan", "done", "total", "created"}``."""
    started_at = timezone.now().isoformat()
    progress = {"state": RUNNING, "done": 0, "total": None, "created": None, "error": ""}

    def save(**values):
        progress.update(values)
        set_progress(plan_id, started_at=started_at, finished_at=None, **progress)

    try:
        plan = TrainingPlan.objects.get(pk=plan_id)
        if plan.status == TrainingPlan.CLOSED:
            raise ValueError(f"Plan {plan_id} is closed and cannot be published.")
        save(total=plan.items.count())
        created = publish_plan(plan, progress=lambda done, total: save(done=done, total=total))
    except Exception as error:
        # Recorded for the admin page, then re-raised so the task result says FAILED too.
        progress.update(state=FAILED, error=f"{type(error).__name__}: {error}"[:500])
        set_progress(
            plan_id, started_at=started_at, finished_at=timezone.now().isoformat(), **progress
        )
        raise
    total = progress["total"] or 0
    progress.update(state=FINISHED, done=total, total=total, created=created)
    set_progress(plan_id, started_at=started_at, finished_at=timezone.now().isoformat(), **progress)
    return {"plan": plan_id, "done": total, "total": total, "created": created}


def _task_result_progress(task_id):
    """Progress from the task backend's stored result, when it keeps results (e.g.
    django-tasks-db): the final counts even when the worker's cache is not the web's."""
    if not task_id or not TASK_ID_RE.match(task_id):
        return None
    if not publish_plan_task.get_backend().supports_get_result:
        return None
    try:
        result = publish_plan_task.get_result(task_id)
    except (TaskResultDoesNotExist, TaskResultMismatch, ValidationError, ValueError):
        return None
    finished_at = result.finished_at.isoformat() if result.finished_at else None
    if result.status == TaskResultStatus.SUCCESSFUL:
        value = result.return_value or {}
        return {
            "state": FINISHED,
            "done": value.get("done"),
            "total": value.get("total"),
            "created": value.get("created"),
            "finished_at": finished_at,
        }
    if result.status == TaskResultStatus.FAILED:
        error = result.errors[-1].exception_class_path if result.errors else ""
        return {"state": FAILED, "error": error, "finished_at": finished_at}
    return {"state": RUNNING if result.status == TaskResultStatus.RUNNING else QUEUED}


def read_progress(plan_id, task_id=None):
    """The progress of the latest publish run of ``plan_id``: the cached dict, completed from
    the task result ``task_id`` while the cache has no final state. ``state`` is "idle" when
    nothing is known."""
    data = dict(get_progress(plan_id) or {})
    if data.get("state") not in (FINISHED, FAILED):
        data.update(_task_result_progress(task_id) or {})
    data.setdefault("state", "idle")
    for key in ("done", "total", "created", "finished_at"):
        data.setdefault(key, None)
    data.setdefault("error", "")
    return data


def run_in_progress(plan_id):
    """Whether a publish run of ``plan_id`` is queued or running and was heard from lately."""
    data = get_progress(plan_id)
    if not data or data.get("state") not in (QUEUED, RUNNING):
        return False
    updated = parse_datetime(data.get("updated_at") or "")
    return bool(updated) and (timezone.now() - updated).total_seconds() < STALE_RUN_SECONDS


@task()
def import_roster_task(run_id):
    """Import the queued roster upload ``run_id`` (``lms.models.RosterImport``); returns its
    outcome, or None if it was not queued: a second delivery of the task does nothing."""
    return run_import(run_id)


@task()
def send_reminders_task(day=None):
    """Send the reminders of ``day`` (ISO date; default today in Asia/Shanghai when the task
    runs). Returns the counts of ``lms.services.reminders.daily.send_due_reminders``.

    django-tasks has no scheduler: cron or a systemd timer runs ``manage.py lms_send_reminders``
    once a day (see README), which enqueues this task. Running it more than once a day is
    harmless: each reminder is stored, and sent, once per day."""
    today = datetime.date.fromisoformat(day) if day else None
    return send_due_reminders(today)
