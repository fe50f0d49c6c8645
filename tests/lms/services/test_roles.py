"""Trainers write and submit, the consumer-protection officer approves; nobody else gets in."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page, Site, WorkflowPage, WorkflowState
from wagtail.test.utils.form_data import querydict_from_html

from courses.models import CourseIndexPage, CoursePage
from lms.services import ensure_roles
from lms.services.roles import MANAGERS, OFFICERS, TRAINERS
from tests.factories import UserFactory


def add_course_form(client, catalog, title, slug):
    url = reverse("wagtailadmin_pages:add", args=("lms_courses", "coursepage", catalog.pk))
    response = client.get(url)
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    data["title"] = title
    data["slug"] = slug
    data["summary"] = "讲解双录与适当性"
    data.setlist("target_positions", ["柜员", "理财经理"])
    data["estimated_minutes"] = "12"
    data["credit_hours"] = "1.0"
    return url, data


@pytest.mark.django_db
def test_trainer_submits_and_officer_approves(client, catalog, trainer, officer):
    client.force_login(trainer)
    url, data = add_course_form(client, catalog, "销售过程新课", "new-sales")

    # A trainer has no publish permission: "publish" only saves a draft.
    data["action-publish"] = "action-publish"
    client.post(url, dict(data.lists()))
    course = CoursePage.objects.get(slug="new-sales")
    assert not course.live
    assert course.target_positions == ["柜员", "理财经理"]

    # Submitting starts the catalog's workflow, with the officers' approval task.
    edit_url = reverse("wagtailadmin_pages:edit", args=(course.pk,))
    data = querydict_from_html(client.get(edit_url).content.decode(), form_id="page-edit-form")
    data["action-submit"] = "action-submit"
    response = client.post(edit_url, dict(data.lists()))
    assert response.status_code == 302
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(course.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    task_state = state.current_task_state
    assert list(task_state.task.specific.groups.values_list("name", flat=True)) == ["Officers"]

    # The officer approves from the admin: the course goes live.
    client.force_login(officer)
    approve_url = reverse(
        "wagtailadmin_pages:workflow_action", args=(course.pk, "approve", task_state.pk)
    )
    response = client.post(approve_url, {"comment": "同意发布"})
    assert response.status_code in (200, 302)
    course.refresh_from_db()
    assert course.live
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED


@pytest.mark.django_db
def test_trainer_cannot_reach_users_groups_or_settings(client, trainer):
    client.force_login(trainer)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    for name in ("wagtailusers_users:index", "wagtailusers_groups:index", "wagtailsites:index"):
        response = client.get(reverse(name))
        assert response.status_code in (302, 403), name
        if response.status_code == 302:
            assert response["Location"] in (reverse("wagtailadmin_home"), "/admin/")


@pytest.mark.django_db
def test_trainer_cannot_add_pages_outside_the_catalog(client, catalog, trainer):
    client.force_login(trainer)
    home = Page.objects.get(pk=catalog.get_parent().pk)
    response = client.get(reverse("wagtailadmin_pages:add_subpage", args=(home.pk,)))
    assert response.status_code in (302, 403)


@pytest.mark.django_db
def test_learner_cannot_reach_the_admin(learner_client):
    response = learner_client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]


@pytest.mark.django_db
def test_trainer_page_permissions_are_add_and_change_only(catalog, trainer):
    perms = catalog.permissions_for_user(trainer)
    assert perms.can_add_subpage() and perms.can_edit()
    assert not perms.can_publish()
    assert not perms.can_delete()


@pytest.mark.django_db
def test_officer_can_publish(catalog, officer):
    assert catalog.permissions_for_user(officer).can_publish()


@pytest.mark.django_db
def test_ensure_roles_is_idempotent(catalog):
    first = ensure_roles(catalog)
    second = ensure_roles(catalog)
    assert [g.pk for g in first[:2]] == [g.pk for g in second[:2]]
    assert first[2].pk == second[2].pk
    assert first[2].workflow_tasks.count() == 1


@pytest.mark.django_db
def test_admin_speaks_chinese_by_default(client, trainer):
    client.force_login(trainer)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'lang="zh-hans"' in html
    assert "控制面板" in html and "跳到主要内容" in html


def _role_state():
    return {
        group.name: sorted(group.permissions.values_list("codename", flat=True))
        for group in Group.objects.filter(name__in=[TRAINERS, OFFICERS, MANAGERS])
    }


@pytest.mark.django_db
def test_setup_roles_gives_a_fresh_site_its_roles_and_a_catalog():
    assert not CourseIndexPage.objects.exists()
    out = StringIO()
    call_command("lms_setup_roles", stdout=out)
    catalog = CourseIndexPage.objects.get()
    assert catalog.live and catalog.title == "课程中心"
    assert catalog.get_parent().pk == Site.objects.get(is_default_site=True).root_page_id
    state = _role_state()
    assert state[MANAGERS] == [
        "access_admin",
        "add_exemption",
        "view_complaint",
        "view_exemption",
    ]
    assert "import_complaints" in state[OFFICERS] and "change_complaint" in state[OFFICERS]
    assert "decide_exemption" in state[OFFICERS] and "decide_exemption" not in state[MANAGERS]
    assert "view_all_progress" in state[OFFICERS] and "view_all_progress" not in state[TRAINERS]
    assert WorkflowPage.objects.get(page=catalog).workflow.name == "课程发布审批"
    trainer = UserFactory(username="t1")
    trainer.groups.add(Group.objects.get(name=TRAINERS))
    officer = UserFactory(username="o1")
    officer.groups.add(Group.objects.get(name=OFFICERS))
    assert catalog.permissions_for_user(trainer).can_add_subpage()
    assert not catalog.permissions_for_user(trainer).can_publish()
    assert catalog.permissions_for_user(officer).can_publish()
    assert "课程中心" in out.getvalue()

    call_command("lms_setup_roles", stdout=StringIO())  # again: nothing new
    assert CourseIndexPage.objects.count() == 1
    assert _role_state() == state
    assert GroupPagePermission.objects.filter(page=catalog).count() == 7


@pytest.mark.django_db
def test_setup_roles_without_a_catalog_says_what_is_missing():
    out = StringIO()
    call_command("lms_setup_roles", no_catalog=True, stdout=out)
    assert not CourseIndexPage.objects.exists()
    assert set(_role_state()) == {TRAINERS, OFFICERS, MANAGERS}
    assert "还没有课程中心" in out.getvalue()
