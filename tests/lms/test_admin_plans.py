"""The training admin: units in a tree, staff who are deactivated not deleted, plans and items
with their rules, publishing as a task with visible progress, and read-only records."""

from datetime import date

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django_tasks import default_task_backend
from wagtail.test.utils.form_data import querydict_from_html

from lms import services
from lms.models import Assignment, CompletionRecord, OrgUnit, PlanItem, StaffProfile, TrainingPlan
from lms.tasks import publish_plan_task
from lms.viewsets.records import record_permission_policy
from lms.viewsets.staff import staff_permission_policy
from tests.factories import (
    UserFactory,
    make_item,
    make_org,
    make_plan,
    make_position,
    make_staff,
)

FORM_ID = "w-editor-form"


@pytest.fixture
def org(db):
    return make_org()


@pytest.fixture
def people(org):
    teller, manager = make_position("柜员"), make_position("网点负责人")
    return {
        "teller_cg": make_staff("000101", org["LZ0101"], teller, date(2020, 3, 1), name="李一"),
        "teller_dg": make_staff("000102", org["LZ0102"], teller, date(2021, 2, 1), name="王二"),
        "manager_cg": make_staff("000103", org["LZ0101"], manager, date(2015, 1, 1), name="赵三"),
        "teller_xz": make_staff("000201", org["LZ0201"], teller, date(2019, 5, 1), name="孙四"),
        "teller": teller,
        "manager": manager,
    }


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


def admin_form(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return querydict_from_html(response.content.decode(), form_id=FORM_ID)


def post_form(client, url, data):
    return client.post(url, dict(data.lists()))


# --- Organisation units --------------------------------------------------------------------


@pytest.mark.django_db
def test_officer_lists_units_as_a_tree(officer_client, org):
    response = officer_client.get(reverse("lms_orgunit:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "兰州分行 / 城关支行 / 东岗网点" in html
    # In tree order: a sub-branch before its outlets, outlets before the next sub-branch.
    assert html.index("城关支行") < html.index("东岗网点") < html.index("七里河支行")


@pytest.mark.django_db
def test_officer_creates_units_under_a_parent_and_at_the_top(officer_client, org):
    url = reverse("lms_orgunit:add")
    data = admin_form(officer_client, url)
    data["parent"] = str(org["LZ01"].pk)
    data.update({"code": "LZ0103", "name": "雁滩网点", "kind": OrgUnit.OUTLET})
    response = post_form(officer_client, url, data)
    assert response.status_code == 302
    unit = OrgUnit.objects.get(code="LZ0103")
    assert unit.get_parent().pk == org["LZ01"].pk
    assert unit.depth == 3 and unit.path.startswith(org["LZ01"].path)
    assert OrgUnit.objects.get(pk=org["LZ01"].pk).numchild == 3

    data = admin_form(officer_client, url)
    data["parent"] = ""
    data.update({"code": "TS", "name": "天水分行", "kind": OrgUnit.BRANCH})
    assert post_form(officer_client, url, data).status_code == 302
    root = OrgUnit.objects.get(code="TS")
    assert root.is_root() and root.depth == 1
    assert OrgUnit.find_problems() == ([], [], [], [], [])


@pytest.mark.django_db
def test_changing_the_parent_moves_the_unit_and_its_staff_along(officer_client, org, people):
    outlet = org["LZ0102"]
    url = reverse("lms_orgunit:edit", args=(outlet.pk,))
    data = admin_form(officer_client, url)
    assert data["parent"] == str(org["LZ01"].pk)
    data["parent"] = str(org["LZ02"].pk)
    assert post_form(officer_client, url, data).status_code == 302
    outlet.refresh_from_db()
    assert outlet.get_parent().pk == org["LZ02"].pk
    moved = StaffProfile.objects.filter(org_unit__path__startswith=org["LZ02"].path)
    assert set(moved.values_list("employee_no", flat=True)) == {"000102", "000201"}
    assert OrgUnit.find_problems() == ([], [], [], [], [])


@pytest.mark.django_db
def test_a_unit_cannot_move_below_itself(officer_client, org):
    branch = org["LZ01"]
    url = reverse("lms_orgunit:edit", args=(branch.pk,))
    data = admin_form(officer_client, url)
    data["parent"] = str(org["LZ0101"].pk)
    response = post_form(officer_client, url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["parent"]
    branch.refresh_from_db()
    assert branch.get_parent().pk == org["LZ"].pk


@pytest.mark.django_db
def test_deleting_a_unit_with_staff_explains_instead_of_failing(client, superuser, org, people):
    client.force_login(superuser)
    unit = org["LZ01"]  # staff are in the outlets below it
    url = reverse("lms_orgunit:delete", args=(unit.pk,))
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "3" in html and "城关支行" in html
    assert 'type="submit"' not in html  # no "Yes, delete" button

    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert OrgUnit.objects.filter(pk=unit.pk).exists()
    shown = [str(message) for message in response.context["messages"]]
    assert any("城关支行" in message and "3" in message for message in shown), shown

    # An empty unit goes.
    empty = OrgUnit.objects.get(pk=org["LZ"].pk).add_child(code="LZ09", name="空网点")
    response = client.post(reverse("lms_orgunit:delete", args=(empty.pk,)))
    assert response.status_code == 302
    assert not OrgUnit.objects.filter(pk=empty.pk).exists()


@pytest.mark.django_db
def test_officers_cannot_delete_units(officer_client, org):
    response = officer_client.post(reverse("lms_orgunit:delete", args=(org["LZ0102"].pk,)))
    assert response.status_code in (302, 403)
    assert OrgUnit.objects.filter(pk=org["LZ0102"].pk).exists()


# --- Staff ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_staff_list_filters_by_unit_subtree_position_and_search(officer_client, org, people):
    url = reverse("lms_staffprofile:index")
    html = officer_client.get(url, {"unit": org["LZ01"].pk}).content.decode()
    assert "000101" in html and "000102" in html and "000201" not in html
    html = officer_client.get(url, {"position": people["manager"].pk}).content.decode()
    assert "000103" in html and "000101" not in html
    html = officer_client.get(url, {"q": "孙四"}).content.decode()
    assert "000201" in html and "000101" not in html
    html = officer_client.get(url, {"q": "000102"}).content.decode()
    assert "王二" in html and "李一" not in html


@pytest.mark.django_db
def test_staff_cannot_be_deleted(client, superuser, officer, people):
    staff = people["teller_cg"]
    with pytest.raises(NoReverseMatch):
        reverse("lms_staffprofile:delete", args=(staff.pk,))
    for user in (officer, superuser):
        assert not staff_permission_policy.user_has_permission(user, "delete")
        client.force_login(user)
        for method in (client.get, client.post):
            response = method(f"/admin/training/staff/delete/{staff.pk}/")
            assert response.status_code == 404
        html = client.get(reverse("lms_staffprofile:edit", args=(staff.pk,))).content.decode()
        assert "/delete/" not in html
    assert StaffProfile.objects.filter(pk=staff.pk).exists()


@pytest.mark.django_db
def test_new_staff_get_a_login_and_their_assignments(officer_client, org, people):
    plan = make_plan()
    make_item(plan, "全员", everyone=True)
    services.publish_plan(plan)
    url = reverse("lms_staffprofile:add")
    data = admin_form(officer_client, url)
    data.update(
        {
            "employee_no": "000777",
            "name": "周五",
            "org_unit": str(org["LZ0201"].pk),
            "position": str(people["teller"].pk),
            "hire_date": "2026-03-01",
            "is_active": "on",
        }
    )
    assert post_form(officer_client, url, data).status_code == 302
    staff = StaffProfile.objects.get(employee_no="000777")
    assert staff.user.username == "000777" and not staff.user.has_usable_password()
    assert staff.assignments.filter(status=Assignment.OPEN).count() == 1


@pytest.mark.django_db
def test_a_leaver_is_deactivated_and_their_open_work_withdrawn(officer_client, people):
    plan = make_plan()
    make_item(plan, "全员", everyone=True)
    services.publish_plan(plan)
    staff = people["teller_dg"]
    url = reverse("lms_staffprofile:edit", args=(staff.pk,))
    data = admin_form(officer_client, url)
    data.pop("is_active", None)
    data["employee_no"] = "999999"  # disabled field: ignored
    assert post_form(officer_client, url, data).status_code == 302
    staff.refresh_from_db()
    staff.user.refresh_from_db()
    assert not staff.is_active and staff.left_at is not None
    assert staff.employee_no == "000102"
    assert not staff.user.is_active
    assert staff.assignments.get().status == Assignment.WITHDRAWN


# --- Plans and items -----------------------------------------------------------------------


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


# --- Publishing ----------------------------------------------------------------------------


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


# --- Completion records --------------------------------------------------------------------


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


@pytest.mark.django_db
def test_a_new_code_re_sorts_the_unit_among_its_siblings(officer_client, org):
    unit = org["LZ0101"]
    url = reverse("lms_orgunit:edit", args=(unit.pk,))
    data = admin_form(officer_client, url)
    data["code"] = "LZ0199"
    assert post_form(officer_client, url, data).status_code == 302
    siblings = OrgUnit.objects.get(pk=org["LZ01"].pk).get_children()
    assert [child.code for child in siblings] == ["LZ0102", "LZ0199"]
    assert OrgUnit.find_problems() == ([], [], [], [], [])


@pytest.mark.django_db
def test_a_login_that_is_already_someone_s_is_refused(officer_client, org, people):
    url = reverse("lms_staffprofile:add")
    data = admin_form(officer_client, url)
    data.update({"employee_no": "000101", "name": "重复", "org_unit": str(org["LZ0201"].pk)})
    response = post_form(officer_client, url, data)
    assert response.status_code == 200
    assert "employee_no" in response.context["form"].errors
    assert StaffProfile.objects.filter(employee_no="000101").count() == 1
