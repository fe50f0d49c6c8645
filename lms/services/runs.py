"""The life of a ``TaskRun`` (``lms.models.runs``), the one way background work keeps its
progress: a request creates the run (queued) and enqueues the task; the worker ``claim``s it in
one conditional UPDATE, so a task delivered twice runs once; it ends ``finish``ed with its
outcome or ``fail``ed with its error. ``state_of`` says what a page should show, including runs
whose worker has died ("stale") or that have waited long for a worker ("waiting")."""

from django.utils import timezone


def claim(queryset):
    """Claim the queued run of ``queryset`` (queued → running); whether this call claimed it."""
    model = queryset.model
    return bool(
        queryset.filter(status=model.QUEUED).update(status=model.RUNNING, started_at=timezone.now())
    )


def finish(model, run_id, **values):
    """Mark run ``run_id`` finished, with ``values`` (e.g. its outcome)."""
    model.objects.filter(pk=run_id).update(
        status=model.FINISHED, finished_at=timezone.now(), **values
    )


def fail(model, run_id, error):
    """Mark run ``run_id`` failed with ``error`` (an exception), kept short for the admin."""
    model.objects.filter(pk=run_id).update(
        status=model.FAILED,
        finished_at=timezone.now(),
        error=f"{type(error).__name__}: {error}"[:1000],
    )


def state_of(run, *, stale_after, waiting_after, heard_at=None, now=None):
    """``run``'s status as a page shows it: "stale" for a running run not heard from for
    ``stale_after`` (its worker has stopped: it may be started again), "waiting" for one queued
    longer than ``waiting_after`` (is a worker running?), else its status. ``heard_at`` is when
    the run last reported (default: when it started)."""
    now = now or timezone.now()
    if run.status == run.RUNNING and (heard_at or run.started_at) < now - stale_after:
        return "stale"
    if run.status == run.QUEUED and run.created_at < now - waiting_after:
        return "waiting"
    return run.status
