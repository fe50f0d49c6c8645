"""Publishing (or syncing) a plan as background work, with its progress kept on a
``PlanPublication`` row (see ``lms.services.runs``): ``start_publication`` queues a run (one at
a time per plan), the task calls ``run_publication``, which claims the run and moves it on after
each item, and ``publication_progress`` is what the admin's progress page and its JSON show.
The fan-out itself is ``lms.services.plans.publish_plan``."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from lms.models import PlanPublication, TrainingPlan
from lms.services import runs
from lms.services.plans import publish_plan

#: A run not heard from for this long has lost its worker: publishing may start again.
STALE_AFTER = timedelta(minutes=15)
#: A run queued this long is waiting for a worker that may not be running.
WAITING_AFTER = timedelta(minutes=1)


class PlanClosed(Exception):
    """A closed plan cannot be published again."""


class AlreadyPublishing(Exception):
    """A run of this plan is queued or running."""


def state_of(run, now=None):
    return runs.state_of(
        run,
        stale_after=STALE_AFTER,
        waiting_after=WAITING_AFTER,
        heard_at=run.updated_at,
        now=now,
    )


def active_publication(plan):
    """The queued or running publication of ``plan`` that is still alive, if any."""
    run = plan.publications.filter(status__in=[PlanPublication.QUEUED, PlanPublication.RUNNING])
    run = run.order_by("-created_at", "-pk").first()
    return run if run is not None and state_of(run) != "stale" else None


def start_publication(plan, user):
    """A queued publication of ``plan`` by ``user`` (a sync when the plan is published already).
    Raises PlanClosed, or AlreadyPublishing while another run is alive: two clicks queue one."""
    with transaction.atomic():
        plan = TrainingPlan.objects.select_for_update().get(pk=plan.pk)
        if plan.status == TrainingPlan.CLOSED:
            raise PlanClosed
        if active_publication(plan) is not None:
            raise AlreadyPublishing
        return PlanPublication.objects.create(
            plan=plan, started_by=user, sync=plan.status == TrainingPlan.PUBLISHED
        )


def run_publication(plan_id):
    """Run the oldest queued publication of plan ``plan_id``: publish the plan item by item,
    moving the run on after each. Returns ``{"plan", "done", "total", "created"}``, or None
    when nothing was queued (another delivery of the task got it). A failure is kept on the run
    and raised again, so the task fails too."""
    run = (
        PlanPublication.objects.filter(plan_id=plan_id, status=PlanPublication.QUEUED)
        .order_by("created_at", "pk")
        .first()
    )
    if run is None or not runs.claim(PlanPublication.objects.filter(pk=run.pk)):
        return None
    try:
        plan = TrainingPlan.objects.get(pk=plan_id)
        if plan.status == TrainingPlan.CLOSED:
            raise PlanClosed(f"Plan {plan_id} is closed and cannot be published.")
        total = plan.items.count()
        PlanPublication.objects.filter(pk=run.pk).update(total=total, updated_at=timezone.now())

        def progress(done, total):
            PlanPublication.objects.filter(pk=run.pk).update(
                done=done, total=total, updated_at=timezone.now()
            )

        created = publish_plan(plan, progress=progress)
    except Exception as error:
        runs.fail(PlanPublication, run.pk, error)
        raise
    result = {"plan": plan_id, "done": total, "total": total, "created": created}
    runs.finish(
        PlanPublication,
        run.pk,
        done=total,
        created=created,
        outcome=result,
        updated_at=timezone.now(),
    )
    return result


def publication_progress(plan, task_id=None):
    """The progress of ``plan``'s publication run ``task_id`` (its task result id), else of its
    latest one: ``state`` (queued, running, finished, failed, stale or waiting; "idle" when the
    plan has never been published from the admin), ``done``, ``total``, ``created``,
    ``started_at``, ``finished_at`` (ISO 8601) and ``error``."""
    runs_of_plan = plan.publications.order_by("-created_at", "-pk")
    run = (
        runs_of_plan.filter(task_id=task_id).first() if task_id else None
    ) or runs_of_plan.first()
    if run is None:
        return {
            "state": "idle",
            "done": None,
            "total": None,
            "created": None,
            "started_at": None,
            "finished_at": None,
            "error": "",
        }
    return {
        "state": state_of(run),
        "done": run.done,
        "total": run.total,
        "created": run.created,
        "started_at": run.started_at.isoformat() if run.started_at else None,
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
        "error": run.error,
    }
