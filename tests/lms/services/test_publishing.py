"""Publishing a plan as a kept run (``PlanPublication``): who started it and what it did stay as
evidence; a run whose worker died is reported as stopped and does not block publishing again;
a run waiting for a worker says so."""

from datetime import date, timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from lms.models import Assignment, PlanPublication, TrainingPlan
from lms.services import publishing
from lms.tasks import publish_plan_task
from tests.factories import make_item, make_org, make_plan, make_position, make_staff

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def plan(db, course):
    org = make_org()
    teller = make_position("柜员")
    for number, unit in enumerate(("LZ0101", "LZ0102", "LZ0201")):
        make_staff(f"00010{number}", org[unit], teller, date(2020, 3, 1))
    plan = make_plan()
    make_item(plan, "全员", course=course, everyone=True)
    make_item(plan, "柜员", course=course, positions=[teller])
    return plan


def progress(client, plan):
    response = client.get(reverse("lms_plan_actions:progress_json", args=(plan.pk,)))
    assert response.status_code == 200
    return response.json()


def test_a_publication_is_kept_with_who_started_it_and_what_it_did(client, officer, plan):
    client.force_login(officer)
    client.post(reverse("lms_plan_actions:publish", args=(plan.pk,)))
    make_item(plan, "后加", course=plan.items.first().course, everyone=True)
    client.post(reverse("lms_plan_actions:publish", args=(plan.pk,)))

    first, second = PlanPublication.objects.filter(plan=plan).order_by("pk")
    assert (first.status, first.sync, first.started_by, first.done, first.created) == (
        PlanPublication.FINISHED,
        False,
        officer,
        2,
        6,
    )
    assert (second.sync, second.done, second.total, second.created) == (True, 3, 3, 3)
    assert first.task_id and second.task_id and first.task_id != second.task_id
    assert first.started_at <= first.finished_at <= second.created_at
    assert second.outcome == {"plan": plan.pk, "done": 3, "total": 3, "created": 3}
    assert Assignment.objects.filter(plan_item__plan=plan).count() == 9


def test_a_run_whose_worker_died_is_stale_and_publishing_may_start_again(client, officer, plan):
    client.force_login(officer)
    with override_settings(TASKS=DUMMY_TASKS):
        client.post(reverse("lms_plan_actions:publish", args=(plan.pk,)))
    run = PlanPublication.objects.get(plan=plan)
    # A worker claimed it, did one item, then was killed.
    long_ago = timezone.now() - publishing.STALE_AFTER - timedelta(minutes=1)
    PlanPublication.objects.filter(pk=run.pk).update(
        status=PlanPublication.RUNNING, started_at=long_ago, updated_at=long_ago, done=1, total=2
    )
    data = progress(client, plan)
    assert data["state"] == "stale" and (data["done"], data["total"]) == (1, 2)
    assert "重新发布" in data["message"] or "Publish again" in data["message"]
    assert publishing.active_publication(plan) is None

    # Publishing again queues a new run, and the worker completes the plan.
    with override_settings(TASKS=DUMMY_TASKS):
        client.post(reverse("lms_plan_actions:publish", args=(plan.pk,)))
    assert PlanPublication.objects.filter(plan=plan, status=PlanPublication.QUEUED).count() == 1
    assert publish_plan_task.call(plan.pk) == {"plan": plan.pk, "done": 2, "total": 2, "created": 6}
    plan.refresh_from_db()
    assert plan.status == TrainingPlan.PUBLISHED
    assert progress(client, plan)["state"] == "finished"


def test_a_run_still_running_and_heard_from_blocks_a_second_one(client, officer, plan):
    client.force_login(officer)
    with override_settings(TASKS=DUMMY_TASKS):
        client.post(reverse("lms_plan_actions:publish", args=(plan.pk,)))
    PlanPublication.objects.filter(plan=plan).update(
        status=PlanPublication.RUNNING, started_at=timezone.now() - timedelta(hours=1)
    )  # started long ago but moved on a moment ago (auto_now): alive
    with pytest.raises(publishing.AlreadyPublishing):
        publishing.start_publication(plan, officer)
    page = client.get(reverse("lms_plan_actions:publish", args=(plan.pk,))).content.decode()
    assert reverse("lms_plan_actions:progress", args=(plan.pk,)) in page
    assert 'type="submit"' not in page


def test_a_run_queued_for_long_asks_whether_a_worker_runs(client, officer, plan):
    client.force_login(officer)
    with override_settings(TASKS=DUMMY_TASKS):
        client.post(reverse("lms_plan_actions:publish", args=(plan.pk,)))
    assert progress(client, plan)["state"] == "queued"
    PlanPublication.objects.filter(plan=plan).update(
        created_at=timezone.now() - publishing.WAITING_AFTER - timedelta(seconds=5)
    )
    data = progress(client, plan)
    assert data["state"] == "waiting" and "db_worker" in data["message"]


def test_a_second_delivery_of_the_task_publishes_nothing(plan, officer):
    publishing.start_publication(plan, officer)
    assert publish_plan_task.call(plan.pk)["created"] == 6
    assert publish_plan_task.call(plan.pk) is None
    assert Assignment.objects.count() == 6
