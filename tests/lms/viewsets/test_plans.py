"""The training admin's plans and items with their rules, publishing as a task with visible
progress, closing, and read-only records; every training page opens for the officer."""

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django_tasks import default_task_backend

from lms import services
from lms.models import Assignment, CompletionRecord, PlanItem, TrainingPlan
from lms.tasks import publish_plan_task
from lms.viewsets.records import record_permission_policy
from tests.factories import (
    make_item,
    make_plan,
)
from tests.lms.viewsets.admin_support import admin_form, post_form


def item_form(client, plan, course_page=None, /, **values):
    url = reverse("lms_planitem:add")
    data = admin_form(client, url)
    data.update(
        {
            "plan": str(plan.pk),
            "title": "投诉处理",
            "kind": PlanItem.COURSE,
            "course": str(course_page.pk) if course_page else "",
            "quiz": "",
            "open_date": "2026-01-01",
            "due_date": "2026-06-30",
            "credit_hours": "1.5",
            "mandatory": "on",
            "everyone": "on",
            "quarterly_targets": "25, 50, 75, 100",
            "sort_order": "0",
        }
    )
    for name, value in values.items():
        if value is None:
            data.pop(name, None)
        elif isinstance(value, list):
            data.setlist(name, value)
        else:
            data[name] = value
    return url, data


@pytest.mark.django_db
def test_plan_form_keeps_status_read_only_and_saves_position_hours(officer_client, people):
    url = reverse("lms_trainingplan:add")
    data = admin_form(officer_client, url)
    assert "status" not in data
    data.update({"year": "2026", "title": "2026年度计划", "required_hours": "4"})
    data["status"] = TrainingPlan.PUBLISHED  # not a form field: ignored
    data["position_hours-TOTAL_FORMS"] = "1"
    data["position_hours-0-position"] = str(people["teller"].pk)
    data["position_hours-0-hours"] = "6"
    data["position_hours-0-ORDER"] = "1"
    data["position_hours-0-id"] = ""
    data["position_hours-0-DELETE"] = ""
    response = post_form(officer_client, url, data)
    assert response.status_code == 302, response.context["form"].errors
    plan = TrainingPlan.objects.get(title="2026年度计划")
    assert plan.status == TrainingPlan.DRAFT
    assert plan.hours_for(people["teller"]) == 6
    assert plan.hours_for(people["manager"]) == 4


@pytest.mark.django_db
def test_plan_item_is_saved_with_its_audience_and_targets(officer_client, org, people, course):
    plan = make_plan()
    url, data = item_form(
        officer_client,
        plan,
        course,
        everyone=None,
        positions=[str(people["teller"].pk)],
        org_units=[str(org["LZ01"].pk)],
        quarterly_targets="[20，40，60，100]",
    )
    response = post_form(officer_client, url, data)
    assert response.status_code == 302, response.context["form"].errors
    item = PlanItem.objects.get(plan=plan)
    assert item.course.pk == course.pk and item.quiz is None
    assert list(item.positions.all()) == [people["teller"]]
    assert list(item.org_units.all()) == [org["LZ01"]]
    assert item.quarterly_targets == [20, 40, 60, 100]
    # The edit form shows the targets as typed text again.
    data = admin_form(officer_client, reverse("lms_planitem:edit", args=(item.pk,)))
    assert data["quarterly_targets"] == "20, 40, 60, 100"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"course": ""}, "course"),  # a course item needs a course
        ({"kind": PlanItem.QUIZ}, "quiz"),  # a quiz item needs a quiz...
        ({"kind": PlanItem.QUIZ, "with_quiz": True}, "course"),  # ...and no course
        ({"with_quiz": True}, "quiz"),  # a course item has no quiz
        ({"due_date": "2025-12-31"}, "due_date"),
        ({"quarterly_targets": "50, 25"}, "quarterly_targets"),
        ({"quarterly_targets": "10, 20, 30, 40, 50"}, "quarterly_targets"),
        ({"quarterly_targets": "50, 101"}, "quarterly_targets"),
        ({"quarterly_targets": "一半"}, "quarterly_targets"),
        ({"everyone": None}, "__all__"),  # nobody to assign it to
    ],
)
def test_plan_item_validation(officer_client, course, values, field):
    from tests.factories import make_quiz

    plan = make_plan()
    values = dict(values)
    if values.pop("with_quiz", False):
        values["quiz"] = str(make_quiz(title="年度测试").pk)
    url, data = item_form(officer_client, plan, course, **values)
    response = post_form(officer_client, url, data)
    assert response.status_code == 200
    assert field in response.context["form"].errors, response.context["form"].errors
    assert not PlanItem.objects.exists()


@pytest.mark.django_db
def test_items_of_a_closed_plan_cannot_change(officer_client, course):
    plan = make_plan(status=TrainingPlan.CLOSED)
    item = make_item(plan, "旧课程", course=course, everyone=True)
    url = reverse("lms_planitem:edit", args=(item.pk,))
    data = admin_form(officer_client, url)
    data["title"] = "改名"
    response = post_form(officer_client, url, data)
    assert response.status_code == 200
    assert "plan" in response.context["form"].errors
    item.refresh_from_db()
    assert item.title == "旧课程"


@pytest.mark.django_db
def test_item_list_filters_by_plan(officer_client, course):
    first, second = make_plan(title="甲计划"), make_plan(year=2027, title="乙计划")
    make_item(first, "甲课程", course=course, everyone=True)
    make_item(second, "乙课程", course=course, everyone=True)
    html = officer_client.get(reverse("lms_planitem:index"), {"plan": first.pk}).content.decode()
    assert "甲课程" in html and "乙课程" not in html


def progress(client, plan, task_id=""):
    url = reverse("lms_plan_actions:progress_json", args=(plan.pk,))
    response = client.get(url, {"task": task_id} if task_id else {})
    assert response.status_code == 200
    return response.json()


@pytest.mark.django_db
def test_publishing_runs_the_task_and_shows_its_progress(officer_client, org, people, course):
    plan = make_plan()
    make_item(plan, "全员", course=course, everyone=True)
    make_item(plan, "柜员", course=course, positions=[people["teller"]])

    edit_html = officer_client.get(reverse("lms_trainingplan:edit", args=(plan.pk,))).content
    publish_url = reverse("lms_plan_actions:publish", args=(plan.pk,))
    assert publish_url in edit_html.decode()
    list_html = officer_client.get(reverse("lms_trainingplan:index")).content.decode()
    assert publish_url in list_html

    page = officer_client.get(publish_url)
    assert page.status_code == 200 and not Assignment.objects.exists()

    response = officer_client.post(publish_url)
    assert response.status_code == 302
    progress_url = reverse("lms_plan_actions:progress", args=(plan.pk,))
    assert response["Location"].startswith(progress_url + "?task=")
    assert Assignment.objects.filter(plan_item__plan=plan).count() == 4 + 3
    plan.refresh_from_db()
    assert plan.status == TrainingPlan.PUBLISHED and plan.published_at

    data = progress(officer_client, plan)
    assert data["state"] == "finished"
    assert data["done"] == data["total"] == 2
    assert data["created"] == 7
    assert data["finished_at"] and not data["error"]
    assert data["plan_status"] == TrainingPlan.PUBLISHED
    page = officer_client.get(response["Location"])
    assert page.status_code == 200
    assert data["message"] in page.content.decode()
    history = officer_client.get(reverse("lms_trainingplan:history", args=(plan.pk,)))
    assert history.status_code == 200 and (
        "Publish plan" in history.content.decode() or "发布计划" in history.content.decode()
    )

    # Published: the action becomes "sync", which only adds what is missing.
    make_item(plan, "新员工", course=course, units=[org["LZ02"]])
    page = officer_client.get(publish_url).content.decode()
    assert "sync" in page.lower() or "同步" in page
    officer_client.post(publish_url)
    data = progress(officer_client, plan)
    assert (data["state"], data["done"], data["total"], data["created"]) == ("finished", 3, 3, 1)
    assert Assignment.objects.filter(plan_item__plan=plan).count() == 8


@pytest.mark.django_db
def test_publishing_enqueues_for_a_worker(officer_client, people, course):
    plan = make_plan()
    make_item(plan, "全员", course=course, everyone=True)
    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    ):
        response = officer_client.post(reverse("lms_plan_actions:publish", args=(plan.pk,)))
        assert response.status_code == 302
        (queued,) = default_task_backend.results
        assert queued.task.func is publish_plan_task.func and queued.args == [plan.pk]
        assert not Assignment.objects.exists()
        assert progress(officer_client, plan, queued.id)["state"] == "queued"
        # A second click while it waits does not queue it twice.
        officer_client.post(reverse("lms_plan_actions:publish", args=(plan.pk,)))
        assert len(default_task_backend.results) == 1

    # The worker runs it.
    assert publish_plan_task.call(plan.pk) == {"plan": plan.pk, "done": 1, "total": 1, "created": 4}
    data = progress(officer_client, plan, queued.id)
    assert (data["state"], data["done"], data["total"], data["created"]) == ("finished", 1, 1, 4)


@pytest.mark.django_db
def test_a_failed_run_is_reported(officer_client, course, monkeypatch):
    plan = make_plan()
    make_item(plan, "全员", course=course, everyone=True)

    def broken(plan, progress=None):
        raise RuntimeError("database went away")

    monkeypatch.setattr("lms.services.publishing.publish_plan", broken)
    officer_client.post(reverse("lms_plan_actions:publish", args=(plan.pk,)))
    data = progress(officer_client, plan)
    assert data["state"] == "failed"
    assert "database went away" in data["error"] and data["finished_at"]
    plan.refresh_from_db()
    assert plan.status == TrainingPlan.DRAFT


@pytest.mark.django_db
def test_closing_a_plan_and_no_publishing_after(officer_client, people, course):
    plan = make_plan()
    make_item(plan, "全员", course=course, everyone=True)
    close_url = reverse("lms_plan_actions:close", args=(plan.pk,))
    officer_client.post(close_url)  # a draft cannot be closed
    plan.refresh_from_db()
    assert plan.status == TrainingPlan.DRAFT

    officer_client.post(reverse("lms_plan_actions:publish", args=(plan.pk,)))
    assert officer_client.get(close_url).status_code == 200
    assert officer_client.post(close_url).status_code == 302
    plan.refresh_from_db()
    assert plan.status == TrainingPlan.CLOSED and plan.closed_at

    make_item(plan, "后加", course=course, everyone=True)
    before = Assignment.objects.count()
    officer_client.post(reverse("lms_plan_actions:publish", args=(plan.pk,)))
    assert Assignment.objects.count() == before
    plan.refresh_from_db()
    assert plan.status == TrainingPlan.CLOSED


@pytest.mark.django_db
def test_trainers_can_neither_publish_nor_see_people(client, trainer, people, course):
    plan = make_plan()
    make_item(plan, "全员", course=course, everyone=True)
    client.force_login(trainer)
    for url in (
        reverse("lms_plan_actions:publish", args=(plan.pk,)),
        reverse("lms_plan_actions:progress", args=(plan.pk,)),
        reverse("lms_plan_actions:progress_json", args=(plan.pk,)),
        reverse("lms_plan_actions:close", args=(plan.pk,)),
        reverse("lms_staffprofile:index"),
        reverse("lms_orgunit:index"),
        reverse("lms_trainingplan:index"),
        reverse("lms_completionrecord:index"),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert response["Location"] in (reverse("wagtailadmin_home"), "/admin/"), url
    response = client.post(reverse("lms_plan_actions:publish", args=(plan.pk,)))
    assert response.status_code in (302, 403)
    assert not Assignment.objects.exists()
    plan.refresh_from_db()
    assert plan.status == TrainingPlan.DRAFT


@pytest.mark.django_db
def test_records_are_read_only(client, officer, superuser, org, people, course):
    staff = people["teller_cg"]
    record = services.record_completion(
        staff.user,
        staff=staff,
        kind=CompletionRecord.COURSE,
        title=course.title,
        course=course,
        completed_at=timezone.now(),
        method=CompletionRecord.ONLINE,
        credit_hours=1,
        credited_unit=org["LZ0101"],
    )
    client.force_login(officer)
    index = client.get(reverse("lms_completionrecord:index"))
    assert index.status_code == 200 and course.title in index.content.decode()
    inspect = client.get(reverse("lms_completionrecord:inspect", args=(record.pk,)))
    assert inspect.status_code == 200 and record.hash in inspect.content.decode()
    filtered = client.get(
        reverse("lms_completionrecord:index"),
        {"unit": org["LZ02"].pk, "kind": CompletionRecord.COURSE},
    )
    assert course.title not in filtered.content.decode().split("<tbody")[-1]

    for name in ("add", "edit", "delete", "copy", "history", "usage"):
        with pytest.raises(NoReverseMatch):
            reverse(f"lms_completionrecord:{name}", args=() if name == "add" else (record.pk,))
    for user in (officer, superuser):
        client.force_login(user)
        for path in ("new/", f"edit/{record.pk}/", f"delete/{record.pk}/"):
            assert client.get(f"/admin/training/records/{path}").status_code == 404
            assert client.post(f"/admin/training/records/{path}").status_code == 404
        for action in ("add", "change", "delete"):
            assert not record_permission_policy.user_has_permission(user, action)
    assert CompletionRecord.objects.filter(pk=record.pk, hash=record.hash).exists()


@pytest.mark.django_db
def test_every_training_page_opens_for_the_officer(officer_client, org, people, course):
    plan = make_plan()
    item = make_item(plan, "全员", course=course, everyone=True)
    pages = [
        reverse(f"lms_{name}:index")
        for name in (
            "orgunit",
            "position",
            "staffprofile",
            "trainingplan",
            "planitem",
            "completionrecord",
        )
    ]
    pages += [
        reverse(f"lms_{name}:add")
        for name in ("orgunit", "position", "staffprofile", "trainingplan", "planitem")
    ]
    pages += [
        reverse("lms_orgunit:edit", args=(org["LZ0101"].pk,)),
        reverse("lms_position:edit", args=(people["teller"].pk,)),
        reverse("lms_staffprofile:edit", args=(people["teller_cg"].pk,)),
        reverse("lms_trainingplan:edit", args=(plan.pk,)),
        reverse("lms_planitem:edit", args=(item.pk,)),
        reverse("lms_plan_actions:progress", args=(plan.pk,)),
        reverse("wagtailadmin_home"),
    ]
    for url in pages:
        assert officer_client.get(url).status_code == 200, url
    menu = officer_client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("lms_staffprofile:index") in menu
